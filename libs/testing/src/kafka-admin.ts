/**
 * Broker housekeeping shared by the integration tests and the bench: each removes, through these,
 * the topics and consumer groups it created.
 */
import { Admin, Kafka } from 'kafkajs';

export async function withAdmin<T>(kafka: Kafka, body: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await body(admin);
  } finally {
    await admin.disconnect();
  }
}

/** The consumer groups, then the topics, that the filters accept. */
export async function deleteTopicsAndGroups(
  kafka: Kafka,
  wanted: { topic: (topic: string) => boolean; group: (groupId: string) => boolean },
): Promise<{ topics: number; groups: number }> {
  return withAdmin(kafka, async (admin) => {
    const groups = (await admin.listGroups()).groups.map((group) => group.groupId).filter(wanted.group);
    if (groups.length > 0) await admin.deleteGroups(groups).catch(() => undefined);
    const topics = (await admin.listTopics()).filter(wanted.topic);
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30_000 });
    return { topics: topics.length, groups: groups.length };
  });
}
