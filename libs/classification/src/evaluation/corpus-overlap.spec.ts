import { corpusOverlap, formatCorpusOverlap } from './corpus-overlap';

describe('corpusOverlap', () => {
  const corpus = ['necesito agendar una cita con el médico', 'se acabó el oxígeno de mi papá', 'quiero refinanciar mi crédito'];

  it('finds the nearest corpus line by shared normalised words', () => {
    const report = corpusOverlap(['NECESITO agendar una cita con el medico', 'mi papá se quedó sin oxígeno', 'hola buenas tardes'], corpus);
    expect(report.lines).toBe(3);
    expect(report.sameWords).toBe(1);
    const [first, second] = report.closest;
    expect(first).toEqual({ text: 'NECESITO agendar una cita con el medico', nearest: corpus[0], similarity: 1 });
    expect(second.nearest).toBe(corpus[1]);
    // {mi, papa, se, oxigeno} shared out of {mi, papa, se, quedo, sin, oxigeno} ∪ {se, acabo, el, oxigeno, de, mi, papa}.
    expect(second.similarity).toBeCloseTo(4 / 9, 5);
    expect(report.atOrAbove).toEqual([
      { threshold: 0.5, lines: 1 },
      { threshold: 0.7, lines: 1 },
      { threshold: 0.9, lines: 1 },
    ]);
  });

  it('gives similarity 0 to a line that shares no word', () => {
    const report = corpusOverlap(['buenas'], corpus);
    expect(report.closest[0]).toEqual({ text: 'buenas', nearest: '', similarity: 0 });
    expect(formatCorpusOverlap(report)).toContain('similarity ≥ 0.5: 0');
  });
});
