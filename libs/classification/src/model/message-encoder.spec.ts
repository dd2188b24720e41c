import { SpanishTextAnalyzer, TextAnalyzerOptions } from '../text/text-analyzer';
import { FeatureVocabulary } from './feature-vocabulary';
import { MessageEncoder } from './message-encoder';

const training = [
  'necesito una recarga de oxígeno para mi mamá',
  'se acabó la bala de oxígeno, tráiganme otra',
  'el concentrador de oxígeno no enciende',
  'quiero pedir una pizza a domicilio',
  'mi pedido no ha llegado, lleva una hora',
  'no me llega la cuota monetaria del subsidio',
  'mi papá no puede respirar y se acabó el oxígeno',
  'tengo una tdc y xq no me dejan pagar la cuota',
  'covid19 saturando 85, sin oxígeno, nadie contesta',
];

const probes = [
  ...training,
  'oxijeno a domisilio porfaaa',
  'NO NO NO me llega el pedido, ni la pizza ni nada',
  'quiero un préstamo pero no puedo pagar la cuota, me pueden ayudar a refinanciar',
  'can I apply for the subsidy, I need help',
  'no quiero cancelar',
  'qwerty zxcvb',
  'eh aló, este, mmm jajaja',
  '',
  '   ',
  '123 456',
  'la cuota la cuota la cuota monetaria monetaria',
  'sin sin sin oxígeno oxígeno',
  'Ñoño pidió 3 pizzas y 2 hamburguesas x 15000 pesos',
  'salu2 tb info x fa',
  'no puede respirar, se acabo el oxigeno del concentrador de la bala',
];

function trained(options: Partial<TextAnalyzerOptions>): { analyzer: SpanishTextAnalyzer; vocabulary: FeatureVocabulary; encoder: MessageEncoder } {
  const analyzer = new SpanishTextAnalyzer(options);
  analyzer.learnVocabulary(training);
  const vocabulary = new FeatureVocabulary();
  for (const text of training) {
    const { features, phrases } = analyzer.analyse(text);
    vocabulary.addAndEncode(features, phrases);
  }
  return { analyzer, vocabulary, encoder: new MessageEncoder(analyzer, vocabulary) };
}

describe('MessageEncoder', () => {
  it.each<[string, Partial<TextAnalyzerOptions>]>([
    ['default options', {}],
    ['no character or phrase n-grams', { characterNgrams: false, phraseNgrams: false }],
    ['families weighted out', { familyWeights: { w: 0, n: 1, b: 1.5, c: 0, q: 0, x: 0 } }],
    ['request stems alone', { familyWeights: { w: 0, n: 0, b: 0, c: 0, q: 1, x: 0 } }],
  ])('encodes exactly what the analyser and the vocabulary give (%s)', (_name, options) => {
    const { analyzer, vocabulary, encoder } = trained(options);
    for (const text of [...probes, ...probes]) {
      const analysis = analyzer.analyse(text);
      const expected = vocabulary.encode(analysis.features, analysis.phrases);
      const encoded = encoder.encode(text);
      expect(encoded.normalisedWords).toEqual(analysis.normalisedWords);
      expect(encoded.words).toEqual(analysis.words);
      expect(encoded.hasCorrections).toBe(analysis.words.join(' ') !== analysis.normalisedWords.join(' '));
      expect(Array.from(encoded.features.ids)).toEqual(Array.from(expected.ids));
      expect(Array.from(encoded.features.values)).toEqual(Array.from(expected.values));
      expect(encoded.features.wordLevelCount).toBe(expected.wordLevelCount);
    }
  });

  it('keeps every message valid while later ones are encoded', () => {
    const { encoder } = trained({});
    const first = encoder.encode(probes[0]);
    const copy = Array.from(first.features.ids);
    for (let round = 0; round < 2000; round += 1) encoder.encode(probes[round % probes.length]);
    expect(Array.from(first.features.ids)).toEqual(copy);
  });
});
