import type { Kafka } from 'kafkajs';

export interface TopicSpec {
  topic: string;
  numPartitions: number;
  replicationFactor: number;
}

/**
 * Creates missing topics with explicit partition counts. Existing topics are left as they are:
 * adding partitions would move keys to other partitions and break per-interaction order.
 * Returns the topics whose partition count differs from the configured one, for a warning.
 */
export async function ensureTopics(kafka: Kafka, specs: TopicSpec[]): Promise<{ created: string[]; mismatched: string[] }> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((spec) => !existing.has(spec.topic));
    if (missing.length > 0) {
      try {
        await admin.createTopics({ topics: missing, waitForLeaders: true });
      } catch (error) {
        // Two services starting together may race to create the same topic; that is success.
        if (!/already exists/i.test(String((error as Error).message))) throw error;
      }
    }
    const present = specs.filter((spec) => existing.has(spec.topic));
    const mismatched: string[] = [];
    if (present.length > 0) {
      const metadata = await admin.fetchTopicMetadata({ topics: present.map((spec) => spec.topic) });
      for (const topic of metadata.topics) {
        const spec = present.find((candidate) => candidate.topic === topic.name);
        if (spec && topic.partitions.length !== spec.numPartitions)
          mismatched.push(`${topic.name} has ${topic.partitions.length} partitions, configured ${spec.numPartitions}`);
      }
    }
    return { created: missing.map((spec) => spec.topic), mismatched };
  } finally {
    await admin.disconnect();
  }
}
