import { FeatureVector, toSparseFeatures } from '../text/text-analyzer';
import { FeatureVocabulary } from './feature-vocabulary';
import { StackedHeads, scoreHead } from './linear-heads';
import { NaiveBayes } from './naive-bayes';
import { NeuralLabelModel } from './neural-label-model';
import { SoftmaxRegression } from './softmax-regression';

const corpus: { features: FeatureVector; phrases: number[]; label: string }[] = [
  { features: { 'w:oxigen': 1, 'w:bal': 0.5 }, phrases: [11], label: 'oxygen' },
  { features: { 'w:pizz': 1, 'w:domicili': 0.5 }, phrases: [22, 33], label: 'food' },
  { features: { 'w:oxigen': 1, 'w:domicili': 0.5 }, phrases: [], label: 'oxygen' },
  { features: { 'w:credit': 1, 'w:cuot': 0.7 }, phrases: [33], label: 'bank' },
];
const PHRASE_VALUE = 0.3;

describe('FeatureVocabulary', () => {
  it('encodes known features in their order and leaves unknown ones out', () => {
    const vocabulary = new FeatureVocabulary();
    vocabulary.addAndEncode({ names: ['a', 'b'], values: [1, 1] });
    vocabulary.addAndEncode({ names: ['b', 'c'], values: [1, 1] });
    vocabulary.addAndEncode({ names: ['a'], values: [1] }, { codes: [7, 8], value: 0.5 });
    const encoded = vocabulary.encode({ names: ['c', 'zzz', 'a'], values: [0.5, 9, 0.25] }, { codes: [8, 9], value: 0.125 });
    expect(Array.from(encoded.ids)).toEqual([2, 0, 4]);
    expect(Array.from(encoded.values)).toEqual([0.5, 0.25, 0.125]);
    expect(encoded.wordLevelCount).toBe(2);
    expect(vocabulary.size).toBe(5);
  });
});

describe('StackedHeads', () => {
  const vocabulary = new FeatureVocabulary();
  const encodedCorpus = corpus.map(({ features, phrases, label }) => ({
    features: vocabulary.addAndEncode(toSparseFeatures(features), { codes: phrases, value: PHRASE_VALUE }),
    label,
  }));
  // The network learns the word-level features only, as in the text model.
  const network = NeuralLabelModel.train(
    corpus.map(({ features, label }) => ({ features, label })),
    { iterations: 50 },
  );
  const regression = SoftmaxRegression.train(encodedCorpus, vocabulary.size);
  const bayes = NaiveBayes.train(encodedCorpus, vocabulary.size);
  const probes: FeatureVector[] = [{ 'w:oxigen': 1 }, { 'w:cuot': 1 }, { 'w:nada': 1 }, { 'w:pizz': 0.4, 'w:bal': 0.4 }];
  const probePhrases = [[22], [], [33, 99], [11]];

  it('a network on the shared vocabulary scores exactly like the network itself', () => {
    const head = network.onVocabulary(vocabulary);
    for (const probe of probes) {
      const features = toSparseFeatures(probe);
      // Phrase n-grams are unknown to the network: they must not change its scores.
      const onVocabulary = scoreHead(head, vocabulary.encode(features, { codes: [22, 33], value: PHRASE_VALUE }));
      for (const { label, score } of network.rank(features)) expect(onVocabulary[head.labels.indexOf(label)]).toBeCloseTo(score, 6);
    }
  });

  it('gives every head the scores it gives alone', () => {
    const heads = [network.onVocabulary(vocabulary), regression.toHead(), bayes.toHead()];
    const stacked = StackedHeads.stack(vocabulary.size, heads);
    expect(stacked.labels).toEqual(heads.map((head) => head.labels));
    probes.forEach((probe, index) => {
      const encoded = vocabulary.encode(toSparseFeatures(probe), { codes: probePhrases[index], value: PHRASE_VALUE });
      const together = stacked.score(encoded);
      heads.forEach((head, headIndex) => {
        const alone = scoreHead(head, encoded);
        alone.forEach((score, label) => expect(together[headIndex][label]).toBeCloseTo(score, 6));
      });
    });
  });
});
