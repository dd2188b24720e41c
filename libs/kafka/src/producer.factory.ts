import type { Kafka, Producer } from 'kafkajs';
import { Murmur2Partitioner } from './murmur2-partitioner';

/**
 * Keyed messages go to the partition Java clients would pick (murmur2), so every event of an
 * interaction shares a partition on every hop whoever produced it.
 *
 * Idempotent: a send retried after a lost acknowledgement (a broker failing over, a connection
 * dropped mid-request) is written once, not twice; every send uses acks=all, which idempotence
 * requires. One request in flight per broker: kafkajs does not renumber the sequence of batches
 * still in flight when an earlier one fails, so more than one could be rejected out of order. The
 * engine sends one batch per chunk and waits for it, so the limit costs it nothing it used.
 */
export function createProducer(kafka: Kafka): Producer {
  return kafka.producer({
    createPartitioner: Murmur2Partitioner,
    allowAutoTopicCreation: false,
    idempotent: true,
    maxInFlightRequests: 1,
  });
}
