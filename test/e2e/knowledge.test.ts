/** The vendor's knowledge file: matching questions get documentation links in the acknowledgement. */
import { type Playground, playground } from './harness';

describe('knowledge file links', () => {
  let pg: Playground;
  afterEach(() => pg.close());

  it('adds the matching links of the reader’s language to the acknowledgement, and none otherwise', async () => {
    pg = await playground();
    const out = await pg.play(`
      @bot npm install fails behind our corporate proxy
      :clock +10m
      @bot the exporter crops the last page
    `);
    expect(out).toContain(
      'Add details any time by mentioning #1001.\n  While you wait, these pages may help:\n  • Installing behind a proxy (npm config: proxy, https-proxy): https://docs.npmjs.com/cli/v10/using-npm/config#proxy',
    );
    const second = out.slice(out.indexOf('Ticket #1002'));
    expect(second).not.toContain('these pages may help');
    // The ticket is what it would be without the links: opened, announced, nothing else stored.
    const events = await pg.store.listEvents(1001);
    expect(events.map((e) => e.kind)).toEqual(['customer_message']);
    expect(out).toContain('[staff] groupdesk: New ticket #1001');
  });

  it('matches the Chinese entries for a Chinese reader', async () => {
    pg = await playground({ locale: 'zh-CN' });
    const out = await pg.play('@bot 安装时报 SELF_SIGNED_CERT_IN_CHAIN，公司用自签名证书');
    expect(out).toContain(
      '等待期间，这些文档也许有帮助：\n  • 信任公司内部证书（NODE_EXTRA_CA_CERTS）：https://nodejs.org/api/cli.html#node_extra_ca_certsfile',
    );
    expect(out).not.toContain('Trusting your company');
  });
});
