export * from './env-reader';
export * from './common.config';
export * from './classifier.config';
export * from './router.config';
