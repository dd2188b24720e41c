import { foldAccentsAndCase, normalizeText, normalizeToWords, squeezeRepeatedLetters } from './normalizer';

describe('normalizeText', () => {
  it('drops accents and case, keeping ñ as n so both spellings meet', () => {
    expect(normalizeText('Oxígeno MÉDICO para la Señora')).toBe('oxigeno medico para la senora');
    expect(normalizeText('oxigeno medico para la senora')).toBe(normalizeText('OXÍGENO MÉDICO PARA LA SEÑORA'));
  });

  it('removes punctuation and emoji', () => {
    expect(normalizeText('¿¡Hola!? 😰 ... ¿qué pasó?')).toBe('hola que paso');
  });

  it('squeezes stretched letters but keeps the doubles Spanish uses', () => {
    expect(normalizeText('holaaaa ayudaaa urgenteeee')).toBe('hola ayuda urgente');
    expect(squeezeRepeatedLetters('carrrro')).toBe('carro');
    expect(squeezeRepeatedLetters('llamar')).toBe('llamar');
    expect(squeezeRepeatedLetters('leer')).toBe('leer');
    expect(squeezeRepeatedLetters('accion')).toBe('accion');
  });

  it('expands common chat abbreviations', () => {
    expect(normalizeText('xq no me llega porfa')).toBe('porque no me llega por favor');
    expect(normalizeText('q pasa con mi pedido, tb necesito info')).toBe('que pasa con mi pedido tambien necesito informacion');
    expect(normalizeText('x fa pa mi mamá, salu2')).toBe('por fa para mi mama saludos');
  });

  it('drops voice-transcript fillers and laughter', () => {
    expect(normalizeText('eh aló, este, mmm, necesito una cita jajaja')).toBe('necesito una cita');
    expect(normalizeToWords('aló aló ¿me escucha?')).toEqual(['me', 'escucha']);
  });

  it('splits letters from digits and keeps the numbers as words', () => {
    expect(normalizeToWords('covid19 saturando 85%')).toEqual(['covid', '19', 'saturando', '85']);
  });

  it('folds text that is already plain ASCII the same way as accented text', () => {
    expect(foldAccentsAndCase('Cita')).toBe('cita');
    expect(foldAccentsAndCase('Cítá')).toBe('cita');
  });
});
