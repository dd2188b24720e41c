import type { Kafka, Producer } from 'kafkajs';
import { Murmur2Partitioner } from './murmur2-partitioner';

/**
 * Keyed messages go to the partition Java clients would pick (murmur2), so every event of an
 * interaction shares a partition on every hop whoever produced it.
 */
export function createProducer(kafka: Kafka): Producer {
  return kafka.producer({
    createPartitioner: Murmur2Partitioner,
    allowAutoTopicCreation: false,
    maxInFlightRequests: 5,
  });
}
