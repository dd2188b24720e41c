export * from './queue-commands';
export * from './redis-queue-store';
export * from './decision-evidence';
export * from './queue-keys';
export * from './legacy-queue-keys';
