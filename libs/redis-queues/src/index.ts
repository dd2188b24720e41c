export * from './queue-commands';
export * from './redis-queue-store';
export * from './decision-evidence';
