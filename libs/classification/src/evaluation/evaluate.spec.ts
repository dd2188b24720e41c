import { Classification, InteractionClassifier } from '../classification';
import { LabelledUtterance } from '../taxonomy/taxonomy';
import { evaluateClassifier, formatEvaluationReport, measureLatency } from './evaluate';

/** Answers from a fixed table, so the expected figures can be worked out by hand. */
class TableClassifier implements InteractionClassifier {
  constructor(private readonly answers: Record<string, Partial<Classification>>) {}
  classify({ text }: { text?: string }): Classification {
    return { sector: 'unclassified', intent: 'unclassified', emergency: false, confidence: 0, evidence: [], ...this.answers[text ?? ''] };
  }
}

const labelled: LabelledUtterance[] = [
  { text: 'a', sector: 'oxygen', intent: 'supply', emergency: true },
  { text: 'b', sector: 'oxygen', intent: 'equipment', emergency: false },
  { text: 'c', sector: 'banking', intent: 'other', emergency: false },
  { text: 'd', sector: 'unclassified', intent: '', emergency: false },
];

describe('evaluateClassifier', () => {
  const classifier = new TableClassifier({
    a: { sector: 'oxygen', intent: 'supply', emergency: true }, // all right
    b: { sector: 'oxygen', intent: 'supply', emergency: true }, // wrong intent, false emergency
    c: { sector: 'insurance', intent: 'other' }, // wrong sector
    d: {}, // right: unclassified
  });
  const report = evaluateClassifier(classifier, labelled);

  it('scores sectors, intents and emergencies', () => {
    expect(report.sectorCorrect).toBe(3);
    expect(report.intentTotal).toBe(3);
    expect(report.intentCorrect).toBe(1);
    expect(report.intentSectorCorrect).toBe(2);
    expect(report.emergency).toEqual({ truePositives: 1, falseNegatives: 0, falsePositives: 1 });
    expect(report.confusion.banking).toEqual({ insurance: 1 });
    expect(report.sectors.find((s) => s.sector === 'oxygen')).toEqual({ sector: 'oxygen', total: 2, correct: 2, predicted: 2 });
  });

  it('formats the figures a person reads', () => {
    const text = formatEvaluationReport(report, { medianMicros: 12.3, p95Micros: 45.6, samples: 8 });
    expect(text).toContain('sector accuracy: 75.0 % (3/4)');
    expect(text).toContain('intent accuracy (sector and intent right): 33.3 % (1/3)');
    expect(text).toContain('emergency recall: 100.0 % (1/1)');
    expect(text).toContain('emergency precision: 50.0 % (1/2)');
    expect(text).toContain('median 12.3 µs, p95 45.6 µs');
  });
});

describe('two alarm levels and families', () => {
  const lines: LabelledUtterance[] = [
    { text: 'e1', sector: 'health', intent: 'covid', emergency: true, families: { style: 'capitals', trap: 'none' } },
    { text: 'e2', sector: 'health', intent: 'covid', emergency: true, families: { style: 'transcript', trap: 'none' } },
    { text: 'e3', sector: 'oxygen', intent: 'supply', emergency: true, families: { style: 'capitals', trap: 'none' } },
    { text: 'r1', sector: 'insurance', intent: 'assistance', emergency: false, families: { style: 'capitals', trap: 'figurative' } },
    { text: 'r2', sector: 'insurance', intent: 'assistance', emergency: false, families: { style: 'transcript', trap: 'figurative' } },
  ];
  const classifier = new TableClassifier({
    e1: { sector: 'health', intent: 'covid', emergency: true },
    e2: { sector: 'health', intent: 'covid', emergency: false, possibleEmergency: true }, // seen, as possible only
    e3: { sector: 'oxygen', intent: 'equipment', emergency: false }, // missed at both levels, wrong intent
    r1: { sector: 'insurance', intent: 'assistance', emergency: false, possibleEmergency: true }, // a possible alarm, not a false one
    r2: { sector: 'insurance', intent: 'assistance', emergency: true }, // a false alarm
  });
  const report = evaluateClassifier(classifier, lines);

  it('counts emergency alone and emergency-or-possible apart', () => {
    expect(report.emergency).toEqual({ truePositives: 1, falseNegatives: 2, falsePositives: 1 });
    expect(report.emergencyOrPossible).toEqual({ truePositives: 2, falseNegatives: 1, falsePositives: 2 });
    expect(report.mistakes.map((m) => m.kind).sort()).toEqual([
      'false_emergency',
      'intent',
      'missed_emergency',
      'possible_emergency_only',
      'possible_false_emergency',
    ]);
  });

  it('scores each style and trap family', () => {
    const capitals = report.families.find((f) => f.family === 'style:capitals');
    expect(capitals).toEqual({
      family: 'style:capitals',
      total: 3,
      sectorCorrect: 3,
      intentTotal: 3,
      intentCorrect: 2,
      emergencyCorrect: 2,
      emergencies: 2,
      missedEmergencies: 1,
      falseAlarms: 0,
    });
    const figurative = report.families.find((f) => f.family === 'trap:figurative');
    expect(figurative).toMatchObject({ total: 2, falseAlarms: 1, emergencyCorrect: 1 });
    expect(report.families.map((f) => f.family)).toEqual(['style:capitals', 'style:transcript', 'trap:figurative', 'trap:none']);
    expect(report.mistakes.find((m) => m.kind === 'missed_emergency')?.families).toEqual(['style:capitals', 'trap:none']);
  });

  it('prints both levels and the family table', () => {
    const text = formatEvaluationReport(report);
    expect(text).toContain('emergency or possible emergency: recall 66.7 % (2/3), precision 50.0 % (2/4)');
    expect(text).toMatch(/style:capitals\s+3\s+100\.0 %\s+66\.7 %\s+66\.7 %\s+1\/2\s+0/);
  });
});

describe('measureLatency', () => {
  it('takes one sample per call of the measured passes, after the warm-up', () => {
    let calls = 0;
    const latency = measureLatency(() => (calls += 1), ['x', 'y'], { warmUpPasses: 2, measuredPasses: 3 });
    expect(calls).toBe(10);
    expect(latency.samples).toBe(6);
    expect(latency.p95Micros).toBeGreaterThanOrEqual(latency.medianMicros);
  });
});
