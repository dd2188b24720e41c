/**
 * One hop of the bare relay (stage 2): consume a topic and produce every record, unchanged, to
 * another, with the engine's consume → produce → commit shape (eachBatch, chunks of
 * `chunkSize`, acks=all, offsets committed after the produce) and no work in between.
 *
 * Configured by environment (RELAY_*); prints `joined` on stdout once its consumer is in the group.
 */
import { Kafka, logLevel, Partitioners } from 'kafkajs';

interface HopConfig {
  brokers: string[];
  source: string;
  target: string;
  groupId: string;
  chunkSize: number;
  partitionsConsumedConcurrently: number;
  commitIntervalMs: number;
}

function hopConfig(env: NodeJS.ProcessEnv): HopConfig {
  const required = (key: string): string => {
    const value = env[key];
    if (!value) throw new Error(`${key} is required`);
    return value;
  };
  return {
    brokers: required('RELAY_BROKERS').split(','),
    source: required('RELAY_SOURCE'),
    target: required('RELAY_TARGET'),
    groupId: required('RELAY_GROUP'),
    chunkSize: Number(required('RELAY_CHUNK_SIZE')),
    partitionsConsumedConcurrently: Number(required('RELAY_PARTITIONS_CONSUMED_CONCURRENTLY')),
    commitIntervalMs: Number(required('RELAY_COMMIT_INTERVAL_MS')),
  };
}

async function runHop(config: HopConfig): Promise<void> {
  const kafka = new Kafka({ clientId: config.groupId, brokers: config.brokers, logLevel: logLevel.ERROR });
  // Same producer and consumer settings as libs/kafka, so the ceiling is measured on equal terms.
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false, maxInFlightRequests: 5 });
  const consumer = kafka.consumer({
    groupId: config.groupId,
    sessionTimeout: 10_000,
    heartbeatInterval: 1_000,
    allowAutoTopicCreation: false,
    maxBytesPerPartition: 1_048_576,
    maxWaitTimeInMs: 1_000,
  });
  consumer.on(consumer.events.GROUP_JOIN, () => process.stdout.write('joined\n'));
  await producer.connect();
  await consumer.connect();
  await consumer.subscribe({ topic: config.source, fromBeginning: true });
  await consumer.run({
    autoCommit: true,
    autoCommitInterval: config.commitIntervalMs,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: config.partitionsConsumedConcurrently,
    eachBatch: async ({ batch, resolveOffset, commitOffsetsIfNecessary, heartbeat, isRunning, isStale }) => {
      for (let start = 0; start < batch.messages.length; start += config.chunkSize) {
        if (!isRunning() || isStale()) return;
        const chunk = batch.messages.slice(start, start + config.chunkSize);
        await producer.sendBatch({
          acks: -1,
          topicMessages: [{ topic: config.target, messages: chunk.map((message) => ({ key: message.key, value: message.value })) }],
        });
        resolveOffset(chunk[chunk.length - 1].offset);
        await commitOffsetsIfNecessary();
        await heartbeat();
      }
    },
  });
  const stop = () => {
    void consumer
      .disconnect()
      .then(() => producer.disconnect())
      .finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

runHop(hopConfig(process.env)).catch((error: unknown) => {
  process.stderr.write(`relay hop failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
