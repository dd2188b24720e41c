/**
 * Micro-benchmark of the classifier, in process: builds it as a service does at start (reading
 * the model file of the build, dist/model/text-model.bin, or training when it does not match the
 * corpus), warms up, then times `classify` per message over two sets of texts: the dev set with the
 * first holdout (text like the training corpus), and the hard development set (long, capitals,
 * transcripts, code-switching, English).
 *
 * Two same-run baselines make the figures ratios, less dependent on how busy the machine is:
 * - the classifier as it was before the messy-text work (bench/support/baseline-classifier.ts,
 *   built from git history), timed pass by pass in turn with the current one on the same texts;
 * - normalising the same texts, the cheapest step any classifier needs.
 *
 * Run: `npm run build && node dist/bench/classification.bench.js`
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EMPTY_MAPPINGS, findRepositoryRoot, loadClassifier, measureLatency, normalizeText, readLabelledPaths } from '@conmutador/classification';
import { BaselineClassifier, loadBaselineClassifier } from './support/baseline-classifier';

const MIN_CONFIDENCE = 0.2;
const WARM_UP_PASSES = 5;
const MEASURED_PASSES = 10;

export interface TimedSet {
  name: string;
  messages: number;
  /** Median and p95 µs per classify() after warm-up. */
  classifyUs: number;
  classifyP95Us: number;
  /** The same for the baseline classifier, timed pass by pass in turn on the same texts. */
  baselineUs?: number;
  baselineP95Us?: number;
  /** classifyUs / baselineUs: the cost of the current classifier against the one before it. */
  ratioToBaseline?: number;
}

export interface ClassificationBenchResult {
  /** Median µs per classify() after warm-up, on the corpus-like texts. */
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
  /** Per set of texts, with the baseline beside it. */
  sets: TimedSet[];
  /** The baseline classifier: its commit and training time, or why it could not run. */
  baseline: { commit: string; trainingMs: number } | { unavailable: string };
}

interface BenchSet {
  name: string;
  texts: string[];
}

/** Corpus-like texts (the dev set and the first holdout) and the hard development set, all kept in the repository. */
function benchSets(): BenchSet[] {
  const corpus = join(findRepositoryRoot(__dirname), 'libs', 'classification', 'corpus');
  const devSet = process.env.CLASSIFICATION_BENCH_DEV_SET ?? join(corpus, 'dev', 'utterances-dev.jsonl');
  const existing = (paths: string[]): string[] => paths.filter((path) => existsSync(path));
  const read = (paths: string[]): string[] => readLabelledPaths(existing(paths)).utterances.map((u) => u.text);
  const sets = [
    { name: 'corpus-like', texts: read([devSet, join(corpus, 'holdout')]) },
    { name: 'hard-dev', texts: read([join(corpus, 'hard-dev')]) },
  ].filter((set) => set.texts.length > 0);
  if (sets.length === 0) throw new Error(`no benchmark texts found under ${corpus}`);
  return sets;
}

/**
 * Times two classifiers on the same texts, one pass each in turn (the first to run alternates), so
 * that a slow minute of the machine lands on both. Returns median and p95 µs per message of each.
 */
function timeInTurn(
  current: (text: string) => unknown,
  baseline: (text: string) => unknown,
  texts: readonly string[],
): { current: { median: number; p95: number }; baseline: { median: number; p95: number } } {
  for (let pass = 0; pass < WARM_UP_PASSES; pass += 1) {
    for (const text of texts) {
      current(text);
      baseline(text);
    }
  }
  const currentSamples = new Float64Array(texts.length * MEASURED_PASSES);
  const baselineSamples = new Float64Array(texts.length * MEASURED_PASSES);
  const timePass = (operation: (text: string) => unknown, samples: Float64Array, offset: number): void => {
    for (let index = 0; index < texts.length; index += 1) {
      const started = process.hrtime.bigint();
      operation(texts[index]);
      samples[offset + index] = Number(process.hrtime.bigint() - started) / 1000;
    }
  };
  for (let pass = 0; pass < MEASURED_PASSES; pass += 1) {
    const offset = pass * texts.length;
    if (pass % 2 === 0) {
      timePass(current, currentSamples, offset);
      timePass(baseline, baselineSamples, offset);
    } else {
      timePass(baseline, baselineSamples, offset);
      timePass(current, currentSamples, offset);
    }
  }
  const summary = (samples: Float64Array) => {
    samples.sort();
    const at = (fraction: number) => samples[Math.min(samples.length - 1, Math.max(0, Math.ceil(fraction * samples.length) - 1))];
    return { median: at(0.5), p95: at(0.95) };
  };
  return { current: summary(currentSamples), baseline: summary(baselineSamples) };
}

async function tryLoadBaseline(): Promise<{ classifier: BaselineClassifier; commit: string; trainingMs: number } | { unavailable: string }> {
  if (process.env.CLASSIFICATION_BENCH_BASELINE === 'off') return { unavailable: 'turned off (CLASSIFICATION_BENCH_BASELINE=off)' };
  try {
    return await loadBaselineClassifier(findRepositoryRoot(__dirname), MIN_CONFIDENCE);
  } catch (error) {
    return { unavailable: (error as Error).message };
  }
}

export async function runClassificationBench(): Promise<ClassificationBenchResult> {
  const sets = benchSets();
  const modelFile = join(findRepositoryRoot(__dirname), 'dist', 'model', 'text-model.bin');
  const { classifier, modelSource, milliseconds: modelMs } = await loadClassifier({ mappings: EMPTY_MAPPINGS, minConfidence: MIN_CONFIDENCE, modelFile });
  const baseline = await tryLoadBaseline();
  const classify = (text: string) => classifier.classify({ text });
  const timedSets: TimedSet[] = sets.map(({ name, texts }) => {
    if ('unavailable' in baseline) {
      const alone = measureLatency(classify, texts, { warmUpPasses: WARM_UP_PASSES, measuredPasses: MEASURED_PASSES });
      return { name, messages: texts.length, classifyUs: alone.medianMicros, classifyP95Us: alone.p95Micros };
    }
    const old = baseline.classifier;
    const timed = timeInTurn(classify, (text) => old.classify({ text }), texts);
    return {
      name,
      messages: texts.length,
      classifyUs: timed.current.median,
      classifyP95Us: timed.current.p95,
      baselineUs: timed.baseline.median,
      baselineP95Us: timed.baseline.p95,
      ratioToBaseline: timed.current.median / timed.baseline.median,
    };
  });
  const corpusLike = sets[0];
  const normalize = measureLatency((text) => normalizeText(text), corpusLike.texts, { warmUpPasses: WARM_UP_PASSES, measuredPasses: MEASURED_PASSES });
  const main = timedSets[0];
  return {
    classifyUs: main.classifyUs,
    classifyP95Us: main.classifyP95Us,
    normalizeUs: normalize.medianMicros,
    normalizeP95Us: normalize.p95Micros,
    ratioToNormalize: main.classifyUs / normalize.medianMicros,
    messages: corpusLike.texts.length,
    samples: corpusLike.texts.length * MEASURED_PASSES,
    modelSource,
    modelMs,
    sets: timedSets,
    baseline: 'unavailable' in baseline ? baseline : { commit: baseline.commit, trainingMs: baseline.trainingMs },
  };
}

export function formatClassificationBench(result: ClassificationBenchResult): string {
  const baselineLine =
    'unavailable' in result.baseline
      ? `baseline classifier unavailable: ${result.baseline.unavailable}`
      : `baseline: the classifier at ${result.baseline.commit.slice(0, 12)}, trained at start in ${result.baseline.trainingMs.toFixed(0)} ms, timed pass by pass in turn`;
  const lines = [
    `classification bench: ${WARM_UP_PASSES} warm-up and ${MEASURED_PASSES} measured passes; model ${result.modelSource === 'file' ? 'read from the model file' : 'trained'} in ${result.modelMs.toFixed(0)} ms`,
    baselineLine,
    `${'texts'.padEnd(12)} ${'n'.padStart(5)} ${'classify µs'.padStart(12)} ${'p95'.padStart(7)} ${'baseline µs'.padStart(12)} ${'p95'.padStart(7)} ${'ratio'.padStart(6)}`,
  ];
  for (const set of result.sets) {
    const cell = (value: number | undefined, width: number) => (value === undefined ? 'n/a' : value.toFixed(1)).padStart(width);
    const ratio = set.ratioToBaseline === undefined ? 'n/a' : `${set.ratioToBaseline.toFixed(2)}×`;
    lines.push(
      `${set.name.padEnd(12)} ${String(set.messages).padStart(5)} ${cell(set.classifyUs, 12)} ${cell(set.classifyP95Us, 7)} ${cell(set.baselineUs, 12)} ${cell(set.baselineP95Us, 7)} ${ratio.padStart(6)}`,
    );
  }
  lines.push(`normalizeText on the corpus-like texts: ${result.normalizeUs.toFixed(1)} µs median (classify is ${result.ratioToNormalize.toFixed(1)}× that)`);
  return lines.join('\n');
}

if (require.main === module) {
  runClassificationBench()
    .then((result) => process.stdout.write(`${formatClassificationBench(result)}\n`))
    .catch((error: unknown) => {
      process.stderr.write(`classification bench: ${(error as Error).message ?? String(error)}\n`);
      process.exitCode = 1;
    });
}
