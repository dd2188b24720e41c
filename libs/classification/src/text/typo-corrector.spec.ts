import { TypoCorrector, restrictedEditDistance } from './typo-corrector';

const vocabulary = new Map<string, number>([
  ['oxigeno', 20],
  ['cita', 15],
  ['ambulancia', 5],
  ['hospitalizacion', 3],
  ['credito', 12],
  ['pedido', 9],
  ['rarisimo', 1],
]);

describe('TypoCorrector', () => {
  const corrector = new TypoCorrector(vocabulary);

  it('brings common Colombian misspellings back to the vocabulary word', () => {
    expect(corrector.correct('oxijeno')).toBe('oxigeno');
    expect(corrector.correct('sita')).toBe('cita');
    expect(corrector.correct('ambulansia')).toBe('ambulancia');
    expect(corrector.correct('credtio')).toBe('credito'); // swapped letters
    expect(corrector.correct('ospitalisacion')).toBe('hospitalizacion'); // two edits in a long word
  });

  it('leaves known words, short words and words far from everything alone', () => {
    expect(corrector.correct('pedido')).toBe('pedido');
    expect(corrector.correct('sol')).toBe('sol');
    expect(corrector.correct('bicicleta')).toBe('bicicleta');
  });

  it('does not correct towards words seen only once (they may be typos themselves)', () => {
    expect(corrector.correct('rarisima')).toBe('rarisima');
  });

  it('allows only one edit in words shorter than nine letters', () => {
    expect(corrector.correct('pxdidx')).toBe('pxdidx');
  });
});

describe('restrictedEditDistance', () => {
  it('counts insertions, deletions, substitutions and adjacent swaps as one edit each', () => {
    expect(restrictedEditDistance('cita', 'cita')).toBe(0);
    expect(restrictedEditDistance('sita', 'cita')).toBe(1);
    expect(restrictedEditDistance('cta', 'cita')).toBe(1);
    expect(restrictedEditDistance('ctia', 'cita')).toBe(1);
    expect(restrictedEditDistance('kasa', 'cita')).toBe(3);
  });
});
