// In any order: only ./kafkajs loads kafkajs, and it registers the replacements first.
export * from './kafkajs';
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
