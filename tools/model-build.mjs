// `npm run model:build` (also the last step of `npm run build` and `npm run build:prod`): trains the
// classifier's text model from libs/classification/corpus/train and writes dist/model/text-model.bin,
// which the services read at start instead of training. Runs the compiled library in dist/.
// Training is skipped when the file already records this corpus, taxonomy and training code
// (their sha256), so repeated builds stay fast; `--force` trains anyway, `--out=PATH` writes elsewhere.
// Deterministic: the same corpus and code give the same bytes. Progress goes to stderr.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, utimesSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const out = args.find((arg) => arg.startsWith('--out='))?.slice('--out='.length) ?? join(root, 'dist', 'model', 'text-model.bin');
const library = join(root, 'dist', 'libs', 'classification', 'src', 'index.js');

// What training depends on besides the corpus: the classification library's sources (less the
// parts that only act after the text model has scored: emergency cues, evaluation, the combining
// classifier and mappings), the sector table and the nlp.js packages. A change to any of them
// trains again even if TEXT_MODEL_CODE_VERSION was not bumped; the version still guards the
// files services load.
const NOT_TRAINING = /(\.spec\.ts$|^emergency\/|^evaluation\/|^combined-classifier\.ts$|^mappings\.ts$)/;

function* sourcesUnder(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourcesUnder(path);
    else if (entry.name.endsWith('.ts')) yield path;
  }
}

function trainingCodeSha256() {
  const hash = createHash('sha256');
  const classification = join(root, 'libs', 'classification', 'src');
  const files = [...sourcesUnder(classification)].filter((path) => !NOT_TRAINING.test(relative(classification, path).split('\\').join('/')));
  files.push(join(root, 'libs', 'contracts', 'src', 'sectors.ts'));
  for (const file of files) hash.update(`${relative(root, file)}\n`).update(readFileSync(file));
  const nlpjs = join(root, 'node_modules', '@nlpjs');
  for (const name of readdirSync(nlpjs).sort()) hash.update(`@nlpjs/${name}@${JSON.parse(readFileSync(join(nlpjs, name, 'package.json'), 'utf8')).version}\n`);
  return hash.digest('hex');
}

if (!existsSync(library)) {
  process.stderr.write(`[model] ${relative(root, library)} is missing: run npm run build (it builds the model too)\n`);
  process.exit(1);
}
const { buildModelFile } = createRequire(import.meta.url)(library);
const result = buildModelFile({ file: out, trainingCodeSha256: trainingCodeSha256(), force: args.includes('--force') });
const where = relative(process.cwd(), out);
if (result.trained) {
  const megabytes = (statSync(out).size / 1e6).toFixed(1);
  process.stderr.write(`[model] trained in ${(result.milliseconds / 1000).toFixed(1)} s (${result.reason}): ${megabytes} MB written to ${where}\n`);
} else {
  // Newer than the corpus from now on: tools/bootstrap.mjs compares their times before asking again.
  const now = new Date();
  utimesSync(out, now, now);
  process.stderr.write(`[model] ${where} is up to date (corpus sha256 ${result.header.corpusSha256.slice(0, 12)}…)\n`);
}
