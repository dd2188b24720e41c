import { CombinedClassifier, ConfigurableClassifier } from './combined-classifier';
import { defaultCorpusDir, readCorpusDirectory } from './corpus/corpus-files';
import { ClassifierMappings } from './mappings';
import { TextModel, TextModelOptions } from './model/text-model';
import { mergeExtensionUtterances } from './taxonomy/extension-corpus';
import { LabelledUtterance, TaxonomyExtension, buildTaxonomy, extensionUtterances } from './taxonomy/taxonomy';

export interface ClassifierOptions {
  mappings: ClassifierMappings;
  /** 0..1: a text classification below this falls back to `unclassified`. */
  minConfidence: number;
  /** Extra sectors, intents and training utterances, trained together with the corpus. */
  extensions?: TaxonomyExtension[];
  /** Directory of `*.jsonl` training files; default: libs/classification/corpus/train of this repository. */
  corpusDir?: string;
}

/**
 * Reads the corpus, trains the text models and returns a ready classifier. Training is
 * deterministic (same corpus and extensions → same model → same outputs) and takes seconds.
 */
export async function createClassifier(options: ClassifierOptions): Promise<ConfigurableClassifier> {
  const extensions = options.extensions ?? [];
  const taxonomy = buildTaxonomy(extensions);
  const corpus = readCorpusDirectory(options.corpusDir ?? defaultCorpusDir(), taxonomy);
  return trainClassifier(mergeExtensionUtterances(corpus, extensionUtterances(extensions)), { ...options, extensions });
}

/** The I/O-free part of {@link createClassifier}: trains on the given utterances. */
export function trainClassifier(
  utterances: readonly LabelledUtterance[],
  options: Omit<ClassifierOptions, 'corpusDir'> & { model?: TextModelOptions },
): CombinedClassifier {
  const taxonomy = buildTaxonomy(options.extensions ?? []);
  const model = TextModel.train(utterances, taxonomy, options.model);
  return new CombinedClassifier({ model, taxonomy, mappings: options.mappings, minConfidence: options.minConfidence });
}
