// First: kafkajs must not be loaded before its grouping is replaced (linear-message-grouping.ts).
export * from './linear-message-grouping';
export * from './kafka-client.factory';
export * from './topic-provisioner';
export * from './batch-consumer';
export * from './producer.factory';
export * from './engine-topics';
export * from './dead-letter';
export * from './consumer-pipeline';
export * from './murmur2-partitioner';
