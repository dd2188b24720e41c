export { classificationStageProviders } from './classification-stage.providers';
export { CLASSIFIER_SERVICE_NAME, ClassificationProcessor } from './classification.processor';
export { ClassifierPipelineService } from './classifier-pipeline.service';
export { readMappingsFile } from './mappings-file';
