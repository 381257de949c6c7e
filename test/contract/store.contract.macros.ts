/** Contract: saved replies (MacroStore), one row per (name, locale). */
import { isMacroStore, type Macro, type MacroStore } from '../../src/core/macros';
import { expectStoreError, type StoreContext, T0 } from './store.fixtures';

const macro = (over: Partial<Macro> = {}): Macro => ({
  name: 'restart',
  locale: 'en',
  text: 'Please restart the service and send the log.',
  updatedBy: 'mgr',
  updatedAt: T0,
  ...over,
});

export function describeMacroContract({ store }: StoreContext): void {
  const macros = (): MacroStore => {
    const s = store();
    if (!isMacroStore(s)) throw new Error('this store keeps no macros');
    return s;
  };

  it('keeps one text per (name, locale), replaces in place, and lists by name then locale', async () => {
    await macros().putMacro(macro({ locale: 'zh-CN', text: '请重启服务后把日志发给我们。' }));
    await macros().putMacro(macro());
    await macros().putMacro(macro({ name: 'docs', text: 'See https://example.org/docs' }));
    await macros().putMacro(
      macro({ text: 'Restart, then send the log.', updatedBy: 'boss', updatedAt: T0 + 5 }),
    );
    expect(await macros().getMacros('restart')).toEqual([
      macro({ text: 'Restart, then send the log.', updatedBy: 'boss', updatedAt: T0 + 5 }),
      macro({ locale: 'zh-CN', text: '请重启服务后把日志发给我们。' }),
    ]);
    expect((await macros().listMacros()).map((m) => `${m.name}/${m.locale}`)).toEqual([
      'docs/en',
      'restart/en',
      'restart/zh-CN',
    ]);
    expect(await macros().getMacros('nothing')).toEqual([]);
  });

  it('removes one locale or every locale of a name, saying how many went', async () => {
    await macros().putMacro(macro());
    await macros().putMacro(macro({ locale: 'zh-CN', text: '请重启。' }));
    await macros().putMacro(macro({ name: 'other' }));
    expect(await macros().deleteMacro('restart', 'zh-CN')).toBe(1);
    expect((await macros().getMacros('restart')).map((m) => m.locale)).toEqual(['en']);
    await macros().putMacro(macro({ locale: 'zh-CN', text: '请重启。' }));
    expect(await macros().deleteMacro('restart')).toBe(2);
    expect(await macros().deleteMacro('restart')).toBe(0);
    expect((await macros().listMacros()).map((m) => m.name)).toEqual(['other']);
  });

  it('refuses a locale it does not know and text with U+0000', async () => {
    await expectStoreError(macros().putMacro(macro({ locale: 'fr' as never })), 'STORE_INVALID_VALUE');
    await expectStoreError(macros().putMacro(macro({ text: 'a\u0000b' })), 'STORE_INVALID_VALUE');
    expect(await macros().listMacros()).toEqual([]);
  });
}
