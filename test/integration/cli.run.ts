/** Runs the admin CLI in-process on a data directory, as `groupdesk …` would, and collects what it printed. */
import path from 'node:path';
import { runCli } from '../../src/cli';

export async function runCliIn(
  dir: string,
  locale: 'en' | 'zh-CN',
  argv: readonly string[],
): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const env = {
    GROUPDESK_LOCALE: locale,
    GROUPDESK_DATA_DIR: dir,
    GROUPDESK_CONFIG_DIR: path.join(__dirname, '../../config'),
  };
  const code = await runCli([...argv], { out: (s) => (out += s), err: (s) => (err += s) }, env);
  return { code, out, err };
}
