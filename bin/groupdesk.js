#!/usr/bin/env node
// Runs the TypeScript CLI through tsx so that `npx groupdesk …` works without a build step.
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const tsx = require.resolve('tsx/cli');
const cli = path.join(__dirname, '..', 'src', 'cli', 'index.ts');
const r = spawnSync(process.execPath, [tsx, cli, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
