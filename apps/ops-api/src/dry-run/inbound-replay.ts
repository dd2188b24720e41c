import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Kafka, KafkaMessage } from 'kafkajs';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { OpsApiServiceConfig } from '@conmutador/config';
import { createKafkaClient, engineTopics } from '@conmutador/kafka';
import { OPS_API_CONFIG } from '../ops-api.tokens';

export interface ReplayWindow {
  topic: string;
  /** ISO-8601: records with an earlier timestamp are left out. */
  since: string;
  /** Records read, per partition range [first offset at `since`, high watermark when the replay began). */
  recordsRead: number;
  partitions: { partition: number; fromOffset: string; toOffset: string }[];
}

export class ReplayWindowTooLargeError extends Error {
  constructor(
    readonly records: number,
    readonly limit: number,
  ) {
    super(`the replay window holds ${records} records, more than the limit of ${limit} (DRY_RUN_MAX_REPLAY_RECORDS); replay fewer hours`);
  }
}

export class ReplayTimeoutError extends Error {
  constructor(
    readonly timeoutMs: number,
    readonly recordsRead: number,
  ) {
    super(`the replay did not reach the end of its window within ${timeoutMs} ms (${recordsRead} records read)`);
  }
}

export class ReplayTopicMissingError extends Error {
  constructor(readonly topic: string) {
    super(`the topic ${topic} does not exist: no service has run with this KAFKA_TOPIC_NAMESPACE yet`);
  }
}

interface PartitionRange {
  partition: number;
  start: bigint;
  end: bigint;
  next: bigint;
}

/**
 * Reads the recent past of `interactions.inbound` once, without disturbing anyone: from the
 * offsets matching a timestamp to the high watermarks as they were when the replay began, with a
 * consumer group of its own that commits nothing and is deleted afterwards. The live consumers'
 * positions are never touched.
 */
@Injectable()
export class InboundReplay {
  private readonly kafka: Kafka;
  private readonly topic: string;

  constructor(
    @Inject(OPS_API_CONFIG) private readonly config: OpsApiServiceConfig,
    @InjectPinoLogger(InboundReplay.name) private readonly logger: PinoLogger,
  ) {
    this.kafka = createKafkaClient(config.kafka, logger);
    this.topic = engineTopics(config.kafka).inbound;
  }

  async replaySince(sinceMs: number, onRecord: (message: KafkaMessage) => void): Promise<ReplayWindow> {
    const ranges = await this.rangesSince(sinceMs);
    const total = ranges.reduce((sum, range) => sum + Number(range.end - range.start), 0);
    const { maxReplayRecords, replayTimeoutMs } = this.config.dryRun;
    if (total > maxReplayRecords) throw new ReplayWindowTooLargeError(total, maxReplayRecords);
    const window: ReplayWindow = {
      topic: this.topic,
      since: new Date(sinceMs).toISOString(),
      recordsRead: 0,
      partitions: ranges.map((range) => ({ partition: range.partition, fromOffset: range.start.toString(), toOffset: range.end.toString() })),
    };
    const pending = ranges.filter((range) => range.start < range.end);
    if (pending.length === 0) return window;
    window.recordsRead = await this.consume(pending, sinceMs, onRecord, replayTimeoutMs);
    return window;
  }

  private async rangesSince(sinceMs: number): Promise<PartitionRange[]> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      // Checked first: kafkajs would retry an unknown topic for a long while before giving up.
      if (!(await admin.listTopics()).includes(this.topic)) throw new ReplayTopicMissingError(this.topic);
      const starts = await admin.fetchTopicOffsetsByTimestamp(this.topic, sinceMs);
      // Fetched after the starts: a watermark only grows, so every range is well formed.
      const highs = await admin.fetchTopicOffsets(this.topic);
      return starts.map(({ partition, offset }) => {
        const high = BigInt(highs.find((candidate) => candidate.partition === partition)?.high ?? offset);
        const start = BigInt(offset) > high ? high : BigInt(offset);
        return { partition, start, end: high, next: start };
      });
    } finally {
      await admin.disconnect();
    }
  }

  private async consume(ranges: PartitionRange[], sinceMs: number, onRecord: (message: KafkaMessage) => void, timeoutMs: number): Promise<number> {
    const groupId = `${this.config.kafka.consumerGroup}.dry-run.${randomUUID()}`;
    const consumer = this.kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1_000, maxWaitTimeInMs: 250, allowAutoTopicCreation: false });
    const remaining = new Map(ranges.map((range) => [range.partition, range]));
    let recordsRead = 0;
    let finished!: () => void;
    const allRead = new Promise<void>((resolve) => (finished = resolve));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ReplayTimeoutError(timeoutMs, recordsRead)), timeoutMs);
    });

    await consumer.connect();
    try {
      // From the beginning, not the end: should the seeks below come late, the first fetches read
      // records before the window (skipped) instead of waiting at the end for records that never come.
      await consumer.subscribe({ topic: this.topic, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          const range = remaining.get(batch.partition);
          if (!range) return;
          for (const message of batch.messages) {
            const offset = BigInt(message.offset);
            if (offset < range.next) continue;
            if (offset >= range.end) break;
            range.next = offset + 1n;
            // Producer timestamps need not be monotonic: the offset lookup is approximate, this is exact.
            if (Number(message.timestamp) < sinceMs) continue;
            recordsRead += 1;
            onRecord(message);
          }
          // Offsets can have gaps (transaction markers, compaction): the batch says how far it got.
          const last = BigInt(batch.lastOffset());
          if (last + 1n > range.next && last >= range.start) range.next = last + 1n > range.end ? range.end : last + 1n;
          if (range.next >= range.end) {
            remaining.delete(batch.partition);
            if (remaining.size === 0) finished();
          }
        },
      });
      for (const range of ranges) consumer.seek({ topic: this.topic, partition: range.partition, offset: range.start.toString() });
      await Promise.race([allRead, timedOut]);
      return recordsRead;
    } finally {
      clearTimeout(timer);
      await consumer.disconnect();
      await this.deleteGroup(groupId);
    }
  }

  private async deleteGroup(groupId: string): Promise<void> {
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      await admin.deleteGroups([groupId]);
    } catch (error) {
      // Harmless: an empty group without offsets expires on its own.
      this.logger.debug({ err: error, groupId }, 'could not delete the dry-run consumer group');
    } finally {
      await admin.disconnect();
    }
  }
}
