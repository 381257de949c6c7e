/**
 * GROUPDESK_DATA_DIR, checked once at start before anything opens a file in it: it must be
 * (or be creatable as) a directory on a real filesystem that this process can write. A
 * mistake stops the start with a ConfigError naming the key, instead of a stack trace at
 * the first write or a hang (libsql opening a database under /proc never returns).
 */
import { mkdirSync, realpathSync, rmSync, type Stats, statfsSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../src/core/errors';

/** Kernel filesystems mounted here on Linux; nothing written under them is data on a disk. */
const PSEUDO_ROOTS = ['/proc', '/sys', '/dev'];

/**
 * statfs(2) `f_type` of the same kernel filesystems, for one mounted elsewhere
 * (linux/magic.h: proc, sysfs, devpts, cgroup, cgroup2, debugfs, securityfs, tracefs, bpf).
 */
const PSEUDO_TYPES = new Map<number, string>([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x1cd1, 'devpts'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x64626720, 'debugfs'],
  [0x73636673, 'securityfs'],
  [0x74726163, 'tracefs'],
  [0xcafe4a11, 'bpf'],
]);

/** Creates the directory (mode 0700) when missing; throws a ConfigError saying why it cannot serve. */
export function checkDataDir(value: string): void {
  const refuse = (why: string): never => {
    throw new ConfigError(`environment: GROUPDESK_DATA_DIR=${JSON.stringify(value)}: ${why}`);
  };
  const dir = path.resolve(value);
  const { at, stats } = nearestExisting(dir, refuse);
  refusePseudo(at, refuse);
  if (at === dir) {
    if (!stats.isDirectory()) refuse(`is ${kindOf(stats)}, not a directory`);
  } else {
    if (!stats.isDirectory()) refuse(`cannot be created: ${at} is ${kindOf(stats)}, not a directory`);
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch (error) {
      refuse(`cannot be created (${describe(error)})`);
    }
    refusePseudo(dir, refuse); // a symbolic link on the way may lead elsewhere
  }
  // access(2) says yes to root on a read-only mount's neighbours and to ACL-less guesses:
  // writing a file is the only answer that holds.
  const probe = path.join(dir, `.groupdesk-write-check-${process.pid}`);
  try {
    writeFileSync(probe, '', { flag: 'wx', mode: 0o600 });
  } catch (error) {
    refuse(`is not writable (${describe(error)})`);
  }
  rmSync(probe, { force: true });
}

/** `dir` or its nearest ancestor that exists, with its stats (through symbolic links). */
function nearestExisting(dir: string, refuse: (why: string) => never): { at: string; stats: Stats } {
  for (let at = dir; ; at = path.dirname(at)) {
    try {
      return { at, stats: statSync(at) };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // ENOTDIR: a file on the way; its own stat tells which one.
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || at === path.dirname(at))
        refuse(`cannot be read (${describe(error)})`);
    }
  }
}

function refusePseudo(existing: string, refuse: (why: string) => never): void {
  const real = realpathSync(existing);
  const root = PSEUDO_ROOTS.find((r) => real === r || real.startsWith(`${r}/`));
  const type = root === undefined ? PSEUDO_TYPES.get(statfsSync(real).type) : undefined;
  if (root !== undefined || type !== undefined)
    refuse(
      `is on ${root ?? `a ${type} mount`}, a pseudo-filesystem of the kernel, not a disk: ` +
        'choose a directory on a disk, e.g. ./data',
    );
}

function kindOf(stats: Stats): string {
  return stats.isFile() ? 'a file' : 'a special file';
}

function describe(error: unknown): string {
  // "EACCES: permission denied, open '…'" → "EACCES: permission denied"
  return (error as Error).message.split(',')[0] ?? String(error);
}
