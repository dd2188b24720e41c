/**
 * One hop of the bare relay (stage 2): consume a topic and produce every record, unchanged, to
 * another. It runs the engine's own consume → produce → commit loop (`BatchConsumer` of
 * libs/kafka: fetch rounds, chunks of `chunkSize`, acks=all, offsets resolved after the produce)
 * with a processor that does no work, so the e2e / relay ratio is the cost of the engine's work
 * and nothing else.
 *
 * Configured by environment (RELAY_*); prints `joined` on stdout once its consumer is in the group.
 */
import { format } from 'node:util';
// kafkajs through @conmutador/kafka, as in the services: its producers then have the same module replacements.
import { BatchConsumer, ConsumedRecord, ConsumerLogger, createProducer, kafkajs, RecordProcessor } from '@conmutador/kafka';

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

/** Forwards each record's key and value, unchanged. */
class ForwardingProcessor implements RecordProcessor {
  constructor(private readonly target: string) {}

  async process(records: ConsumedRecord[]) {
    return { messages: [{ topic: this.target, messages: records.map((record) => ({ key: record.key, value: record.value })) }] };
  }
}

// util.format, not JSON: an Error's message and stack are not enumerable properties.
const stderrLogger: ConsumerLogger = {
  error: (...args: unknown[]) => process.stderr.write(`relay hop: ${format(...args)}\n`),
  warn: (...args: unknown[]) => process.stderr.write(`relay hop: ${format(...args)}\n`),
} as ConsumerLogger;

async function runHop(config: HopConfig): Promise<void> {
  const kafka = new kafkajs.Kafka({ clientId: config.groupId, brokers: config.brokers, logLevel: kafkajs.logLevel.ERROR });
  const producer = createProducer(kafka);
  const consumer = new BatchConsumer(
    kafka,
    producer,
    new ForwardingProcessor(config.target),
    {
      groupId: config.groupId,
      topic: config.source,
      sessionTimeoutMs: 10_000,
      chunkSize: config.chunkSize,
      partitionsConsumedConcurrently: config.partitionsConsumedConcurrently,
      commitIntervalMs: config.commitIntervalMs,
    },
    stderrLogger,
  );
  await producer.connect();
  await consumer.start();
  const announce = setInterval(() => {
    if (!consumer.isReady()) return;
    clearInterval(announce);
    process.stdout.write('joined\n');
  }, 20);
  const stop = () => {
    void consumer
      .stop()
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
