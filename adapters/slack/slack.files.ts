import { z } from 'zod';
import { attachmentLine, attachmentName, httpUrl, TAG } from '../attachments';

/**
 * The fields GroupDesk reads from a message's `files` (https://docs.slack.dev/reference/objects/file-object).
 * `url_private` is deliberately not read: it only works with the bot token, and nothing
 * derived from it may reach a ticket or a channel.
 */
const slackFile = z.object({
  name: z.string().nullish(),
  title: z.string().nullish(),
  mimetype: z.string().nullish(),
  permalink: z.string().nullish(),
});

const fileList = z.array(z.unknown());

/**
 * One attachment line per well-formed entry of an event's `files`: `[image]`, `[video]` or
 * `[file]` by MIME type, the file name (else its title), and the permalink, which opens the
 * file in Slack for members of the workspace. Malformed entries (and a `files` that is not
 * an array) are skipped: a broken file list never costs the message its text.
 */
export function fileLines(files: unknown): string[] {
  const list = fileList.safeParse(files);
  if (!list.success) return [];
  const lines: string[] = [];
  for (const entry of list.data) {
    const parsed = slackFile.safeParse(entry);
    if (!parsed.success) continue;
    const f = parsed.data;
    const mime = f.mimetype?.toLowerCase() ?? '';
    const tag = mime.startsWith('image/') ? TAG.image : mime.startsWith('video/') ? TAG.video : TAG.file;
    const name = attachmentName(f.name) ?? attachmentName(f.title);
    lines.push(attachmentLine(tag, { name, url: httpUrl(f.permalink) }));
  }
  return lines;
}
