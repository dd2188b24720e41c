import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTaxonomyExtension } from './corpus/corpus-files';
import { createClassifier } from './create-classifier';
import { EMPTY_MAPPINGS } from './mappings';

jest.setTimeout(120_000);

const EXAMPLE_EXTENSION = join(__dirname, '../../../deploy/config/taxonomy-extension.example.json');

describe('createClassifier with a taxonomy extension', () => {
  it('adds the extension sector, trained on the default corpus plus the extension utterances, without code changes', async () => {
    const telecom = loadTaxonomyExtension(EXAMPLE_EXTENSION);
    const classifier = await createClassifier({ mappings: EMPTY_MAPPINGS, minConfidence: 0.2, extensions: [telecom] });
    expect(classifier.sectors.get('telecom')).toEqual(['billing', 'technical_support', 'plan_change', 'other']);
    const technical = classifier.classify({ text: 'el internet de mi casa está lentísimo y se cae a cada rato' });
    expect(technical).toMatchObject({ sector: 'telecom', intent: 'technical_support' });
    expect(classifier.classify({ text: 'quiero cambiar mi plan del celular por uno con más gigas' })).toMatchObject({
      sector: 'telecom',
      intent: 'plan_change',
    });
    // The default sectors keep working next to the new one.
    expect(classifier.classify({ text: 'necesito una recarga de oxígeno para mi abuela' }).sector).toBe('oxygen');
  });
});

describe('createClassifier corpus loading', () => {
  const writeCorpus = (lines: string[]): string => {
    const directory = mkdtempSync(join(tmpdir(), 'corpus-'));
    writeFileSync(join(directory, 'sample.jsonl'), `${lines.join('\n')}\n`);
    return directory;
  };

  it('trains on any corpus directory given', async () => {
    const directory = writeCorpus([
      JSON.stringify({ text: 'necesito oxígeno en bala', sector: 'oxygen', intent: 'supply', emergency: false }),
      JSON.stringify({ text: 'quiero una pizza a domicilio', sector: 'food_delivery', intent: 'restaurant_order', emergency: false }),
    ]);
    const classifier = await createClassifier({ mappings: EMPTY_MAPPINGS, minConfidence: 0, corpusDir: directory });
    expect(classifier.classify({ text: 'una pizza por favor' }).sector).toBe('food_delivery');
  });

  it('refuses a corpus with an invalid line, naming the file and line', async () => {
    const directory = writeCorpus([
      JSON.stringify({ text: 'necesito oxígeno', sector: 'oxygen', intent: 'supply', emergency: false }),
      JSON.stringify({ text: 'x', sector: 'oxygen', intent: 'pizza', emergency: false }),
    ]);
    await expect(createClassifier({ mappings: EMPTY_MAPPINGS, minConfidence: 0, corpusDir: directory })).rejects.toThrow(
      `${join(directory, 'sample.jsonl')}:2: intent`,
    );
  });

  it('refuses a missing corpus directory, naming it', async () => {
    await expect(createClassifier({ mappings: EMPTY_MAPPINGS, minConfidence: 0, corpusDir: '/nonexistent/corpus' })).rejects.toThrow('/nonexistent/corpus');
  });

  it('rejects a minimum confidence outside 0..1', async () => {
    const directory = writeCorpus([JSON.stringify({ text: 'hola', sector: 'unclassified', intent: '', emergency: false })]);
    await expect(createClassifier({ mappings: EMPTY_MAPPINGS, minConfidence: 1.5, corpusDir: directory })).rejects.toThrow(RangeError);
  });
});
