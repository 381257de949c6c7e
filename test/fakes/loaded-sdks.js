// Preloaded with `node -r`: at exit, names on stderr the platform SDKs and drivers this process loaded.
const HEAVY = [
  '@slack/bolt',
  'discord.js',
  'wechaty',
  'mongoose',
  '@larksuiteoapi/node-sdk',
  'dingtalk-stream',
];
process.on('exit', () => {
  const files = Object.keys(require.cache);
  const loaded = HEAVY.filter((m) => files.some((f) => f.includes(`/node_modules/${m}/`)));
  process.stderr.write(`loaded SDKs: ${loaded.join(',') || 'none'}\n`);
});
