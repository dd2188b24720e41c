export * from './classification';
export * from './mappings';
export type { ConfigurableClassifier } from './combined-classifier';
export { CombinedClassifier } from './combined-classifier';
export type { ClassifierOptions } from './create-classifier';
export { createClassifier, trainClassifier } from './create-classifier';
export type { LoadClassifierOptions, LoadedClassifier, ModelFileBuild, ModelFileBuildOptions } from './load-classifier';
export { buildModelFile, loadClassifier } from './load-classifier';
export { corpusSha256, readModelFileHeader } from './corpus/model-file';
export type { ModelFileHeader } from './model/model-file-format';
export { TEXT_MODEL_CODE_VERSION } from './model/model-file-format';
export {
  defaultCorpusDir,
  findRepositoryRoot,
  jsonlFilesOf,
  loadTaxonomyExtension,
  readCorpusDirectory,
  readLabelledJsonl,
  readLabelledPaths,
  readMappingsFile,
} from './corpus/corpus-files';
export type { LabelledFile } from './corpus/corpus-files';
export type { ExtensionSector, ExtensionUtterance, LabelledUtterance, Taxonomy, TaxonomyExtension, UtteranceFamilies } from './taxonomy/taxonomy';
export { buildTaxonomy, parseTaxonomyExtension } from './taxonomy/taxonomy';
export { normalizeText } from './text/normalizer';
export type { EmergencyAssessment } from './emergency/emergency-detector';
export type { TrainingReport } from './model/text-model';
export type { EmergencyCounts, EvaluationReport, FamilyScore, LatencySummary, Mistake, SectorScore } from './evaluation/evaluate';
export { evaluateClassifier, formatEvaluationReport, measureLatency, recallAndPrecision } from './evaluation/evaluate';
export type { CorpusOverlapReport, NearestCorpusLine } from './evaluation/corpus-overlap';
export { corpusOverlap, formatCorpusOverlap } from './evaluation/corpus-overlap';
