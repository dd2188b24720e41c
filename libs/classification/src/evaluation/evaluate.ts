import { InteractionClassifier } from '../classification';
import { LabelledUtterance, UNCLASSIFIED_SECTOR } from '../taxonomy/taxonomy';

export interface SectorScore {
  sector: string;
  /** Utterances labelled with this sector. */
  total: number;
  /** Of those, how many got this sector. */
  correct: number;
  /** Utterances that got this sector, right or wrong. */
  predicted: number;
}

export interface LatencySummary {
  medianMicros: number;
  p95Micros: number;
  samples: number;
}

export interface EvaluationReport {
  total: number;
  sectorCorrect: number;
  sectors: SectorScore[];
  /** confusion[expected][predicted] = count. */
  confusion: Record<string, Record<string, number>>;
  /** Utterances of a real sector (not `unclassified`), for intent accuracy. */
  intentTotal: number;
  /** Sector and intent both right. */
  intentCorrect: number;
  /** Intent right among those whose sector was right. */
  intentCorrectGivenSector: number;
  intentSectorCorrect: number;
  /** `emergency: true` alone counts as an alarm. */
  emergency: EmergencyCounts;
  /** `emergency` or `possibleEmergency` counts as an alarm: what reaches emergency triage. */
  emergencyOrPossible: EmergencyCounts;
  /** Per family of the evaluation set (`style:…`, `trap:…`, `language:…`), in name order. */
  families: FamilyScore[];
  mistakes: Mistake[];
}

export interface EmergencyCounts {
  truePositives: number;
  falseNegatives: number;
  falsePositives: number;
}

/** How one family of lines (a writing style, a trap) fared. */
export interface FamilyScore {
  /** `style:capitals`, `trap:figurative`, … */
  family: string;
  total: number;
  sectorCorrect: number;
  /** Lines of a real sector, and of those, sector and intent both right. */
  intentTotal: number;
  intentCorrect: number;
  /** Lines whose emergency label was met: an emergency seen (possible counts), or a routine line not called an emergency. */
  emergencyCorrect: number;
  emergencies: number;
  /** Emergencies not seen at either level. */
  missedEmergencies: number;
  /** Routine lines called an emergency (`emergency: true`). */
  falseAlarms: number;
}

export interface Mistake {
  kind: 'sector' | 'intent' | 'missed_emergency' | 'possible_emergency_only' | 'false_emergency' | 'possible_false_emergency';
  text: string;
  expected: string;
  got: string;
  /** The line's families, when the set names them. */
  families?: string[];
}

/** Classifies every labelled utterance (text only, as a shared line would bring it) and scores the result. */
export function evaluateClassifier(classifier: InteractionClassifier, utterances: readonly LabelledUtterance[]): EvaluationReport {
  const report: EvaluationReport = {
    total: utterances.length,
    sectorCorrect: 0,
    sectors: [],
    confusion: {},
    intentTotal: 0,
    intentCorrect: 0,
    intentCorrectGivenSector: 0,
    intentSectorCorrect: 0,
    emergency: { truePositives: 0, falseNegatives: 0, falsePositives: 0 },
    emergencyOrPossible: { truePositives: 0, falseNegatives: 0, falsePositives: 0 },
    families: [],
    mistakes: [],
  };
  const bySector = new Map<string, SectorScore>();
  const scoreOf = (sector: string): SectorScore => {
    let score = bySector.get(sector);
    if (!score) {
      score = { sector, total: 0, correct: 0, predicted: 0 };
      bySector.set(sector, score);
    }
    return score;
  };
  const byFamily = new Map<string, FamilyScore>();
  const familyScoresOf = (families: string[]): FamilyScore[] =>
    families.map((family) => {
      let score = byFamily.get(family);
      if (!score) {
        score = {
          family,
          total: 0,
          sectorCorrect: 0,
          intentTotal: 0,
          intentCorrect: 0,
          emergencyCorrect: 0,
          emergencies: 0,
          missedEmergencies: 0,
          falseAlarms: 0,
        };
        byFamily.set(family, score);
      }
      return score;
    });
  for (const utterance of utterances) {
    const result = classifier.classify({ text: utterance.text });
    const families = familyNames(utterance);
    const mistake = (kind: Mistake['kind'], expected: string, got: string): void => {
      report.mistakes.push({ kind, text: utterance.text, expected, got, ...(families.length > 0 ? { families } : {}) });
    };
    const expected = scoreOf(utterance.sector);
    expected.total += 1;
    scoreOf(result.sector).predicted += 1;
    const row = (report.confusion[utterance.sector] ??= {});
    row[result.sector] = (row[result.sector] ?? 0) + 1;
    const sectorRight = result.sector === utterance.sector;
    const intentRight = result.intent === utterance.intent;
    if (sectorRight) {
      report.sectorCorrect += 1;
      expected.correct += 1;
    } else {
      mistake('sector', utterance.sector, result.sector);
    }
    if (utterance.sector !== UNCLASSIFIED_SECTOR) {
      report.intentTotal += 1;
      if (sectorRight) {
        report.intentSectorCorrect += 1;
        if (intentRight) report.intentCorrectGivenSector += 1;
        else mistake('intent', `${utterance.sector}/${utterance.intent}`, `${result.sector}/${result.intent}`);
      }
      if (sectorRight && intentRight) report.intentCorrect += 1;
    }
    const alarm = result.emergency;
    const alarmOrPossible = result.emergency || result.possibleEmergency === true;
    count(report.emergency, utterance.emergency, alarm);
    count(report.emergencyOrPossible, utterance.emergency, alarmOrPossible);
    if (utterance.emergency && !alarmOrPossible) mistake('missed_emergency', 'emergency', 'routine');
    else if (utterance.emergency && !alarm) mistake('possible_emergency_only', 'emergency', 'possible emergency');
    if (!utterance.emergency && alarm) mistake('false_emergency', 'routine', 'emergency');
    else if (!utterance.emergency && alarmOrPossible) mistake('possible_false_emergency', 'routine', 'possible emergency');

    for (const family of familyScoresOf(families)) {
      family.total += 1;
      if (sectorRight) family.sectorCorrect += 1;
      if (utterance.sector !== UNCLASSIFIED_SECTOR) {
        family.intentTotal += 1;
        if (sectorRight && intentRight) family.intentCorrect += 1;
      }
      if (utterance.emergency) {
        family.emergencies += 1;
        if (alarmOrPossible) family.emergencyCorrect += 1;
        else family.missedEmergencies += 1;
      } else if (alarm) {
        family.falseAlarms += 1;
      } else {
        family.emergencyCorrect += 1;
      }
    }
  }
  report.sectors = [...bySector.values()].sort((a, b) => a.sector.localeCompare(b.sector));
  report.families = [...byFamily.values()].sort((a, b) => a.family.localeCompare(b.family));
  return report;
}

function count(counts: EmergencyCounts, isEmergency: boolean, alarm: boolean): void {
  if (isEmergency && alarm) counts.truePositives += 1;
  else if (isEmergency) counts.falseNegatives += 1;
  else if (alarm) counts.falsePositives += 1;
}

function familyNames({ families }: LabelledUtterance): string[] {
  if (!families) return [];
  return (['style', 'trap', 'language'] as const).flatMap((key) => (families[key] ? [`${key}:${families[key]}`] : []));
}

/** Recall and precision of one alarm level, as fractions (NaN when undefined). */
export function recallAndPrecision({ truePositives: tp, falseNegatives: fn, falsePositives: fp }: EmergencyCounts): { recall: number; precision: number } {
  return { recall: tp / (tp + fn), precision: tp / (tp + fp) };
}

/**
 * Per-message latency of `classify`, in microseconds: `warmUpPasses` unmeasured passes over the
 * texts (so the JIT has compiled the hot paths and the caches are filled, as in a running
 * service), then `measuredPasses` timed ones, one sample per call.
 */
export function measureLatency(
  operation: (text: string) => unknown,
  texts: readonly string[],
  options: { warmUpPasses?: number; measuredPasses?: number } = {},
): LatencySummary {
  const warmUpPasses = options.warmUpPasses ?? 3;
  const measuredPasses = options.measuredPasses ?? 5;
  if (texts.length === 0) return { medianMicros: 0, p95Micros: 0, samples: 0 };
  for (let pass = 0; pass < warmUpPasses; pass += 1) for (const text of texts) operation(text);
  const samples = new Float64Array(texts.length * measuredPasses);
  let index = 0;
  for (let pass = 0; pass < measuredPasses; pass += 1) {
    for (const text of texts) {
      const started = process.hrtime.bigint();
      operation(text);
      samples[index++] = Number(process.hrtime.bigint() - started) / 1000;
    }
  }
  samples.sort();
  return { medianMicros: percentile(samples, 0.5), p95Micros: percentile(samples, 0.95), samples: samples.length };
}

function percentile(sorted: Float64Array, fraction: number): number {
  const position = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[position];
}

const percent = (part: number, whole: number): string => (whole === 0 ? 'n/a' : `${((100 * part) / whole).toFixed(1)} %`);

/** A plain-text report: accuracy per sector, confusion matrix, intent accuracy, emergency recall and precision. */
export function formatEvaluationReport(report: EvaluationReport, latency?: LatencySummary): string {
  const lines: string[] = [];
  const { truePositives: tp, falseNegatives: fn, falsePositives: fp } = report.emergency;
  lines.push(`utterances: ${report.total}`);
  lines.push(`sector accuracy: ${percent(report.sectorCorrect, report.total)} (${report.sectorCorrect}/${report.total})`);
  lines.push('');
  lines.push('accuracy per sector (share of each labelled sector that got it; precision = share of answers that were right):');
  const width = Math.max(...report.sectors.map((s) => s.sector.length), 'sector'.length);
  lines.push(`  ${'sector'.padEnd(width)}  ${'n'.padStart(4)}  ${'accuracy'.padStart(9)}  ${'precision'.padStart(9)}`);
  for (const s of report.sectors) {
    if (s.total === 0 && s.predicted === 0) continue;
    lines.push(
      `  ${s.sector.padEnd(width)}  ${String(s.total).padStart(4)}  ${percent(s.correct, s.total).padStart(9)}  ${percent(s.correct, s.predicted).padStart(9)}`,
    );
  }
  lines.push('');
  lines.push('confusion matrix (rows: expected, columns: predicted):');
  const labels = report.sectors.map((s) => s.sector);
  const short = labels.map((label) => label.slice(0, 8));
  lines.push(`  ${''.padEnd(width)}  ${short.map((s) => s.padStart(8)).join(' ')}`);
  for (const expected of labels) {
    const row = report.confusion[expected];
    if (!row) continue;
    lines.push(`  ${expected.padEnd(width)}  ${labels.map((predicted) => String(row[predicted] ?? 0).padStart(8)).join(' ')}`);
  }
  lines.push('');
  lines.push(`intent accuracy (sector and intent right): ${percent(report.intentCorrect, report.intentTotal)} (${report.intentCorrect}/${report.intentTotal})`);
  lines.push(
    `intent accuracy when the sector is right: ${percent(report.intentCorrectGivenSector, report.intentSectorCorrect)} (${report.intentCorrectGivenSector}/${report.intentSectorCorrect})`,
  );
  lines.push(`emergency recall: ${percent(tp, tp + fn)} (${tp}/${tp + fn})`);
  lines.push(`emergency precision: ${percent(tp, tp + fp)} (${tp}/${tp + fp})`);
  const either = report.emergencyOrPossible;
  lines.push(
    `emergency or possible emergency: recall ${percent(either.truePositives, either.truePositives + either.falseNegatives)} (${either.truePositives}/${either.truePositives + either.falseNegatives}), precision ${percent(either.truePositives, either.truePositives + either.falsePositives)} (${either.truePositives}/${either.truePositives + either.falsePositives})`,
  );
  if (report.families.length > 0) {
    lines.push('');
    lines.push('per family (sector; sector and intent; emergency label met; emergencies missed at both levels; false alarms):');
    const familyWidth = Math.max(...report.families.map((f) => f.family.length), 'family'.length);
    lines.push(
      `  ${'family'.padEnd(familyWidth)}  ${'n'.padStart(4)}  ${'sector'.padStart(7)}  ${'intent'.padStart(7)}  ${'emerg.'.padStart(7)}  missed  false`,
    );
    for (const f of report.families) {
      lines.push(
        `  ${f.family.padEnd(familyWidth)}  ${String(f.total).padStart(4)}  ${percent(f.sectorCorrect, f.total).padStart(7)}  ${percent(f.intentCorrect, f.intentTotal).padStart(7)}  ${percent(f.emergencyCorrect, f.total).padStart(7)}  ${`${f.missedEmergencies}/${f.emergencies}`.padStart(6)}  ${String(f.falseAlarms).padStart(5)}`,
      );
    }
  }
  if (latency) {
    lines.push(
      `latency per message after warm-up: median ${latency.medianMicros.toFixed(1)} µs, p95 ${latency.p95Micros.toFixed(1)} µs (${latency.samples} samples)`,
    );
  }
  return lines.join('\n');
}
