import { SpanishTextAnalyzer, phraseNgramCode } from './text-analyzer';

describe('SpanishTextAnalyzer', () => {
  const analyzer = new SpanishTextAnalyzer();

  it('makes stems, stem bigrams, negations and character 4-grams of the content words', () => {
    const { stems, features } = analyzer.analyse('No me llega la cuota monetaria');
    expect(stems).toEqual(['lleg', 'cuot', 'monet']);
    expect(features.names).toEqual(expect.arrayContaining(['w:no', 'w:cuot', 'n:lleg', 'b:cuot_monet', 'c:_cuo', 'c:ria_']));
  });

  it('adds phrase n-grams across word boundaries, stopwords included, as integer codes', () => {
    const { phrases, features } = analyzer.analyse('oxígeno a domicilio');
    expect(phrases.codes).toEqual(expect.arrayContaining(['eno_a', 'no_a_', 'o_a_d', '_a_do', 'a_dom'].map(phraseNgramCode)));
    expect(phrases.codes).not.toContain(phraseNgramCode('domic'));
    expect(phrases.codes).not.toContain(phraseNgramCode('_oxig'));
    expect(new Set(phrases.codes).size).toBe(phrases.codes.length);
    expect(phrases.value).toBeGreaterThan(0);
    expect(features.names.every((name) => /^[wnbc]:/.test(name))).toBe(true);
  });

  it('codes every phrase n-gram differently', () => {
    const grams = ['_a_do', 'a_dom', '_a_dp', 'z9_0a', '_____', 'zzzzz', '99999'];
    expect(new Set(grams.map(phraseNgramCode)).size).toBe(grams.length);
    for (const code of grams.map(phraseNgramCode)) expect(code).toBeLessThan(2 ** 31);
  });

  it('shares each family weight among its features, so long messages do not weigh more', () => {
    const short = analyzer.analyse('necesito oxígeno').features;
    const long = analyzer.analyse('necesito oxígeno para mi mamá que está en la casa con el concentrador dañado desde ayer').features;
    const weightOf = (features: typeof short, name: string): number => features.values[features.names.indexOf(name)];
    expect(weightOf(long, 'w:oxigen')).toBeLessThan(weightOf(short, 'w:oxigen'));
  });

  it('can leave the character and phrase n-grams out', () => {
    const plain = new SpanishTextAnalyzer({ characterNgrams: false, phraseNgrams: false });
    const analysis = plain.analyse('oxígeno a domicilio');
    expect(analysis.features.names.every((name) => /^[wnb]:/.test(name))).toBe(true);
    expect(analysis.phrases.codes).toEqual([]);
  });
});
