import { FeatureVocabulary } from './feature-vocabulary';
import { NaiveBayes } from './naive-bayes';
import { EncodedExample } from './softmax-regression';

const vocabulary = new FeatureVocabulary();
const example = (names: string[], label: string): EncodedExample => ({ features: vocabulary.addAndEncode({ names, values: names.map(() => 1) }), label });
const examples: EncodedExample[] = [
  example(['w:oxigen', 'w:bal'], 'oxygen'),
  example(['w:oxigen', 'w:concentr'], 'oxygen'),
  example(['w:pizz', 'w:domicili'], 'food'),
  example(['w:hamburgues', 'w:domicili'], 'food'),
  example(['w:credit', 'w:cuot'], 'bank'),
];
const encode = (names: string[]) => vocabulary.encode({ names, values: names.map(() => 1) });

describe('NaiveBayes', () => {
  it('learns the labels of its training features', () => {
    const model = NaiveBayes.train(examples, vocabulary.size, { temperature: 1 });
    const probabilities = model.probabilities(encode(['w:oxigen', 'w:domicili']));
    expect(model.labels[probabilities.indexOf(Math.max(...probabilities))]).toBe('oxygen');
    expect(model.probabilities(encode(['w:cuot']))[model.labels.indexOf('bank')]).toBeGreaterThan(0.5);
  });

  it('tempers its posteriors: a higher temperature flattens them, and they always sum to 1', () => {
    const sharp = NaiveBayes.train(examples, vocabulary.size, { temperature: 1 }).probabilities(encode(['w:pizz']));
    const tempered = NaiveBayes.train(examples, vocabulary.size, { temperature: 10 }).probabilities(encode(['w:pizz']));
    expect(Math.max(...tempered)).toBeLessThan(Math.max(...sharp));
    expect(tempered.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
  });

  it('is uniform when it knows none of the features (uniform prior)', () => {
    const probabilities = NaiveBayes.train(examples, vocabulary.size).probabilities(encode(['w:nada']));
    for (const p of probabilities) expect(p).toBeCloseTo(1 / 3, 10);
  });

  it('rejects settings that make no sense', () => {
    expect(() => NaiveBayes.train(examples, vocabulary.size, { smoothing: 0 })).toThrow(RangeError);
    expect(() => NaiveBayes.train(examples, vocabulary.size, { temperature: -1 })).toThrow(RangeError);
  });
});
