import type { Message } from 'kafkajs';
import { Rejection, toDeadLetterRecord } from '@conmutador/contracts';
import { ConsumedRecord } from './batch-consumer';

/** A dead-letter message keeps the original key, so it lands beside its interaction's other records. */
export function deadLetterMessage(record: ConsumedRecord, rejection: Rejection, service: string, now = new Date()): Message {
  const dead = toDeadLetterRecord(
    { topic: record.topic, partition: record.partition, offset: record.offset, key: record.key, value: record.value, headers: record.headers },
    rejection,
    service,
    now,
  );
  return { key: record.key, value: JSON.stringify(dead), headers: { 'x-rejection-reason': rejection.reason } };
}
