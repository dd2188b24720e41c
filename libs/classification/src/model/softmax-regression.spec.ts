import { FeatureVocabulary } from './feature-vocabulary';
import { EncodedExample, SoftmaxRegression } from './softmax-regression';

const vocabulary = new FeatureVocabulary();
const example = (features: Record<string, number>, label: string): EncodedExample => {
  const names = Object.keys(features);
  return { features: vocabulary.addAndEncode({ names, values: names.map((name) => features[name]) }), label };
};
const examples: EncodedExample[] = [
  example({ 'w:oxigen': 1, 'w:bal': 1 }, 'oxygen'),
  example({ 'w:pizz': 1, 'w:domicili': 1 }, 'food'),
  example({ 'w:oxigen': 1, 'w:domicili': 1 }, 'oxygen'),
  example({ 'w:hamburgues': 1 }, 'food'),
  example({ 'w:credit': 1, 'w:cuot': 1 }, 'bank'),
];
const encode = (names: string[]) => vocabulary.encode({ names, values: names.map(() => 1) });
const best = (model: SoftmaxRegression, names: string[]): string => {
  const probabilities = model.probabilities(encode(names));
  return model.labels[probabilities.indexOf(Math.max(...probabilities))];
};

describe('SoftmaxRegression', () => {
  const model = SoftmaxRegression.train(examples, vocabulary.size, { epochs: 30, learningRate: 0.3 });

  it('learns the labels of its training features', () => {
    expect(best(model, ['w:oxigen'])).toBe('oxygen');
    expect(best(model, ['w:pizz', 'w:domicili'])).toBe('food');
    expect(best(model, ['w:cuot'])).toBe('bank');
  });

  it('gives probabilities that sum to 1, near uniform when nothing is known', () => {
    const probabilities = model.probabilities(encode(['w:nada']));
    expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    for (const p of probabilities) expect(p).toBeGreaterThan(0.1);
  });

  it('trains deterministically', () => {
    const again = SoftmaxRegression.train(examples, vocabulary.size, { epochs: 30, learningRate: 0.3 });
    for (const names of [['w:oxigen'], ['w:domicili'], ['w:bal', 'w:cuot']]) {
      expect(Array.from(again.probabilities(encode(names)))).toEqual(Array.from(model.probabilities(encode(names))));
    }
  });

  it('lists labels in order of first appearance', () => {
    expect(model.labels).toEqual(['oxygen', 'food', 'bank']);
  });
});
