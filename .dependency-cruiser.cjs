/**
 * The import rules of GroupDesk (ARCHITECTURE.md explains why). `npm run lint` and .ci/run run
 * `depcruise` with this file over the production code; the tests may import anything.
 */
const SDKS =
  '^(@slack/|@octokit/|discord\\.js|wechaty|ws/|mongoose|mongodb|node-cron|libsql|qrcode-terminal|@larksuiteoapi/|dingtalk-stream)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import loop means two modules are one; split what they share into a third.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-is-pure',
      severity: 'error',
      comment:
        'src/core is the model and its ports: it imports nothing of the project outside itself, and no SDK, store driver or scheduler.',
      from: { path: '^src/core/' },
      to: { pathNot: ['^src/core/', '^node_modules/(dayjs|zod)/'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'adapters-see-only-the-core',
      severity: 'error',
      comment:
        'An adapter translates one platform to the core chat model; it may use the core, the adapter kit and its SDK, nothing else of the project.',
      from: { path: '^adapters/' },
      to: { path: '^(src|commands|config)/', pathNot: '^src/core/' },
    },
    {
      name: 'commands-use-the-desk',
      severity: 'error',
      comment:
        'Commands are written against the core and the desk layer; never the chat router, a store or an adapter.',
      from: { path: '^commands/' },
      to: { path: '^(src/router|src/store|src/spool|src/web|adapters)/' },
    },
    {
      name: 'desk-is-door-neutral',
      severity: 'error',
      comment:
        'The desk layer serves every door (chat, web, CLI, SLA worker); it does not know the chat router, commands, a store or an adapter.',
      from: { path: '^src/desk/' },
      to: { path: '^(src/router|src/store|src/spool|src/sla|src/cli|src/web|commands|adapters)/' },
    },
    {
      name: 'other-doors-bypass-the-router',
      severity: 'error',
      comment: 'The SLA worker, the CLI and the stores never go through the chat router.',
      from: { path: '^src/(sla|cli|store|spool)/' },
      to: { path: '^src/router/' },
    },
    {
      name: 'web-runs-on-the-desk',
      severity: 'error',
      comment:
        'The web console is a door of its own: it uses the desk, the core and the commands, never the chat router, an adapter, a store implementation or the spool.',
      from: { path: '^src/web/' },
      to: { path: '^(src/router|src/store|src/spool|src/sla|src/cli|adapters)/' },
    },
    {
      name: 'no-sdk-outside-its-place',
      severity: 'error',
      comment: 'Platform SDKs live in adapters/, store drivers in src/store/, node-cron in the schedulers.',
      from: { path: '^(src/core|src/desk|src/router|src/web|commands)/' },
      to: { path: `^node_modules/${SDKS.slice(1)}` },
    },
    {
      name: 'prom-client-in-src-metrics',
      severity: 'error',
      comment:
        'The Prometheus client is one implementation of the core DeskMetrics port: only src/metrics uses it.',
      from: { pathNot: '^src/metrics/' },
      to: { path: '^node_modules/prom-client/' },
    },
    {
      name: 'nothing-imports-the-root',
      severity: 'error',
      comment:
        'src/main.ts and src/app.ts wire everything together; nothing in production imports them back (tests may).',
      from: { pathNot: '^src/main\\.ts$' },
      to: { path: '^src/(main|app)\\.ts$' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(test|bench)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
