/**
 * The administration forms: a subscription change, a group binding, a staff change. Each
 * runs the chat command itself (`/sub`, `/bind`, `/staff`: its schema, role and place
 * checks) and is audited as one: a log line naming the door, the person, the command and
 * what it was given, and whether it was done or refused.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { CommandRegistry } from '../../commands/registry';
import type { DeskServices } from '../../commands/types';
import { PLATFORMS } from '../core/chat';
import { UserError } from '../core/errors';
import type { Logger } from '../core/logger';
import type { Person } from '../core/model';
import type { Session } from '../desk/signin';
import { localeOf, runCommand, type WebChat } from './actions';
import { setNotice } from './session';

const customerId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/);
/** Chat and user ids as platforms write them (Slack C0…, WeChat …@chatroom, Feishu oc_…, DingTalk cid…=). */
const chatId = z.string().regex(/^[A-Za-z0-9_@.:=+/-]{1,200}$/);

const subSchema = z.object({
  action: z.enum(['add', 'extend', 'plan']),
  customer: customerId,
  value: z.string().trim().min(1).max(40),
  months: z.union([z.literal(''), z.coerce.number().int().min(1).max(120)]).optional(),
});
const bindSchema = z.object({
  platform: z.enum(PLATFORMS),
  chat: chatId,
  title: z.string().trim().max(200).optional(),
  target: z.union([customerId, z.enum(['staff', 'managers', 'community'])]),
});
const staffSchema = z.object({
  action: z.enum(['add', 'remove']),
  platform: z.enum(PLATFORMS),
  user: chatId,
  name: z.string().trim().max(100).optional(),
  role: z.union([z.literal(''), z.enum(['engineer', 'manager'])]).optional(),
});

export interface AdminActionDeps {
  readonly desk: () => DeskServices;
  readonly registry: CommandRegistry;
  readonly logger: Logger;
  /** A manager's session, or a 404 thrown for anyone else. */
  readonly manager: (req: FastifyRequest, reply: FastifyReply) => Promise<Session | undefined>;
  readonly parse: <S extends z.ZodType>(schema: S, value: unknown) => z.infer<S>;
}

export function registerAdminActions(app: FastifyInstance, deps: AdminActionDeps): void {
  /** Runs the command, audits it, and shows its answer (or refusal) on /admin. */
  const apply = async (
    reply: FastifyReply,
    person: Person,
    command: string,
    args: Record<string, unknown>,
    at?: WebChat,
  ) => {
    const desk = deps.desk();
    const audit = { door: 'web', by: person.id, command, args, ...(at && { at }) };
    try {
      const said = await runCommand(desk, deps.registry, person, command, args, at);
      deps.logger.info('admin change', { ...audit, outcome: 'done' });
      setNotice(reply, { text: said.join('\n'), error: false });
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      deps.logger.info('admin change', { ...audit, outcome: 'refused', reason: error.key });
      const text = desk.translator.t(localeOf(desk, person), error.key, error.params);
      setNotice(reply, { text, error: true });
    }
    return reply.redirect('/admin', 303);
  };
  const csrf = { preHandler: app.csrfProtection };

  app.post('/admin/sub', csrf, async (req, reply) => {
    const session = await deps.manager(req, reply);
    if (!session) return;
    const { months, ...rest } = deps.parse(subSchema, req.body);
    return apply(reply, session.person, 'sub', {
      ...rest,
      ...(typeof months === 'number' ? { months } : {}),
    });
  });

  // `/bind` said in the picked group: the group's current binding is the place it is said in.
  app.post('/admin/bind', csrf, async (req, reply) => {
    const session = await deps.manager(req, reply);
    if (!session) return;
    const { platform, chat, title, target } = deps.parse(bindSchema, req.body);
    const at: WebChat = { platform, chatId: chat, chatKind: 'group', ...(title ? { chatTitle: title } : {}) };
    return apply(reply, session.person, 'bind', { target }, at);
  });

  // `/staff` said to the bot in a direct chat on the picked platform, about a user there.
  app.post('/admin/staff', csrf, async (req, reply) => {
    const session = await deps.manager(req, reply);
    if (!session) return;
    const { action, platform, user, name, role } = deps.parse(staffSchema, req.body);
    const at: WebChat = { platform, chatId: `web:${session.person.id}`, chatKind: 'direct' };
    const who = { id: user, ...(name ? { name } : {}) };
    return apply(reply, session.person, 'staff', { action, who, ...(role ? { role } : {}) }, at);
  });
}
