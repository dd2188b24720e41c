/**
 * Micro-benchmark of the classifier, in process: builds it as a service does at start (reading
 * the model file of the build, dist/model/text-model.bin, or training when it does not match the
 * corpus), warms up, then times `classify` per message over the dev set and the holdout texts. As a
 * same-run baseline it times normalising the same texts (the cheapest step any classifier needs),
 * so that the figure can be read as a ratio, less dependent on how busy the machine is.
 *
 * Run: `npm run build && node dist/bench/classification.bench.js`
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EMPTY_MAPPINGS, findRepositoryRoot, loadClassifier, measureLatency, normalizeText, readLabelledPaths } from '@conmutador/classification';

export interface ClassificationBenchResult {
  /** Median µs per classify() after warm-up. */
  classifyUs: number;
  classifyP95Us: number;
  /** Median µs per normalizeText() on the same texts, same run. */
  normalizeUs: number;
  normalizeP95Us: number;
  /** classifyUs / normalizeUs. */
  ratioToNormalize: number;
  messages: number;
  samples: number;
  /** Where the text model came from: the build's model file, or training at start. */
  modelSource: 'file' | 'training';
  /** Reading the model file, or training. */
  modelMs: number;
}

/** The development set and the first holdout, both kept in the repository. */
function benchTexts(): string[] {
  const root = findRepositoryRoot(__dirname);
  const devSet = process.env.CLASSIFICATION_BENCH_DEV_SET ?? join(root, 'libs', 'classification', 'corpus', 'dev', 'utterances-dev.jsonl');
  const holdoutDir = join(root, 'libs', 'classification', 'corpus', 'holdout');
  const files = [...(existsSync(devSet) ? [devSet] : []), ...(existsSync(holdoutDir) ? [holdoutDir] : [])];
  const texts = readLabelledPaths(files).utterances.map((u) => u.text);
  if (texts.length === 0) throw new Error(`no benchmark texts found (looked for ${devSet} and ${holdoutDir})`);
  return texts;
}

export async function runClassificationBench(): Promise<ClassificationBenchResult> {
  const texts = benchTexts();
  const modelFile = join(findRepositoryRoot(__dirname), 'dist', 'model', 'text-model.bin');
  const { classifier, modelSource, milliseconds: modelMs } = await loadClassifier({ mappings: EMPTY_MAPPINGS, minConfidence: 0.2, modelFile });
  const passes = { warmUpPasses: 5, measuredPasses: 10 };
  const normalize = measureLatency((text) => normalizeText(text), texts, passes);
  const classify = measureLatency((text) => classifier.classify({ text }), texts, passes);
  return {
    classifyUs: classify.medianMicros,
    classifyP95Us: classify.p95Micros,
    normalizeUs: normalize.medianMicros,
    normalizeP95Us: normalize.p95Micros,
    ratioToNormalize: classify.medianMicros / normalize.medianMicros,
    messages: texts.length,
    samples: classify.samples,
    modelSource,
    modelMs,
  };
}

function printTable(result: ClassificationBenchResult): void {
  const row = (name: string, median: number, p95: number, ratio: string): string =>
    `${name.padEnd(20)} ${median.toFixed(1).padStart(10)} ${p95.toFixed(1).padStart(10)} ${ratio.padStart(8)}`;
  const lines = [
    `classification bench: ${result.messages} messages × 10 passes after 5 warm-up passes; model ${result.modelSource === 'file' ? 'read from the model file' : 'trained'} in ${result.modelMs.toFixed(0)} ms`,
    `${'operation'.padEnd(20)} ${'median µs'.padStart(10)} ${'p95 µs'.padStart(10)} ${'ratio'.padStart(8)}`,
    row('normalizeText', result.normalizeUs, result.normalizeP95Us, '1.0×'),
    row('classify', result.classifyUs, result.classifyP95Us, `${result.ratioToNormalize.toFixed(1)}×`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

if (require.main === module) {
  runClassificationBench()
    .then(printTable)
    .catch((error: unknown) => {
      process.stderr.write(`classification bench: ${(error as Error).message ?? String(error)}\n`);
      process.exitCode = 1;
    });
}
