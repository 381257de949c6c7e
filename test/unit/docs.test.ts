/**
 * The reference in docs/ is checked against what it describes, so that it cannot drift:
 * the command table against the registry, the CLI list against `groupdesk --help`, the
 * configuration tables against the zod schemas that read the environment, and every
 * relative link against the files. Each check is shown failing on a sample first.
 */

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { dingtalkConfigSchema } from '../../adapters/dingtalk/dingtalk.config';
import { discordConfigSchema } from '../../adapters/discord/discord.config';
import { feishuConfigSchema } from '../../adapters/feishu/feishu.config';
import { qqConfigSchema } from '../../adapters/qq/qq.config';
import { slackConfigSchema } from '../../adapters/slack/slack.config';
import { wechatEnvSchema } from '../../adapters/wechat/wechat.config';
import { buildRegistry } from '../../commands';
import { githubConfigSchema } from '../../config/github.config';
import { gitlabConfigSchema } from '../../config/gitlab.config';
import { coreEnvSchema } from '../../config/schema';
import { runCli } from '../../src/cli';
import { mongoEnvSchema } from '../../src/store/mongo/mongo.config';
import { backupEnvSchema } from '../../src/store/sqlite/backup.schedule';
import { sqliteEnvSchema } from '../../src/store/sqlite/sqlite.config';

const root = path.join(__dirname, '../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const en = JSON.parse(read('config/locales/en.json')) as Record<string, unknown>;
const between = (text: string, name: string) =>
  text.split(`<!-- ${name}:start -->`)[1]?.split(`<!-- ${name}:end -->`)[0] ?? '';

/** A table row's cells, trimmed: the formatter may pad columns. */
const cells = (row: string) =>
  row
    .split(/(?<!\\)\|/)
    .slice(1, -1)
    .map((c) => c.trim());

describe('docs/commands.md', () => {
  const expectedRows = () =>
    buildRegistry()
      .all()
      .map((s) => {
        const aliases = Object.values(s.aliases ?? {})
          .flat()
          .map((a) => `/${a}`)
          .join(' ');
        const usage = String(en[`cmd.${s.name}.usage`]).replace(/\|/g, '\\|');
        return `| \`${usage}\` | ${en[`cmd.${s.name}.help`]} | ${s.audience.join(', ')} | ${aliases} |`;
      });

  it('lists exactly the registered commands, with their usage, help, audience and aliases', () => {
    const rows = between(read('docs/commands.md'), 'commands')
      .split('\n')
      .filter((l) => l.startsWith('| `/'));
    expect(rows.length).toBeGreaterThan(20);
    expect(rows.map(cells)).toEqual(expectedRows().map(cells));
  });
});

describe('docs/cli.md', () => {
  it('lists every usage line `groupdesk --help` prints', async () => {
    let out = '';
    // The page is English, and the usage lines speak the deployment's language.
    await runCli(['--help'], { out: (s) => (out += s), err: (s) => (out += s) }, { GROUPDESK_LOCALE: 'en' });
    const usage = out
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.startsWith('groupdesk '));
    expect(usage.length).toBeGreaterThan(8);
    const documented = between(read('docs/cli.md'), 'cli')
      .split('\n')
      .filter((l) => l.startsWith('groupdesk '));
    expect(documented).toEqual(usage);
  });
});

type Schema = z.ZodType;
const SCHEMAS: Record<string, Schema> = {
  'config/schema.ts': coreEnvSchema,
  'src/store/sqlite/sqlite.config.ts': sqliteEnvSchema,
  'src/store/mongo/mongo.config.ts': mongoEnvSchema,
  'src/store/sqlite/backup.schedule.ts': backupEnvSchema,
  'adapters/slack/slack.config.ts': slackConfigSchema,
  'adapters/discord/discord.config.ts': discordConfigSchema,
  'adapters/wechat/wechat.config.ts': wechatEnvSchema,
  'adapters/qq/qq.config.ts': qqConfigSchema,
  'adapters/feishu/feishu.config.ts': feishuConfigSchema,
  'adapters/dingtalk/dingtalk.config.ts': dingtalkConfigSchema,
  'config/github.config.ts': githubConfigSchema,
  'config/gitlab.config.ts': gitlabConfigSchema,
};
/**
 * The keys that turn a platform on (src/platforms.ts): "unset" is their meaning, so a
 * default in the schema (WECHATY_PUPPET's wechat4u) never applies.
 */
const SWITCHES = new Set([
  'SLACK_BOT_TOKEN',
  'DISCORD_TOKEN',
  'WECHATY_PUPPET',
  'ONEBOT_ACCESS_TOKEN',
  'FEISHU_APP_ID',
  'DINGTALK_CLIENT_ID',
]);

/** The object inside a refined or transformed schema. */
function shapeOf(schema: Schema): Record<string, Schema> {
  if (schema instanceof z.ZodObject) return schema.shape as Record<string, Schema>;
  if (schema instanceof z.ZodPipe) return shapeOf(schema.in as Schema);
  throw new Error('not an object schema');
}

/** Each key the schemas read, with the value it gets when unset (undefined when none or required). */
function schemaDefaults(schemas: Record<string, Schema>): Map<string, unknown> {
  const keys = new Map<string, unknown>();
  for (const schema of Object.values(schemas))
    for (const [key, field] of Object.entries(shapeOf(schema))) {
      const unset = field.safeParse(undefined);
      keys.set(key, unset.success ? unset.data : undefined);
    }
  return keys;
}

/** What is wrong with the documented keys: missing, unknown, or a default that is not the schema's. */
function configurationProblems(doc: string, defaults: ReadonlyMap<string, unknown>): string[] {
  const rows = new Map(
    between(doc, 'env')
      .split('\n')
      .filter((l) => l.startsWith('| `'))
      .map((l) => cells(l))
      .map(([key, fallback]) => [key!.replace(/`/g, ''), fallback!] as const),
  );
  const problems: string[] = [];
  for (const key of defaults.keys()) if (!rows.has(key)) problems.push(`${key} is not documented`);
  for (const [key, cell] of rows) {
    if (!defaults.has(key)) {
      problems.push(`${key} is documented but no schema reads it`);
      continue;
    }
    const value = defaults.get(key);
    const scalar = ['string', 'number', 'boolean'].includes(typeof value);
    if (SWITCHES.has(key)) {
      if (!cell.startsWith('unset')) problems.push(`${key}: a platform switch is off when unset`);
    } else if (scalar && !cell.includes(`\`${String(value)}\``)) {
      problems.push(`${key}: the schema's default is ${String(value)}, the docs say ${cell}`);
    } else if (!scalar && /^`[^`]*`$/.test(cell)) {
      problems.push(`${key}: the schema has no default, the docs say ${cell}`);
    }
  }
  return problems;
}

describe('docs/configuration.md', () => {
  const defaults = schemaDefaults(SCHEMAS);

  it('the check catches a missing key, an unknown one and a wrong default', () => {
    const sample =
      '<!-- env:start -->\n| `A` | `2` | a |\n| `GONE` | `1` | gone |\n| `C` | `x` | c |\n<!-- env:end -->';
    const sampleDefaults = new Map<string, unknown>([
      ['A', 3],
      ['B', 1],
      ['C', undefined],
    ]);
    expect(configurationProblems(sample, sampleDefaults)).toEqual([
      'B is not documented',
      "A: the schema's default is 3, the docs say `2`",
      'GONE is documented but no schema reads it',
      'C: the schema has no default, the docs say `x`',
    ]);
  });

  it('documents every environment key with the default its schema gives', () => {
    expect(defaults.size).toBeGreaterThan(40);
    expect(configurationProblems(read('docs/configuration.md'), defaults)).toEqual([]);
  });

  it('.env.example names every key too', () => {
    const example = read('.env.example');
    expect([...defaults.keys()].filter((k) => !new RegExp(`^#? ?${k}=`, 'm').test(example))).toEqual([]);
  });
});

/** Markdown files of the project (not node_modules). */
function markdownFiles(dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name === 'node_modules' || e.name.startsWith('.')) return [];
    const full = path.join(dir, e.name);
    return e.isDirectory() ? markdownFiles(full) : e.name.endsWith('.md') ? [full] : [];
  });
}

function brokenLinks(file: string, text: string): string[] {
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1]!)
    .filter((target) => !/^[a-z]+:/.test(target) && !target.startsWith('#'))
    .filter((target) => {
      const resolved = path.resolve(path.dirname(file), target.split('#')[0]!);
      return !existsSync(resolved);
    });
}

describe('links between the documents', () => {
  it('the check sees a link to a file that is not there', () => {
    expect(brokenLinks(path.join(root, 'README.md'), '[a](docs/nope.md) [b](docs/sla.md) [c](#x)')).toEqual([
      'docs/nope.md',
    ]);
  });
  it('every relative link points at a file that exists', () => {
    const files = markdownFiles();
    expect(files.length).toBeGreaterThan(8);
    const broken = files.flatMap((f) =>
      brokenLinks(f, readFileSync(f, 'utf8')).map((t) => `${path.relative(root, f)} → ${t}`),
    );
    expect(broken).toEqual([]);
  });
});
