export * from './classification';
export * from './mappings';
export * from './mapping-classifier';
