import Redis from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';

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
  const kafka = new Kafka({ clientId: 'test-cleanup', brokers: kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
  try {
    await admin.connect();
    const groups = (await admin.listGroups()).groups.map(({ groupId }) => groupId).filter((groupId) => isTestDataSince(groupId, sinceMs));
    if (groups.length > 0) await admin.deleteGroups(groups).catch(() => undefined);
    const topics = (await admin.listTopics()).filter((topic) => isTestDataSince(topic, sinceMs));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30_000 });

    let keys = 0;
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', 't-*', 'COUNT', 5_000);
      cursor = next;
      const ours = found.filter((key) => isTestDataSince(key, sinceMs));
      if (ours.length > 0) keys += await redis.unlink(...ours);
    } while (cursor !== '0');
    return { topics: topics.length, groups: groups.length, keys };
  } finally {
    await admin.disconnect().catch(() => undefined);
    redis.disconnect();
  }
}
