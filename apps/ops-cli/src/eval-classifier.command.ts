/**
 * `npm run eval:classifier -- FILE.jsonl [FILE_OR_DIR ...] [--mistakes]`: scores the classifier on
 * labelled utterances in the dev-set format ({text, sector, intent, emergency}). Several files, or
 * a directory of *.jsonl, are scored together. Prints accuracy per sector, the confusion matrix,
 * intent accuracy, emergency recall and precision, and µs per message (median and p95 after
 * warm-up). Lines that name their `style` and `trap` families are also scored per family, and
 * emergencies at two levels: `emergency` alone, and `emergency` or `possibleEmergency`.
 * `--mistakes` also lists every miss; `--overlap` compares the lines with the training corpus
 * (duplicates by words).
 */
import {
  buildTaxonomy,
  corpusOverlap,
  defaultCorpusDir,
  evaluateClassifier,
  formatCorpusOverlap,
  formatEvaluationReport,
  loadClassifier,
  measureLatency,
  readCorpusDirectory,
  readLabelledPaths,
} from '@conmutador/classification';
import { classifierOptionsFromEnvironment, describeModelSource } from './classifier-environment';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const showMistakes = args.includes('--mistakes');
  const showOverlap = args.includes('--overlap');
  const paths = args.filter((arg) => !arg.startsWith('--'));
  if (paths.length === 0) {
    process.stderr.write('usage: npm run eval:classifier -- FILE.jsonl [FILE_OR_DIR ...] [--mistakes] [--overlap]\n');
    process.exitCode = 2;
    return;
  }
  const { utterances, problems } = readLabelledPaths(paths);
  for (const problem of problems) process.stderr.write(`skipped ${problem}\n`);
  const loaded = await loadClassifier(classifierOptionsFromEnvironment(process.env));
  const { classifier } = loaded;

  const report = evaluateClassifier(classifier, utterances);
  const latency = measureLatency(
    (text) => classifier.classify({ text }),
    utterances.map((u) => u.text),
  );
  process.stdout.write(`files: ${paths.join(', ')}\n`);
  process.stdout.write(`${describeModelSource(loaded)}\n`);
  process.stdout.write(`${formatEvaluationReport(report, latency)}\n`);
  if (showMistakes) {
    process.stdout.write('\nmistakes:\n');
    for (const m of report.mistakes) {
      const families = m.families ? ` {${m.families.join(' ')}}` : '';
      process.stdout.write(`  [${m.kind}] expected ${m.expected}, got ${m.got}${families}: ${m.text}\n`);
    }
  }
  if (showOverlap) {
    const corpus = readCorpusDirectory(defaultCorpusDir(), buildTaxonomy([]));
    const overlap = corpusOverlap(
      utterances.map((u) => u.text),
      corpus.map((u) => u.text),
    );
    process.stdout.write(`\n${formatCorpusOverlap(overlap)}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`eval:classifier: ${(error as Error).message ?? String(error)}\n`);
  process.exitCode = 1;
});
