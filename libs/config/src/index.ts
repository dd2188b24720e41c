export * from './env-reader';
export * from './common.config';
export * from './classifier.config';
export * from './router.config';
export * from './engine.config';
export * from './ops-api-limits.config';
export * from './ops-api.config';
export * from './rules-cli.config';
