import type { Message } from 'wechaty';
import { types } from 'wechaty';
import { type AttachmentTag, attachmentLine, attachmentName, httpUrl, TAG } from '../attachments';

/**
 * What a non-text WeChat message shows on the ticket: one attachment line with the same tags
 * as QQ's (`[image]`, `[file] <name>`, `[link] <url>` …), or undefined for the kinds GroupDesk
 * drops (unknown, recalled, system notes, money transfers and red packets, posts).
 *
 * Nothing is downloaded. Images, videos and voice have no link a member of the room could
 * open, so they are a bare tag. A file's name is the puppet's `filename` payload field
 * (wechat4u fills it from the message's XML, puppet-service from the provider's payload);
 * `msg.toFileBox()` would also give it, but most puppets download the whole file to build
 * that FileBox (wechat4u fetches the document), so it is not used. A link's URL comes from
 * `msg.toUrlLink()`, which parses what the puppet already holds. Whatever a puppet throws
 * while reading a name or URL leaves the bare tag: the message is never lost over it.
 * See https://wechaty.js.org/docs/api/message
 */
export async function mediaText(msg: Message): Promise<string | undefined> {
  const type = msg.type();
  if (type === types.Message.Attachment)
    return attachmentLine(TAG.file, { name: attachmentName(fileName(msg)) });
  if (type === types.Message.Url) return attachmentLine(TAG.link, { url: await linkUrl(msg) });
  return TAGS.get(type);
}

/** The kinds shown as a bare tag; any type missing here is dropped. */
const TAGS: ReadonlyMap<types.Message, AttachmentTag> = new Map([
  [types.Message.Image, TAG.image],
  [types.Message.Video, TAG.video],
  [types.Message.Audio, TAG.voice],
  [types.Message.Emoticon, TAG.sticker],
  [types.Message.MiniProgram, TAG.card], // QQ's mini programs arrive as `json` cards: the same tag
  [types.Message.Contact, TAG.contact],
  [types.Message.Location, TAG.location],
  [types.Message.ChatHistory, TAG.forward],
]);

function fileName(msg: Message): string | undefined {
  try {
    return msg.payload?.filename;
  } catch {
    return undefined;
  }
}

async function linkUrl(msg: Message): Promise<string | undefined> {
  try {
    return httpUrl((await msg.toUrlLink()).url());
  } catch {
    return undefined;
  }
}
