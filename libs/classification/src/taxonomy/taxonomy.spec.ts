import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTaxonomyExtension } from '../corpus/corpus-files';
import { buildTaxonomy, extensionUtterances, parseLabelledUtterance, parseTaxonomyExtension } from './taxonomy';

const telecom = {
  sectors: [
    {
      sector: 'telecom',
      intents: ['billing', 'technical_support'],
      utterances: [
        { text: 'el internet está lento', intent: 'technical_support' },
        { text: 'me cobraron de más en la factura del celular', intent: 'billing', emergency: false },
      ],
    },
  ],
};

describe('parseTaxonomyExtension', () => {
  it('accepts a new sector with its intents and utterances', () => {
    const extension = parseTaxonomyExtension(telecom);
    expect(extension.sectors[0].sector).toBe('telecom');
    expect(extensionUtterances([extension])).toEqual([
      { text: 'el internet está lento', sector: 'telecom', intent: 'technical_support', emergency: false },
      { text: 'me cobraron de más en la factura del celular', sector: 'telecom', intent: 'billing', emergency: false },
    ]);
  });

  it('adds intents to an existing sector and accepts its default intents in utterances', () => {
    const extension = parseTaxonomyExtension({
      sectors: [{ sector: 'banking', intents: ['crypto'], utterances: [{ text: 'quiero refinanciar', intent: 'refinancing' }] }],
    });
    expect(buildTaxonomy([extension]).get('banking')).toEqual(expect.arrayContaining(['refinancing', 'other', 'crypto']));
  });

  it.each([
    [{}, 'sectors'],
    [{ sectors: [{ sector: 'Tele Com', intents: ['a'] }] }, 'sectors[0].sector'],
    [{ sectors: [{ sector: 'unclassified', intents: ['a'] }] }, 'sectors[0].sector'],
    [{ sectors: [{ sector: 'telecom', intents: 'billing' }] }, 'sectors[0].intents'],
    [{ sectors: [{ sector: 'telecom', intents: ['ok', 3] }] }, 'sectors[0].intents[1]'],
    [{ sectors: [{ sector: 'telecom', intents: ['billing'], utterances: [{ text: 'x', intent: 'roaming' }] }] }, 'sectors[0].utterances[0].intent'],
    [{ sectors: [{ sector: 'telecom', intents: ['billing'], utterances: [{ text: '', intent: 'billing' }] }] }, 'sectors[0].utterances[0].text'],
    [
      { sectors: [{ sector: 'telecom', intents: ['billing'], utterances: [{ text: 'x', intent: 'billing', emergency: 'no' }] }] },
      'sectors[0].utterances[0].emergency',
    ],
    [
      {
        sectors: [
          { sector: 'telecom', intents: ['a'] },
          { sector: 'telecom', intents: ['b'] },
        ],
      },
      'sectors[1].sector',
    ],
  ])('rejects %j naming %s', (document, field) => {
    expect(() => parseTaxonomyExtension(document, 'ext.json')).toThrow(`ext.json: ${field}:`);
  });
});

describe('loadTaxonomyExtension', () => {
  const directory = mkdtempSync(join(tmpdir(), 'taxonomy-'));

  it('reads and checks a JSON file', () => {
    const file = join(directory, 'ok.json');
    writeFileSync(file, JSON.stringify(telecom));
    expect(loadTaxonomyExtension(file).sectors.map((s) => s.sector)).toEqual(['telecom']);
  });

  it('names the file and the bad field', () => {
    const file = join(directory, 'bad.json');
    writeFileSync(file, JSON.stringify({ sectors: [{ sector: 'telecom', intents: ['billing'], utterances: [{ text: 'hola', intent: 'nope' }] }] }));
    expect(() => loadTaxonomyExtension(file)).toThrow(`${file}: sectors[0].utterances[0].intent`);
  });

  it('names the file when it is not JSON or missing', () => {
    const file = join(directory, 'broken.json');
    writeFileSync(file, '{ not json');
    expect(() => loadTaxonomyExtension(file)).toThrow(`${file}: not valid JSON`);
    expect(() => loadTaxonomyExtension(join(directory, 'missing.json'))).toThrow('missing.json');
  });

  it('accepts the example shipped in deploy/config', () => {
    const example = loadTaxonomyExtension(join(__dirname, '../../../../deploy/config/taxonomy-extension.example.json'));
    expect(example.sectors[0].utterances.length).toBeGreaterThan(20);
  });
});

describe('parseLabelledUtterance', () => {
  const taxonomy = buildTaxonomy();

  it('accepts corpus lines, with either spelling of the unclassified intent', () => {
    expect(parseLabelledUtterance({ text: 'hola', sector: 'unclassified', intent: 'unclassified', emergency: false }, taxonomy)).toEqual({
      text: 'hola',
      sector: 'unclassified',
      intent: '',
      emergency: false,
    });
    expect(parseLabelledUtterance({ text: 'hola', sector: 'unclassified', intent: '', emergency: false }, taxonomy)).not.toEqual(expect.any(String));
  });

  it('names the bad field', () => {
    expect(parseLabelledUtterance({ text: 'x', sector: 'banking', intent: 'pizza', emergency: false }, taxonomy)).toMatch(/^intent:/);
    expect(parseLabelledUtterance({ text: 'x', sector: 'telecom', intent: 'billing', emergency: false }, taxonomy)).toMatch(/^sector:/);
    expect(parseLabelledUtterance({ text: 'x', sector: 'banking', intent: 'other', emergency: 'yes' }, taxonomy)).toMatch(/^emergency:/);
  });
});
