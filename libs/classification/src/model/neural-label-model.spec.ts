import { FeatureVector, toSparseFeatures } from '../text/text-analyzer';
import { LabelledFeatures, NeuralLabelModel } from './neural-label-model';

const examples: LabelledFeatures[] = [
  { features: { 'w:oxigen': 1, 'w:bal': 1 }, label: 'oxygen' },
  { features: { 'w:pizz': 1, 'w:domicili': 1 }, label: 'food' },
  { features: { 'w:oxigen': 1, 'w:domicili': 1 }, label: 'oxygen' },
  { features: { 'w:hamburgues': 1 }, label: 'food' },
  { features: { 'w:credit': 1, 'w:cuot': 1 }, label: 'bank' },
];

describe('NeuralLabelModel', () => {
  const model = NeuralLabelModel.train(examples, { iterations: 200 });

  it('learns the labels of its training features', () => {
    expect(model.rank(toSparseFeatures({ 'w:oxigen': 1 }))[0].label).toBe('oxygen');
    expect(model.rank(toSparseFeatures({ 'w:pizz': 1, 'w:domicili': 1 }))[0].label).toBe('food');
    expect(model.rank(toSparseFeatures({ 'w:cuot': 1 }))[0].label).toBe('bank');
  });

  it('scores with exactly the outputs nlp.js computes', () => {
    const probes: FeatureVector[] = [{ 'w:oxigen': 1, 'w:domicili': 0.5 }, { 'w:credit': 2 }, { 'w:unknown': 1 }];
    for (const features of probes) {
      const fromNetwork = model.outputsFromNetwork(toSparseFeatures(features));
      const fast = model.outputs(toSparseFeatures(features));
      model.labels.forEach((label, index) => expect(fast[index]).toBeCloseTo(fromNetwork[label], 5));
    }
  });

  it('counts how many features it knows', () => {
    expect(model.countKnownFeatures(toSparseFeatures({ 'w:oxigen': 1, 'w:nada': 1 }))).toBe(1);
    expect(model.countKnownFeatures(toSparseFeatures({ 'w:nada': 1 }))).toBe(0);
  });

  it('trains deterministically', () => {
    const again = NeuralLabelModel.train(examples, { iterations: 200 });
    const probes: FeatureVector[] = [{ 'w:oxigen': 1 }, { 'w:domicili': 1 }, { 'w:bal': 1, 'w:cuot': 1 }];
    for (const features of probes) {
      expect(Array.from(again.outputs(toSparseFeatures(features)))).toEqual(Array.from(model.outputs(toSparseFeatures(features))));
    }
  });

  it('keeps scores between 0 and 1 and low when nothing is known', () => {
    const ranking = model.rank(toSparseFeatures({ 'w:nada': 1 }));
    for (const { score } of ranking) {
      expect(score).toBeGreaterThanOrEqual(0);
      expect(score).toBeLessThanOrEqual(1);
    }
  });
});
