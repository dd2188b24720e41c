import { Kafka, logLevel } from 'kafkajs';
import { BatchConsumer, ConsumedRecord, ConsumerLogger, createProducer, ProcessingResult, RecordProcessor } from '@conmutador/kafka';
import { expectEventually } from './support/expect-eventually';
import { CollectedRecord, KafkaTestClient } from './support/kafka-test-client';
import { testNamespace } from './support/test-namespace';

const PARTITIONS = 6;

/** Forwards every record to the output topic and keeps a log of what it was asked to do. */
class RecordingProcessor implements RecordProcessor {
  readonly chunks: ConsumedRecord[][] = [];
  released = 0;
  afterPublishCalls = 0;

  constructor(
    private readonly output: string,
    private readonly onAfterPublish: (chunkIndex: number, call: number) => Promise<void> = async () => undefined,
  ) {}

  async process(records: ConsumedRecord[]): Promise<ProcessingResult> {
    const chunkIndex = this.chunks.push(records) - 1;
    let calls = 0;
    return {
      messages: [{ topic: this.output, messages: records.map((record) => ({ key: record.key, value: record.value })) }],
      afterPublish: async () => {
        this.afterPublishCalls++;
        await this.onAfterPublish(chunkIndex, ++calls);
      },
      release: () => {
        this.released++;
      },
    };
  }

  processedValues(): string[] {
    return this.chunks.flat().map((record) => record.value!.toString());
  }
}

function collectingLogger(): ConsumerLogger & { errors: unknown[] } {
  const errors: unknown[] = [];
  return { errors, error: (...args: unknown[]) => errors.push(args), warn: () => undefined } as unknown as ConsumerLogger & { errors: unknown[] };
}

describe('BatchConsumer on a real broker', () => {
  const kafka = new Kafka({ clientId: 'batch-consumer-test', brokers: process.env.KAFKA_BROKERS!.split(','), logLevel: logLevel.NOTHING });
  const producer = createProducer(kafka);
  const clients: KafkaTestClient[] = [];
  const consumers: BatchConsumer[] = [];

  beforeAll(async () => {
    await producer.connect();
  });

  afterAll(async () => {
    await Promise.all(consumers.map((consumer) => consumer.stop().catch(() => undefined)));
    await Promise.all(clients.map((client) => client.close()));
    await producer.disconnect();
  });

  async function setUp(label: string, count: number) {
    const { namespace } = testNamespace(label);
    const client = new KafkaTestClient(namespace);
    clients.push(client);
    await client.createTopics(PARTITIONS);
    // Every key lands on its partition by murmur2; values carry their place in the key's sequence.
    const records = Array.from({ length: count }, (_, index) => ({ key: `key-${index % 40}`, value: `${index % 40}:${Math.floor(index / 40)}` }));
    await client.produce(records);
    const output = await client.collect(client.topics.routed);
    return { client, records, output, groupId: `${namespace}-consumer` };
  }

  function start(
    client: KafkaTestClient,
    groupId: string,
    processor: RecordProcessor,
    logger: ConsumerLogger,
    chunkSize: number,
    commitIntervalMs = 200,
  ): BatchConsumer {
    const consumer = new BatchConsumer(
      kafka,
      producer,
      processor,
      { groupId, topic: client.topics.inbound, sessionTimeoutMs: 10_000, chunkSize, partitionsConsumedConcurrently: 32, commitIntervalMs },
      logger,
    );
    consumers.push(consumer);
    return consumer;
  }

  /** Per key, the sequence numbers in the order they were published. */
  function sequencesByKey(output: CollectedRecord[]): Map<string, number[]> {
    const byKey = new Map<string, number[]>();
    for (const record of output) {
      const [key, sequence] = record.value!.toString().split(':');
      byKey.set(key, [...(byKey.get(key) ?? []), Number(sequence)]);
    }
    return byKey;
  }

  it('processes the batches of several partitions in shared chunks, publishes each key in order, and commits everything on stop', async () => {
    const { client, records, output, groupId } = await setUp('rounds', 1200);
    const processor = new RecordingProcessor(client.topics.routed);
    const logger = collectingLogger();
    const consumer = start(client, groupId, processor, logger, 50);
    await consumer.start();

    await expectEventually(() => expect(output.length).toBe(records.length), { timeoutMs: 60_000 });
    await consumer.stop();

    expect(processor.processedValues().sort()).toEqual(records.map((record) => record.value).sort());
    // The partitions of one fetch share chunks instead of costing a produce request each.
    expect(processor.chunks.some((chunk) => new Set(chunk.map((record) => record.partition)).size > 1)).toBe(true);
    for (const sequence of sequencesByKey(output).values()) expect(sequence).toEqual([...sequence].sort((a, b) => a - b));
    expect(processor.released).toBe(processor.chunks.length);
    expect(logger.errors).toEqual([]);
    expect(await client.uncommitted(groupId, client.topics.inbound)).toBe(0);
  });

  it('processes the next chunk while the previous one is being published', async () => {
    const { client, records, output, groupId } = await setUp('pipelined', 400);
    let overlapSeen = false;
    const processor: RecordingProcessor = new RecordingProcessor(client.topics.routed, async (chunkIndex) => {
      if (chunkIndex !== 0) return;
      // Chunk 0 stays in flight until chunk 1 has been processed, or gives up after 10 s.
      const deadline = Date.now() + 10_000;
      while (processor.chunks.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
      overlapSeen = processor.chunks.length >= 2;
    });
    const consumer = start(client, groupId, processor, collectingLogger(), 20);
    await consumer.start();

    await expectEventually(() => expect(output.length).toBe(records.length), { timeoutMs: 60_000 });
    await consumer.stop();
    expect(overlapSeen).toBe(true);
    for (const sequence of sequencesByKey(output).values()) expect(sequence).toEqual([...sequence].sort((a, b) => a - b));
    expect(await client.uncommitted(groupId, client.topics.inbound)).toBe(0);
  });

  it('retries a failed publication without processing its records again, and loses nothing', async () => {
    const { client, records, output, groupId } = await setUp('publish-retry', 600);
    const processor = new RecordingProcessor(client.topics.routed, async (chunkIndex, call) => {
      if (chunkIndex === 1 && call === 1) throw new Error('Redis went away for a moment');
    });
    const logger = collectingLogger();
    const consumer = start(client, groupId, processor, logger, 30);
    await consumer.start();

    const distinctValues = () => new Set(output.map((record) => record.value!.toString())).size;
    await expectEventually(() => expect(distinctValues()).toBe(records.length), { timeoutMs: 60_000 });
    await consumer.stop();

    // Each record was processed once; only the failed chunk was produced twice.
    expect(processor.processedValues()).toHaveLength(records.length);
    await expectEventually(() => expect(output.length).toBe(records.length + processor.chunks[1].length));
    expect(processor.afterPublishCalls).toBe(processor.chunks.length + 1);
    expect(processor.released).toBe(processor.chunks.length);
    expect(logger.errors).toHaveLength(1);
    expect(JSON.stringify(logger.errors[0])).toContain('publishing failed');
    expect(await client.uncommitted(groupId, client.topics.inbound)).toBe(0);
  });

  it('commits what it has done when the group rebalances, so the next owner of a partition does not do it again', async () => {
    const { client, records, output, groupId } = await setUp('rebalance', 600);
    // No interval commit can happen during the test: only the rebalance and the stops commit.
    const first = new RecordingProcessor(client.topics.routed);
    const firstConsumer = start(client, groupId, first, collectingLogger(), 50, 600_000);
    await firstConsumer.start();
    await expectEventually(() => expect(first.processedValues()).toHaveLength(records.length), { timeoutMs: 60_000 });

    const second = new RecordingProcessor(client.topics.routed);
    const secondConsumer = start(client, groupId, second, collectingLogger(), 50, 600_000);
    await secondConsumer.start();
    await expectEventually(() => expect(firstConsumer.isReady() && secondConsumer.isReady()).toBe(true), { timeoutMs: 60_000 });

    // More records, spread over the partitions both members now own.
    const more = Array.from({ length: 400 }, (_, index) => ({ key: `key-${index % 40}`, value: `more-${index}` }));
    await client.produce(more);
    await expectEventually(() => expect(first.processedValues().length + second.processedValues().length).toBe(records.length + more.length), {
      timeoutMs: 60_000,
    });
    await Promise.all([firstConsumer.stop(), secondConsumer.stop()]);

    const processed = [...first.processedValues(), ...second.processedValues()];
    expect(new Set(processed).size).toBe(processed.length);
    expect(second.processedValues().length).toBeGreaterThan(0);
    expect(await client.uncommitted(groupId, client.topics.inbound)).toBe(0);
    expect(output.length).toBeGreaterThanOrEqual(records.length + more.length);
  });
});
