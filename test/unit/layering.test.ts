/**
 * The core never imports a platform SDK, a database driver, node-cron or the adapters.
 * Biome's noRestrictedImports enforces this in lint; this test checks the same rule over
 * the source tree and proves on a sample that it can fail.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const FORBIDDEN =
  /^(@slack\/|@octokit\/|discord\.js|wechaty|mongoose|mongodb|node-cron|ws$|libsql|prom-client)|(^|\/)(adapters|store)(\/|$)/;
const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)/g;

function forbiddenImports(source: string): string[] {
  return [...source.matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? '').filter((spec) => FORBIDDEN.test(spec));
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? tsFiles(path.join(dir, e.name))
      : e.name.endsWith('.ts')
        ? [path.join(dir, e.name)]
        : [],
  );
}

describe('layering', () => {
  it('flags forbidden imports (the check can fail)', () => {
    expect(forbiddenImports("import mongoose from 'mongoose';")).toEqual(['mongoose']);
    expect(
      forbiddenImports(
        "import { App } from '@slack/bolt';\nimport x from '../../adapters/slack/slack.adapter';",
      ),
    ).toHaveLength(2);
    expect(forbiddenImports("const cron = require('node-cron');")).toEqual(['node-cron']);
    expect(forbiddenImports("import { Octokit } from '@octokit/core';")).toEqual(['@octokit/core']);
    expect(forbiddenImports("import { Registry } from 'prom-client';")).toEqual(['prom-client']);
    expect(forbiddenImports("import dayjs from 'dayjs';\nimport type { Store } from './ports';")).toEqual([]);
  });

  it('src/core imports no platform SDK, database, scheduler or adapter', () => {
    const core = path.join(__dirname, '../../src/core');
    const files = tsFiles(core);
    expect(files.length).toBeGreaterThan(5);
    const offenders = files.flatMap((f) =>
      forbiddenImports(readFileSync(f, 'utf8')).map((spec) => `${path.relative(core, f)}: ${spec}`),
    );
    expect(offenders).toEqual([]);
  });
});
