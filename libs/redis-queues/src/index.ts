export * from './queue-commands';
export * from './redis-queue-store';
