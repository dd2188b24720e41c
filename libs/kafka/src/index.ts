// First: kafkajs must not be loaded before its modules are replaced (kafkajs-module-replacement.ts).
export * from './linear-message-grouping';
export * from './exact-size-record-encoding';
export * from './sliced-crc32c';
export * from './kafka-client.factory';
export * from './topic-provisioner';
export * from './batch-consumer';
export * from './producer.factory';
export * from './engine-topics';
export * from './dead-letter';
export * from './consumer-pipeline';
export * from './murmur2-partitioner';
