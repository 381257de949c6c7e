/**
 * One conversation, the same on every platform: played through each real adapter and its
 * local peer (the per-platform drivers next to this file), asserting what the customer and
 * the staff actually receive through the peer and what the store holds.
 */
import type { Ticket, TicketEvent } from '../../../src/core/model';

/** What a platform's driver does with its peer; every action resolves once the desk has handled it. */
export interface ContractPlatform {
  /** The engineer's name as the desk knows them (the harnesses differ). */
  readonly engineer: string;
  /** The customer asks in their group/channel, addressing the bot as the platform does. */
  customerAsks(text: string): Promise<void>;
  /** The customer adds to the ticket the platform's way: in its thread, or naming #id in the group. */
  customerFollowsUp(ticket: number, text: string): Promise<void>;
  /** The engineer types a command in the staff group/channel. */
  engineerTypes(command: string): Promise<void>;
  /** The texts the bot posted where the ticket lives for the customer (its thread, or the group), in order. */
  customerSaw(ticket: number): Promise<string[]>;
  /** The texts the bot posted in the staff group/channel, in order. */
  staffSaw(): Promise<string[]>;
  ticket(number: number): Promise<Ticket | undefined>;
  events(number: number): Promise<TicketEvent[]>;
}

const ASK = 'the build fails on Node 20';
const ANSWER = 'try clearing the npm cache';
const FOLLOW_UP = 'still failing after clearing it';

const kinds = (events: readonly TicketEvent[], kind: TicketEvent['kind']) =>
  events.filter((e) => e.kind === kind).map((e) => e.text);

/** Plays ask → ack → announcement → claim → reply → follow-up → resolve → customer told. */
export async function playConversation(p: ContractPlatform): Promise<void> {
  // The customer asks: one ticket, acknowledged with its number; the staff are told.
  await p.customerAsks(ASK);
  expect(await p.ticket(1001)).toMatchObject({
    number: 1001,
    customerId: 'acme',
    status: 'open',
    subject: ASK,
  });
  expect(await p.ticket(1002)).toBeUndefined();
  expect(await p.customerSaw(1001)).toEqual([expect.stringContaining('Ticket #1001 is open (Basic plan)')]);
  const [announcement, ...more] = await p.staffSaw();
  expect(more).toEqual([]);
  for (const part of ['New ticket #1001', 'ACME Corp', ASK]) expect(announcement).toContain(part);

  // An engineer claims it: the ticket is theirs and the customer is told who works on it.
  await p.engineerTypes('/claim #1001');
  expect(await p.ticket(1001)).toMatchObject({ status: 'claimed' });
  expect((await p.customerSaw(1001)).slice(1)).toEqual([
    expect.stringContaining(`#1001: ${p.engineer} is working on your request.`),
  ]);

  // The engineer replies from the staff place: the answer reaches the customer's thread/group.
  await p.engineerTypes(`/reply #1001 ${ANSWER}`);
  expect((await p.customerSaw(1001)).slice(2)).toEqual([expect.stringContaining(ANSWER)]);
  expect(await p.staffSaw()).toContainEqual(
    expect.stringContaining('Reply to #1001 delivered to the customer.'),
  );
  expect(kinds(await p.events(1001), 'staff_reply')).toEqual([ANSWER]);
  expect((await p.ticket(1001))?.firstResponseAt).toBeDefined();

  // The customer follows up: it lands on the same ticket, no new one.
  await p.customerFollowsUp(1001, FOLLOW_UP);
  expect(kinds(await p.events(1001), 'customer_message')).toEqual([ASK, expect.stringContaining(FOLLOW_UP)]);
  expect(await p.ticket(1002)).toBeUndefined();

  // The engineer resolves it: the customer is told, in the same place, and asked how it went
  // (the survey comes after the resolution where the platform shows it in the ticket's place).
  await p.engineerTypes('/resolve #1001');
  expect(await p.ticket(1001)).toMatchObject({ status: 'resolved' });
  // (Where a card cannot mention — DingTalk, Feishu — the survey's mention goes just before it.)
  const told = (await p.customerSaw(1001)).filter(
    (text) => text.includes('#1001') && !text.includes('How did we do on #1001?'),
  );
  expect(told.at(-1)).toContain(`#1001 has been resolved by ${p.engineer}.`);
  expect(await p.events(1001)).toContainEqual(expect.objectContaining({ kind: 'survey_sent' }));
}
