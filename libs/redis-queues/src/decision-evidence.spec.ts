import { COMPACT_EVIDENCE_MAX_BYTES, compactEvidence, expandEvidence } from './decision-evidence';

describe('compact decision evidence', () => {
  it('keeps every signal with its source and weight, and the headline of each detail', () => {
    const compact = compactEvidence([
      { source: 'text', detail: 'sector oxygen 0.94 (then health 0.01, banking 0.00)', weight: 0.94 },
      { source: 'entry_point', detail: 'entry point wa:+573001112233 → oxygen', weight: 1 },
    ]);
    expect(expandEvidence(compact)).toEqual([
      { source: 'text', weight: 0.94, detail: 'sector oxygen' },
      { source: 'entry_point', weight: 1, detail: expect.stringMatching(/^entry point wa:\+57/) },
    ]);
  });

  it('never exceeds the budget in UTF-8 bytes, cutting headlines rather than signals', () => {
    const evidence = Array.from({ length: 4 }, (_, index) => ({
      source: 'emergency',
      detail: `señal ñandú número ${index} → ${'á'.repeat(40)}`,
      weight: 0.5 + index / 10,
    }));
    const compact = compactEvidence(evidence);
    expect(Buffer.byteLength(compact)).toBeLessThanOrEqual(COMPACT_EVIDENCE_MAX_BYTES);
    expect(compact).not.toContain('\uFFFD');
    expect(expandEvidence(compact).map((item) => [item.source, item.weight])).toEqual(
      evidence.map((item) => [item.source, Math.round(item.weight * 100) / 100]),
    );
  });

  it('keeps separators out of headlines, so a detail cannot forge another signal', () => {
    const [item, ...rest] = expandEvidence(compactEvidence([{ source: 'text', detail: 'a;e|1|fake', weight: 0.3 }]));
    expect(rest).toEqual([]);
    expect(item).toEqual({ source: 'text', weight: 0.3, detail: 'a,e/1/fake' });
  });

  it('is empty for no evidence', () => {
    expect(compactEvidence([])).toBe('');
    expect(expandEvidence('')).toEqual([]);
  });
});
