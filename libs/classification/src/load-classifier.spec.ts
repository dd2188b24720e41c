import { appendFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CombinedClassifier, ConfigurableClassifier } from './combined-classifier';
import { defaultCorpusDir, findRepositoryRoot, readCorpusDirectory, readLabelledJsonl } from './corpus/corpus-files';
import { corpusSha256, readModelFileHeader, taxonomySha256 } from './corpus/model-file';
import { buildModelFile, loadClassifier } from './load-classifier';
import { ClassifierMappings, EMPTY_MAPPINGS } from './mappings';
import { ModelFileFormatError, TEXT_MODEL_CODE_VERSION, decodeModelFile, encodeModelFile } from './model/model-file-format';
import { TextModel } from './model/text-model';
import { buildTaxonomy } from './taxonomy/taxonomy';

jest.setTimeout(120_000);

const corpusRoot = join(__dirname, '..', 'corpus');
const linesOf = (directory: string): string[] =>
  readdirSync(directory)
    .filter((name) => name.endsWith('.jsonl'))
    .sort()
    .flatMap((name) => readFileSync(join(directory, name), 'utf8').split('\n'))
    .filter((line) => line.trim().length > 0);

/** A corpus directory holding `lines` in one file. */
function corpusDirectory(lines: readonly string[]): string {
  const directory = mkdtempSync(join(tmpdir(), 'model-corpus-'));
  writeFileSync(join(directory, 'sample.jsonl'), `${lines.join('\n')}\n`);
  return directory;
}

const utterance = (text: string, sector: string, intent: string, emergency = false): string => JSON.stringify({ text, sector, intent, emergency });
const TINY_CORPUS = [
  utterance('necesito una recarga de oxígeno para mi mamá', 'oxygen', 'supply'),
  utterance('el concentrador de oxígeno no enciende', 'oxygen', 'equipment'),
  utterance('quiero pedir una pizza a domicilio', 'food_delivery', 'restaurant_order'),
  utterance('mi pedido no ha llegado, lleva una hora', 'food_delivery', 'order_status'),
  utterance('mi papá no puede respirar y se acabó el oxígeno', 'oxygen', 'supply', true),
  utterance('cómo saco el pasaporte', 'unclassified', ''),
];

describe('the model file round trip', () => {
  // Every 15th line of the training corpus: every sector and intent, a real vocabulary for the
  // typo corrector, and a model that trains in a few seconds.
  const corpusDir = corpusDirectory(linesOf(join(corpusRoot, 'train')).filter((_, index) => index % 15 === 0));
  const file = join(mkdtempSync(join(tmpdir(), 'model-file-')), 'text-model.bin');
  const mappings: ClassifierMappings = {
    entryPoints: [{ entryPoint: 'line:health', sector: 'health' }],
    ivrPaths: [{ entryPoint: 'line:oxygen', path: ['9'], sector: 'oxygen', emergency: true }],
  };
  // Texts the model never saw (typos, other languages, long ones), and edge cases.
  const texts = [
    ...['dev', 'hard-dev'].flatMap((set) => linesOf(join(corpusRoot, set)).map((line) => (JSON.parse(line) as { text: string }).text)),
    '',
    '   ',
    'qwerty zxcvb',
    'nesesito una sita con el medico xq me duele la garganta porfa',
    'se acabo el oxijeno de la bala!!! no puede respirar',
    'no, nadie salió herido, sin heridos',
    'ÁÉÍÓÚ ñ 😀 12345 covid19',
    'oxígeno '.repeat(300),
  ];
  const taxonomy = buildTaxonomy([]);
  let trainedModel: TextModel;
  let trained: ConfigurableClassifier;
  let loaded: Awaited<ReturnType<typeof loadClassifier>>;

  beforeAll(async () => {
    expect(buildModelFile({ file, corpusDir }).trained).toBe(true);
    // What createClassifier does, keeping the model to compare its raw scores.
    trainedModel = TextModel.train(readCorpusDirectory(corpusDir, taxonomy), taxonomy);
    trained = new CombinedClassifier({ model: trainedModel, taxonomy, mappings, minConfidence: 0.2 });
    loaded = await loadClassifier({ mappings, minConfidence: 0.2, corpusDir, modelFile: file });
  });

  it('reads the model from the file instead of training', () => {
    expect(loaded).toMatchObject({ modelSource: 'file', fileRejected: false });
    expect(loaded.reason).toBeUndefined();
  });

  it('classifies every text exactly as the model trained at start, with and without mappings', () => {
    expect(texts.length).toBeGreaterThan(400);
    for (const text of texts) {
      for (const input of [{ text }, { text, entryPoint: 'line:health' }, { text, entryPoint: 'line:oxygen', ivrPath: ['9'] }]) {
        expect(loaded.classifier.classify(input)).toEqual(trained.classify(input));
      }
    }
  });

  it('gives the very same scores as the model trained at start, to the last bit', () => {
    // classify() rounds its scores; the model's own are compared exactly (toEqual on numbers is Object.is).
    const model = decodeModelFile(readFileSync(file)).model;
    for (const text of texts.filter((candidate) => candidate.trim().length > 0)) {
      const [fromFile, fromTraining] = [model, trainedModel].map((each) => {
        const analysis = each.analyse(text);
        return {
          words: analysis.words,
          ranking: each.rankSectors(analysis),
          emergency: each.emergencyScore(analysis),
          intents: [...taxonomy.keys()].map((sector) => each.bestIntent(sector, analysis)),
        };
      });
      expect(fromFile).toEqual(fromTraining);
    }
  });

  it('gives the same bytes when the loaded model is written again, and when the corpus is trained again', () => {
    const bytes = readFileSync(file);
    const { header, model } = decodeModelFile(bytes);
    expect(Buffer.from(encodeModelFile(model, header)).equals(bytes)).toBe(true);
    const second = join(mkdtempSync(join(tmpdir(), 'model-file-')), 'text-model.bin');
    buildModelFile({ file: second, corpusDir });
    expect(readFileSync(second).equals(bytes)).toBe(true);
  });

  it('records what it was trained from in a small header', () => {
    const header = readModelFileHeader(file);
    expect(header).toMatchObject({
      format: 'conmutador-text-model',
      formatVersion: 1,
      codeVersion: TEXT_MODEL_CODE_VERSION,
      corpusSha256: corpusSha256(corpusDir),
      taxonomySha256: taxonomySha256(buildTaxonomy([])),
    });
    expect(header.sizes.features).toBeGreaterThan(1000);
    expect(header.sizes.intentNetworks).toBe(6);
  });
});

describe('building the model file', () => {
  it('trains only when the corpus, the taxonomy or the training code changed', () => {
    const corpusDir = corpusDirectory(TINY_CORPUS);
    const file = join(mkdtempSync(join(tmpdir(), 'model-file-')), 'text-model.bin');
    expect(buildModelFile({ file, corpusDir, trainingCodeSha256: 'a' })).toMatchObject({ trained: true, reason: 'no model file yet' });
    expect(buildModelFile({ file, corpusDir, trainingCodeSha256: 'a' })).toMatchObject({ trained: false, reason: 'up to date' });
    expect(buildModelFile({ file, corpusDir, trainingCodeSha256: 'b' })).toMatchObject({ trained: true, reason: 'the training code changed' });
    appendFileSync(join(corpusDir, 'sample.jsonl'), `${utterance('se me cayó la app del banco', 'banking', 'corporate')}\n`);
    expect(buildModelFile({ file, corpusDir, trainingCodeSha256: 'b' })).toMatchObject({ trained: true, reason: 'the corpus changed' });
    expect(readModelFileHeader(file).corpusSha256).toBe(corpusSha256(corpusDir));
    expect(buildModelFile({ file, corpusDir, trainingCodeSha256: 'b', force: true })).toMatchObject({ trained: true });
  });
});

describe('falling back to training at start', () => {
  const setUp = (): { corpusDir: string; file: string } => {
    const corpusDir = corpusDirectory(TINY_CORPUS);
    const file = join(mkdtempSync(join(tmpdir(), 'model-file-')), 'text-model.bin');
    buildModelFile({ file, corpusDir });
    return { corpusDir, file };
  };
  const options = { mappings: EMPTY_MAPPINGS, minConfidence: 0.2 };

  it('trains, with a warning naming the corpus, when the file was trained on another corpus', async () => {
    const { corpusDir, file } = setUp();
    appendFileSync(join(corpusDir, 'sample.jsonl'), `${utterance('quiero una hamburguesa', 'food_delivery', 'restaurant_order')}\n`);
    const loaded = await loadClassifier({ ...options, corpusDir, modelFile: file });
    expect(loaded).toMatchObject({ modelSource: 'training', fileRejected: true });
    expect(loaded.reason).toContain(`model file ${file} was trained on another corpus than ${corpusDir}`);
    expect(loaded.reason).toContain('npm run model:build');
    // The model trained at start knows the new line.
    expect(loaded.classifier.classify({ text: 'una hamburguesa por favor' }).sector).toBe('food_delivery');
  });

  it('trains, with a warning, when the file is missing or damaged', async () => {
    const { corpusDir, file } = setUp();
    const missing = await loadClassifier({ ...options, corpusDir, modelFile: `${file}.absent` });
    expect(missing).toMatchObject({ modelSource: 'training', fileRejected: true });
    expect(missing.reason).toContain('not found');

    const bytes = readFileSync(file);
    writeFileSync(file, bytes.subarray(0, bytes.length - 100));
    const truncated = await loadClassifier({ ...options, corpusDir, modelFile: file });
    expect(truncated).toMatchObject({ modelSource: 'training', fileRejected: true });
    expect(truncated.reason).toMatch(/cannot be read: .*truncated/);
    expect(() => decodeModelFile(readFileSync(file))).toThrow(ModelFileFormatError);

    writeFileSync(file, 'not a model');
    const garbage = await loadClassifier({ ...options, corpusDir, modelFile: file });
    expect(garbage).toMatchObject({ modelSource: 'training', fileRejected: true });
    expect(garbage.reason).toContain('not a model file');
  });

  it('trains at start, without a warning, when taxonomy extensions are configured', async () => {
    const { corpusDir, file } = setUp();
    const extension = {
      sectors: [{ sector: 'telecom', intents: ['billing'], utterances: [{ text: 'la factura del celular llegó doble', intent: 'billing' }] }],
    };
    const loaded = await loadClassifier({ ...options, corpusDir, modelFile: file, extensions: [extension] });
    expect(loaded).toMatchObject({ modelSource: 'training', fileRejected: false });
    expect(loaded.reason).toContain('extensions');
    expect(loaded.classifier.sectors.get('telecom')).toEqual(['billing']);
  });
});

describe('the model file of the build', () => {
  // `npm test` builds first (tools/bootstrap.mjs), and the build writes the model file; a bare
  // `npx jest` in a fresh checkout may run before any build.
  const file = join(findRepositoryRoot(__dirname), 'dist', 'model', 'text-model.bin');
  const built = existsSync(file);
  const itWhenBuilt = built ? it : it.skip;
  if (!built) process.stderr.write(`skipping the check of ${file}: no build has written it yet (npm run build writes it)\n`);

  itWhenBuilt('is the model of the training corpus as it is now, and of this code version', () => {
    const header = readModelFileHeader(file);
    // On failure: the corpus or the code changed after the last build; npm run model:build trains again.
    expect(header.corpusSha256).toBe(corpusSha256(defaultCorpusDir()));
    expect(header.codeVersion).toBe(TEXT_MODEL_CODE_VERSION);
    expect(header.taxonomySha256).toBe(taxonomySha256(buildTaxonomy([])));
    expect(header.sizes.utterances).toBe(readLabelledUtteranceCount(defaultCorpusDir()));
  });
});

function readLabelledUtteranceCount(directory: string): number {
  return readdirSync(directory)
    .filter((name) => name.endsWith('.jsonl'))
    .reduce((total, name) => total + readLabelledJsonl(join(directory, name)).utterances.length, 0);
}
