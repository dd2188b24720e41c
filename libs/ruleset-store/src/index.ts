export * from './ruleset-records';
export * from './ruleset-store';
export * from './published-version-watcher';
