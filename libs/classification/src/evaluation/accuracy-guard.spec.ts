/**
 * Accuracy is a guard, not a README claim: the classifier as shipped (trained on the repository
 * corpus) is scored on the evaluation sets kept in the repository, and each figure must stay at
 * or above the floor it reached when it was last measured. A change that loses a missed
 * emergency or a point of sector accuracy fails here, with the mistakes printed.
 */
import { join } from 'node:path';
import { ConfigurableClassifier } from '../combined-classifier';
import { findRepositoryRoot, readLabelledPaths } from '../corpus/corpus-files';
import { loadClassifier } from '../load-classifier';
import { EMPTY_MAPPINGS } from '../mappings';
import { LabelledUtterance } from '../taxonomy/taxonomy';
import { EvaluationReport, evaluateClassifier, recallAndPrecision } from './evaluate';

jest.setTimeout(180_000);

const corpusRoot = join(findRepositoryRoot(__dirname), 'libs', 'classification', 'corpus');

function readSet(...directories: string[]): LabelledUtterance[] {
  const { utterances, problems } = readLabelledPaths(directories.map((directory) => join(corpusRoot, directory)));
  expect(problems).toEqual([]);
  return utterances;
}

interface Floors {
  sector: number;
  intent: number;
  /** Counting `possibleEmergency`: what reaches emergency triage. */
  emergencyOrPossibleRecall: number;
  /** Counting `emergency` alone. */
  emergencyPrecision: number;
}

function figures(report: EvaluationReport): Floors {
  return {
    sector: report.sectorCorrect / report.total,
    intent: report.intentCorrect / report.intentTotal,
    emergencyOrPossibleRecall: recallAndPrecision(report.emergencyOrPossible).recall,
    emergencyPrecision: recallAndPrecision(report.emergency).precision,
  };
}

function expectAtLeast(report: EvaluationReport, floors: Floors): void {
  const measured = figures(report);
  const below = (Object.keys(floors) as (keyof Floors)[]).filter((key) => !(measured[key] >= floors[key]));
  if (below.length > 0) {
    const mistakes = report.mistakes.map((m) => `[${m.kind}] expected ${m.expected}, got ${m.got}: ${m.text}`).join('\n');
    throw new Error(`below the floor on ${below.join(', ')}: measured ${JSON.stringify(measured)}, floors ${JSON.stringify(floors)}\n${mistakes}`);
  }
}

let classifier: ConfigurableClassifier;

beforeAll(async () => {
  // The model as shipped: the build's model file (npm test builds first), or trained when it is stale.
  const modelFile = join(findRepositoryRoot(__dirname), 'dist', 'model', 'text-model.bin');
  ({ classifier } = await loadClassifier({ mappings: EMPTY_MAPPINGS, minConfidence: 0.2, modelFile }));
});

/**
 * The hard sets, each with the floors it reached. Every emergency must reach triage on each of
 * them. hard-dev-2 to hard-dev-10 were hold-outs, measured once, then turned to development when
 * they missed a target. hard-holdout-4 met every target when measured once; its false alarms
 * were read while tuning later, so it now guards like a development set. hard-holdout-11 met
 * every target when measured once and has not been tuned on.
 */
const HARD_SETS: readonly [set: string, floors: Floors][] = [
  ['hard-dev', { sector: 0.98, intent: 0.94, emergencyOrPossibleRecall: 1, emergencyPrecision: 0.99 }],
  ['hard-dev-2', { sector: 0.975, intent: 0.96, emergencyOrPossibleRecall: 1, emergencyPrecision: 0.99 }],
  ['hard-dev-3', { sector: 0.985, intent: 0.96, emergencyOrPossibleRecall: 1, emergencyPrecision: 0.985 }],
  ['hard-dev-4', { sector: 0.98, intent: 0.93, emergencyOrPossibleRecall: 1, emergencyPrecision: 0.985 }],
  ['hard-dev-5', { sector: 0.98, intent: 0.93, emergencyOrPossibleRecall: 1, emergencyPrecision: 0.985 }],
  ['hard-dev-6', { sector: 0.97, intent: 0.94, emergencyOrPossibleRecall: 1, emergencyPrecision: 0.99 }],
  ['hard-dev-7', { sector: 0.975, intent: 0.95, emergencyOrPossibleRecall: 1, emergencyPrecision: 0.99 }],
  ['hard-dev-8', { sector: 0.985, intent: 0.92, emergencyOrPossibleRecall: 1, emergencyPrecision: 0.99 }],
  ['hard-dev-9', { sector: 0.985, intent: 0.94, emergencyOrPossibleRecall: 1, emergencyPrecision: 0.99 }],
  ['hard-dev-10', { sector: 0.98, intent: 0.915, emergencyOrPossibleRecall: 1, emergencyPrecision: 0.99 }],
  ['hard-holdout-11', { sector: 0.97, intent: 0.925, emergencyOrPossibleRecall: 1, emergencyPrecision: 0.99 }],
  ['hard-holdout-4', { sector: 0.985, intent: 0.94, emergencyOrPossibleRecall: 1, emergencyPrecision: 0.99 }],
];

describe('accuracy guard', () => {
  it.each(HARD_SETS)('%s: every emergency reaches triage, and the figures hold', (set, floors) => {
    const report = evaluateClassifier(classifier, readSet(set));
    expect(report.emergencyOrPossible.falseNegatives).toBe(0);
    expectAtLeast(report, floors);
  });

  it('the earlier development and hold-out sets do not regress', () => {
    const report = evaluateClassifier(classifier, readSet('dev', 'holdout', 'holdout-2'));
    expectAtLeast(report, { sector: 0.97, intent: 0.94, emergencyOrPossibleRecall: 1, emergencyPrecision: 0.99 });
  });
});
