import { RecentCache } from '../../../../adapters/kit/cache';
import { FirstAccount } from '../../../../adapters/qq/qq.dedupe';

describe('QQ de-duplication', () => {
  test('recent (account, message id) keys: a repeat is refused; the oldest key is forgotten past capacity', () => {
    const recent = new RecentCache<true>({ max: 2 });
    expect(recent.firstTime('a', true)).toBe(true);
    expect(recent.firstTime('a', true)).toBe(false);
    recent.firstTime('b', true);
    recent.firstTime('c', true);
    expect(recent.firstTime('a', true)).toBe(true);
  });

  test('FirstAccount: only the account that delivered a message first delivers it again', () => {
    const first = new FirstAccount(2);
    expect(first.claim('m1', '10001')).toBe(true);
    expect(first.claim('m1', '10002')).toBe(false); // the second account's copy
    expect(first.claim('m1', '10001')).toBe(true); // the same client, another id: a second message
    first.claim('m2', '10002');
    first.claim('m3', '10002');
    expect(first.claim('m1', '10002')).toBe(true); // forgotten past capacity
    expect(() => new FirstAccount(0)).toThrow(RangeError);
  });
});
