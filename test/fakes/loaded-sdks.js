// Preloaded with `node -r`: at exit, names on stderr the platform SDKs, drivers and other heavy modules this process loaded.
const HEAVY = [
  '@slack/bolt',
  'discord.js',
  'wechaty',
  'mongoose',
  '@larksuiteoapi/node-sdk',
  'dingtalk-stream',
  // fastify's JSON schema compilers: the web console declares no schema (src/web/server.ts).
  '@fastify/ajv-compiler',
  '@fastify/fast-json-stringify-compiler',
];
process.on('exit', () => {
  const files = Object.keys(require.cache);
  const loaded = HEAVY.filter((m) => files.some((f) => f.includes(`/node_modules/${m}/`)));
  process.stderr.write(`loaded SDKs: ${loaded.join(',') || 'none'}\n`);
});
