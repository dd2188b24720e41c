// Run by plain `node`, not inside jest: jest's module registry ignores Node's module cache, where
// the replacements live. Loads the modules named on the command line, in that order, then prints
// as JSON whether each kafkajs module replacement of the built @conmutador/kafka is in effect,
// keyed by the field of its start-up line: {"producerGrouping":true,...}.
const { join } = require('node:path');

for (const module of process.argv.slice(2)) require(module);
const { kafkajsModuleReplacements } = require(join(__dirname, '..', '..', 'dist', 'libs', 'kafka', 'src'));
const inEffect = Object.fromEntries(kafkajsModuleReplacements.map((replaced) => [replaced.announcement.field, replaced.isActive()]));
process.stdout.write(`${JSON.stringify(inEffect)}\n`);
