/**
 * The key that signs the web console's sign-in links and sessions: GROUPDESK_WEB_SECRET, or
 * one generated on first use and kept in the data dir (`web-secret`, mode 0600) so that links
 * and sessions survive a restart and the CLI (`groupdesk web-link`) signs with the same key.
 * Several instances on one MongoDB must share it: set GROUPDESK_WEB_SECRET there.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CoreEnv } from './schema';

const FILE = 'web-secret';

/** Reads (or creates once) the secret; lazily, so a process that never signs anything writes nothing. */
export function webSecret(env: Pick<CoreEnv, 'GROUPDESK_WEB_SECRET' | 'GROUPDESK_DATA_DIR'>): () => Buffer {
  let secret: Buffer | undefined;
  return () => {
    if (secret) return secret;
    if (env.GROUPDESK_WEB_SECRET !== undefined) {
      secret = Buffer.from(env.GROUPDESK_WEB_SECRET, 'utf8');
      return secret;
    }
    const file = path.join(env.GROUPDESK_DATA_DIR, FILE);
    try {
      secret = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      mkdirSync(env.GROUPDESK_DATA_DIR, { recursive: true, mode: 0o700 });
      const fresh = randomBytes(32).toString('base64url');
      try {
        // `wx`: a second process creating it at the same moment loses, and reads the winner's.
        writeFileSync(file, `${fresh}\n`, { mode: 0o600, flag: 'wx' });
      } catch (raced) {
        if ((raced as NodeJS.ErrnoException).code !== 'EEXIST') throw raced;
      }
      secret = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url');
    }
    if (secret.length < 32) throw new Error(`${file} in GROUPDESK_DATA_DIR holds too short a key`);
    return secret;
  };
}

/** The public address of the console: GROUPDESK_WEB_URL, else where it listens (8080 when the port is unset or 0). */
export function webBaseUrl(
  env: Pick<CoreEnv, 'GROUPDESK_WEB_URL' | 'GROUPDESK_WEB_HOST' | 'GROUPDESK_WEB_PORT'>,
): string {
  if (env.GROUPDESK_WEB_URL) return env.GROUPDESK_WEB_URL.replace(/\/+$/, '');
  const host = env.GROUPDESK_WEB_HOST.includes(':') ? `[${env.GROUPDESK_WEB_HOST}]` : env.GROUPDESK_WEB_HOST;
  return `http://${host}:${env.GROUPDESK_WEB_PORT || 8080}`;
}
