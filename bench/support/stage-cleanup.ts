import Redis from 'ioredis';
import { Kafka } from 'kafkajs';
import { deleteNamespace } from './bench-kafka';
import { deleteByPrefix } from './bench-redis';
import { formatCount, progress } from './stage';

/**
 * What a stage leaves when it ends, whatever happened: its topics and consumer groups, and its
 * Redis keys (then the Redis client is closed). A failed topic clean-up is reported, not thrown,
 * so it cannot hide the stage's own error; the run sweeps what is left.
 */
export async function removeStageData(stage: string, options: { namespace: string; keyPrefix: string }, kafka: Kafka, redis?: Redis): Promise<void> {
  await deleteNamespace(kafka, options.namespace).catch((error: unknown) => progress(stage, 'topic clean-up failed: %s', String(error)));
  if (!redis) return;
  const removed = await deleteByPrefix(redis, options.keyPrefix);
  progress(stage, 'cleaned up (%s Redis keys)', formatCount(removed));
  redis.disconnect();
}
