import { EnvReader } from './env-reader';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface KafkaConfig {
  brokers: string[];
  clientId: string;
  /** Isolates a deployment or a test on a shared broker; empty in production. */
  topicNamespace: string;
  consumerGroup: string;
  sessionTimeoutMs: number;
  /** Records handed to one processing step: one Redis pipeline and one produce call. */
  processingChunkSize: number;
  /** Partitions of one fetch processed together, in shared chunks (kafkajs workers). */
  partitionsConsumedConcurrently: number;
  /** Offsets of published chunks are committed at most this often, and at once on a rebalance or shutdown. */
  commitIntervalMs: number;
  replicationFactor: number;
  /**
   * Whether a pipeline service refuses to start when kafkajs's producers would run without this
   * project's replacements of its internal modules (libs/kafka/src/kafkajs.ts): kafkajs was loaded
   * before them, or is another version. Off, it starts anyway, slower, with a warning per module.
   */
  requireModuleReplacements: boolean;
  partitions: { inbound: number; classified: number; routed: number; deadLetter: number };
}

export interface CommonConfig {
  service: string;
  logLevel: LogLevel;
  httpPort: number;
  /** 127.0.0.1 by default; containers set 0.0.0.0. */
  httpHost: string;
  kafka: KafkaConfig;
  shutdownTimeoutMs: number;
}

export function readCommonConfig(reader: EnvReader, service: string, defaultHttpPort: number): CommonConfig {
  const topicNamespace = reader.identifier('KAFKA_TOPIC_NAMESPACE', '');
  return {
    service,
    logLevel: reader.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    httpPort: reader.integer('HTTP_PORT', defaultHttpPort, { min: 0, max: 65535 }),
    httpHost: reader.string('HTTP_HOST', '127.0.0.1'),
    shutdownTimeoutMs: reader.integer('SHUTDOWN_TIMEOUT_MS', 30_000, { min: 1_000, max: 600_000 }),
    kafka: {
      brokers: reader.hostPorts('KAFKA_BROKERS', ['127.0.0.1:9092']),
      clientId: reader.string('KAFKA_CLIENT_ID', `conmutador-${service}`),
      topicNamespace,
      // A namespaced deployment (or test) must not join the groups of another on the same broker.
      consumerGroup: reader.identifier('KAFKA_CONSUMER_GROUP', topicNamespace ? `${topicNamespace}.conmutador-${service}` : `conmutador-${service}`),
      sessionTimeoutMs: reader.integer('KAFKA_SESSION_TIMEOUT_MS', 30_000, { min: 6_000, max: 300_000 }),
      processingChunkSize: reader.integer('KAFKA_PROCESSING_CHUNK_SIZE', 500, { min: 1, max: 10_000 }),
      partitionsConsumedConcurrently: reader.integer('KAFKA_PARTITIONS_CONSUMED_CONCURRENTLY', 32, { min: 1, max: 64 }),
      commitIntervalMs: reader.integer('KAFKA_COMMIT_INTERVAL_MS', 200, { min: 0, max: 60_000 }),
      replicationFactor: reader.integer('KAFKA_REPLICATION_FACTOR', 1, { min: 1, max: 7 }),
      requireModuleReplacements: reader.boolean('KAFKA_REQUIRE_MODULE_REPLACEMENTS', true),
      partitions: {
        inbound: reader.integer('KAFKA_PARTITIONS_INBOUND', 6, { min: 1, max: 1024 }),
        classified: reader.integer('KAFKA_PARTITIONS_CLASSIFIED', 6, { min: 1, max: 1024 }),
        routed: reader.integer('KAFKA_PARTITIONS_ROUTED', 6, { min: 1, max: 1024 }),
        deadLetter: reader.integer('KAFKA_PARTITIONS_DLQ', 3, { min: 1, max: 1024 }),
      },
    },
  };
}
