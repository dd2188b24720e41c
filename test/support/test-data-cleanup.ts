import Redis from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
// By path, not by its @conmutador/testing alias: jest's global setup, which runs this clean-up,
// loads modules without jest's module name mapping.
import { deleteMatchingKeys, deleteTopicsAndGroups } from '../../libs/testing/src';

/**
 * `t-<label>-<ms since epoch, base 36>-<6 hex>` (see test-namespace.ts), then what the name
 * continues with: `.` for topics and service groups, `:` for Redis keys, `-` for test groups.
 */
const TEST_NAMESPACE = /^t-.+-([0-9a-z]{8})-[0-9a-f]{6}(?=[.:-]|$)/;

/** Whether a topic, group or key belongs to a test namespace made at or after `sinceMs`. */
export function isTestDataSince(name: string, sinceMs: number): boolean {
  const match = TEST_NAMESPACE.exec(name);
  return match !== null && parseInt(match[1], 36) >= sinceMs;
}

/**
 * Removes what the tests of one run left on long-lived services (the local stack, or services
 * named in the environment): their topics, consumer groups and Redis keys. Only namespaces made
 * since the run started are touched, so a run never removes another run's data, nor anything
 * that is not a test's.
 */
export async function removeTestData(kafkaBrokers: string, redisUrl: string, sinceMs: number): Promise<{ topics: number; groups: number; keys: number }> {
  const ours = (name: string) => isTestDataSince(name, sinceMs);
  const kafka = new Kafka({ clientId: 'test-cleanup', brokers: kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
  try {
    const removed = await deleteTopicsAndGroups(kafka, { topic: ours, group: ours });
    return { ...removed, keys: await deleteMatchingKeys(redis, 't-*', ours) };
  } finally {
    redis.disconnect();
  }
}
