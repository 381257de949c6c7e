import { buildSlashCommands, toDiscordName } from '../../../adapters/discord/discord.commands';
import type { CommandInfo } from '../../../src/core/chat';

describe('buildSlashCommands', () => {
  it('fits names to Discord: lowercase, allowed characters, at most 32', () => {
    expect(toDiscordName('Mark Waiting!')).toBe('mark-waiting');
    expect(toDiscordName('转交')).toBe('转交');
    expect(toDiscordName('x'.repeat(40))).toHaveLength(32);
  });

  it('types options by parameter kind and keeps descriptions within 100 characters', () => {
    const [cmd] = buildSlashCommands([
      {
        name: 'Assign',
        description: 'd'.repeat(150),
        params: [
          { name: 'note', kind: 'text', required: false, description: 'Why' },
          { name: 'ticket', kind: 'ticket', required: true, description: 'Ticket' },
          { name: 'to', kind: 'user', required: true, description: 'Engineer' },
          { name: 'hours', kind: 'number', required: false, description: 'Hours' },
          { name: 'level', kind: 'choice', required: false, description: 'Level', choices: ['p1', 'p2'] },
          { name: 'tag', kind: 'word', required: false, description: '' },
        ],
      },
    ]);
    expect(cmd?.json.name).toBe('assign');
    expect(cmd?.json.description).toHaveLength(100);
    expect(cmd?.json.options?.map((o) => [o.name, o.type, o.required])).toEqual([
      ['ticket', 4, true],
      ['to', 6, true],
      ['note', 3, false],
      ['hours', 10, false],
      ['level', 3, false],
      ['tag', 3, false],
    ]);
    expect(cmd?.json.options?.[4]).toMatchObject({
      choices: [
        { name: 'p1', value: 'p1' },
        { name: 'p2', value: 'p2' },
      ],
    });
    expect(cmd?.json.options?.[5]?.description).toBe('tag');
    // GroupDesk's own order is kept for rebuilding the text command.
    expect([...(cmd?.params.keys() ?? [])]).toEqual(['note', 'ticket', 'to', 'hours', 'level', 'tag']);
  });

  it('turns more than 25 choices into free text and skips colliding names', () => {
    const warnings: string[] = [];
    const many = Array.from({ length: 30 }, (_, i) => `c${i}`);
    const commands: CommandInfo[] = [
      {
        name: 'set',
        description: 'x',
        params: [{ name: 'v', kind: 'choice', required: true, choices: many, description: 'v' }],
      },
      { name: 'SET', description: 'again', params: [] },
    ];
    const built = buildSlashCommands(commands, (m) => warnings.push(m));
    expect(built).toHaveLength(1);
    expect(built[0]?.json.options?.[0]).not.toHaveProperty('choices');
    expect(warnings).toEqual([expect.stringContaining('"SET" skipped')]);
  });
});
