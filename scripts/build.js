/**
 * The precompiled entry points `npm start` runs: src/main.ts and src/cli/index.ts bundled by
 * esbuild (the compiler tsx already uses, so nothing new is downloaded) into dist/, with the
 * npm packages left as requires. `npm ci` builds through the `prepare` script; `ensureBuilt`
 * rebuilds first when any source is newer than the build, so an edited checkout never runs
 * stale code. Type checking stays with `npm run typecheck`: esbuild only strips types.
 */
const { mkdirSync, readdirSync, statSync, writeFileSync, readFileSync } = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const dist = path.join(root, 'dist');
const STAMP = path.join(dist, 'build.json');
const SOURCES = ['src', 'adapters', 'commands', 'config'];
const ENTRIES = ['src/main.ts', 'src/cli/index.ts'];

/** The newest modification time of the TypeScript sources and of the lock file. */
function newestSource() {
  let newest = statSync(path.join(root, 'package-lock.json')).mtimeMs;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(file).mtimeMs);
    }
  };
  for (const dir of SOURCES) walk(path.join(root, dir));
  return newest;
}

function build() {
  const esbuild = require('esbuild');
  const started = Date.now();
  esbuild.buildSync({
    absWorkingDir: root,
    entryPoints: ENTRIES,
    outbase: '.',
    outdir: dist,
    bundle: true,
    packages: 'external',
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    logLevel: 'warning',
  });
  mkdirSync(dist, { recursive: true });
  writeFileSync(STAMP, `${JSON.stringify({ builtAt: Date.now(), ms: Date.now() - started })}\n`);
}

/** Builds when dist/ is missing or older than a source. */
function ensureBuilt() {
  let builtAt = 0;
  try {
    builtAt = JSON.parse(readFileSync(STAMP, 'utf8')).builtAt;
  } catch {
    // no build yet
  }
  if (builtAt <= newestSource()) build();
}

module.exports = { ensureBuilt, dist };

if (require.main === module) build();
