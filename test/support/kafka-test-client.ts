import { randomUUID } from 'node:crypto';
import { Consumer, Kafka, logLevel, Partitioners, Producer } from 'kafkajs';
import { expectEventually } from './expect-eventually';

export interface TestTopics {
  inbound: string;
  classified: string;
  routed: string;
  deadLetter: string;
}

export interface CollectedRecord {
  key: string | null;
  value: Buffer | null;
  json<T = Record<string, unknown>>(): T;
}

/**
 * A plain kafkajs client, independent of the engine's own Kafka code: it produces contract
 * events and collects what comes out, the way the telephony platform and a monitor would.
 */
export class KafkaTestClient {
  readonly topics: TestTopics;
  private readonly kafka: Kafka;
  private producer?: Producer;
  private readonly consumers: Consumer[] = [];

  constructor(
    readonly namespace: string,
    brokers = process.env.KAFKA_BROKERS!,
  ) {
    this.kafka = new Kafka({ clientId: `test-${namespace}`, brokers: brokers.split(','), logLevel: logLevel.NOTHING });
    this.topics = {
      inbound: `${namespace}.interactions.inbound`,
      classified: `${namespace}.conmutador.interactions.classified`,
      routed: `${namespace}.interactions.routed`,
      deadLetter: `${namespace}.interactions.dlq`,
    };
  }

  /**
   * Creates the topics as the services would, so collectors can subscribe before the services
   * start. Replicated topics are waited for by polling their metadata until every partition has a
   * leader: kafkajs's own wait can fail on a multi-broker cluster while leaders are elected.
   */
  async createTopics(partitions = 6, replicationFactor = 1): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const missing = Object.values(this.topics).filter((topic) => !existing.has(topic));
      if (missing.length === 0) return;
      const replicated = replicationFactor > 1;
      await admin.createTopics({ topics: missing.map((topic) => ({ topic, numPartitions: partitions, replicationFactor })), waitForLeaders: !replicated });
      if (!replicated) return;
      await expectEventually(
        async () => {
          const { topics } = await admin.fetchTopicMetadata({ topics: missing });
          for (const topic of topics) {
            expect(topic.partitions).toHaveLength(partitions);
            expect(topic.partitions.every((partition) => partition.leader >= 0 && partition.isr.length === replicationFactor)).toBe(true);
          }
        },
        { timeoutMs: 30_000, intervalMs: 100 },
      );
    } finally {
      await admin.disconnect();
    }
  }

  /** Partition leaders of `topic`: partition → broker node id. */
  async leaders(topic: string): Promise<Map<number, number>> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      return new Map(topics[0].partitions.map((partition) => [partition.partitionId, partition.leader]));
    } finally {
      await admin.disconnect();
    }
  }

  async deleteTopics(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const ours = Object.values(this.topics).filter((topic) => existing.has(topic));
      if (ours.length > 0) await admin.deleteTopics({ topics: ours });
    } finally {
      await admin.disconnect();
    }
  }

  async produce(records: { key: string | null; value: string | Buffer | object }[]): Promise<void> {
    if (!this.producer) {
      // Idempotent: on a loaded machine a produce request can time out after the broker wrote it,
      // and a plain retry would write the records twice, so a test would read duplicates that
      // the engine never made.
      this.producer = this.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true, maxInFlightRequests: 1 });
      await this.producer.connect();
    }
    const messages = records.map((record) => ({
      key: record.key,
      value: typeof record.value === 'string' || Buffer.isBuffer(record.value) ? record.value : JSON.stringify(record.value),
    }));
    for (let start = 0; start < messages.length; start += 500) {
      await this.producer.send({ topic: this.topics.inbound, messages: messages.slice(start, start + 500) });
    }
  }

  /** Collects every record of a topic from its beginning into a live array. */
  async collect(topic: string): Promise<CollectedRecord[]> {
    const records: CollectedRecord[] = [];
    const consumer = this.kafka.consumer({
      groupId: `${this.namespace}-collector-${randomUUID()}`,
      sessionTimeout: 6000,
      heartbeatInterval: 500,
      maxWaitTimeInMs: 200,
    });
    this.consumers.push(consumer);
    await consumer.connect();
    // A topic just created on a multi-broker cluster reaches every broker's metadata a moment
    // later; a broker that does not know it yet answers with a retriable error.
    await expectEventually(() => consumer.subscribe({ topic, fromBeginning: true }), { timeoutMs: 30_000, intervalMs: 200 });
    let joined = false;
    consumer.on(consumer.events.GROUP_JOIN, () => {
      joined = true;
    });
    // A rebalance of the collector's own group (a missed heartbeat on a busy machine) delivers
    // its last uncommitted records again: each record of the topic is collected once.
    const collected = new Set<string>();
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const position = `${partition}:${message.offset}`;
        if (collected.has(position)) return;
        collected.add(position);
        const value = message.value;
        records.push({ key: message.key?.toString() ?? null, value, json: () => JSON.parse(value!.toString()) });
      },
    });
    const deadline = Date.now() + 30_000;
    while (!joined && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    return records;
  }

  /** Records of `topic` that consumer group `groupId` has not committed past (0 when caught up). */
  async uncommitted(groupId: string, topic: string): Promise<number> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const [ends, [committed]] = await Promise.all([admin.fetchTopicOffsets(topic), admin.fetchOffsets({ groupId, topics: [topic] })]);
      const committedByPartition = new Map(committed.partitions.map(({ partition, offset }) => [partition, Number(offset)]));
      return ends.reduce((lag, { partition, high }) => lag + Number(high) - Math.max(0, committedByPartition.get(partition) ?? 0), 0);
    } finally {
      await admin.disconnect();
    }
  }

  /**
   * Records `topic` holds now, summed over its partitions. The engine writes no transactions, so
   * there are no control records: a collector has read everything once it holds this many.
   */
  async recordCount(topic: string): Promise<number> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(topic);
      return offsets.reduce((count, { low, high }) => count + Number(high) - Number(low), 0);
    } finally {
      await admin.disconnect();
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.consumers.map((consumer) => consumer.disconnect()));
    await this.producer?.disconnect();
  }
}
