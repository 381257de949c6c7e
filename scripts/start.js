/** `npm start`: the bot from the precompiled bundle (scripts/build.js), rebuilt first if a source changed. */
const path = require('node:path');
const { ensureBuilt, dist } = require('./build');

ensureBuilt();
process.setSourceMapsEnabled(true); // stack traces name the TypeScript files and lines
require(path.join(dist, 'src', 'main.js'));
