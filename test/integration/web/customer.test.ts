/** A customer's own page: their plan (as /plan words it) beside their tickets. */
import { getAs, type World, world } from './world';

describe('the customer page', () => {
  let w: World;
  beforeEach(async () => {
    w = await world();
    await w.say('alice', 'acme', '@bot the build fails on Node 20'); // #1001
  });
  afterEach(() => w.close());

  it('shows the plan, its expiry and training left, beside the tickets; staff see no plan box', async () => {
    const chat = (await w.say('alice', 'acme', '/plan')).map((m) => m.text).join('\n');
    const page = (await getAs(w, await w.signIn('alice'), '/')).body;
    expect(page).toContain('<section id="plan"><h2>Your support plan</h2>');
    for (const line of chat.split('\n')) expect(page).toContain(`<p>${line.replace(/&/g, '&amp;')}</p>`);
    expect(page).toMatch(/Plan: .+, valid until/);
    expect(page).toContain('data-ticket="1001"');
    expect((await getAs(w, await w.signIn('bob'), '/')).body).not.toContain('id="plan"');
  });

  it('follows a plan change', async () => {
    await w.desk.services.directory.changePlan('acme', 'enterprise');
    const page = (await getAs(w, await w.signIn('alice'), '/')).body;
    expect(page).toMatch(/Plan: Enterprise/);
  });
});
