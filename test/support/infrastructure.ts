import { spawnSync } from 'node:child_process';
import { runStack } from './local-stack';
import { removeTestData } from './test-data-cleanup';

export { REPO_ROOT } from './local-stack';

export interface Infrastructure {
  kafkaBrokers: string;
  redisUrl: string;
  source: 'environment' | 'testcontainers' | 'local-stack';
}

function dockerEngineAnswers(): boolean {
  const result = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { stdio: 'pipe', timeout: 10_000 });
  return result.status === 0 && result.stdout.toString().trim().length > 0;
}

/**
 * Real services either way: the ones named in the environment; otherwise containers where a
 * Docker engine answers; otherwise the project's own local stack (Kafka from Maven Central jars).
 */
export async function provisionInfrastructure(): Promise<{ infrastructure: Infrastructure; teardown: () => Promise<void> }> {
  const { KAFKA_BROKERS, REDIS_URL } = process.env;
  // Services that outlive the run keep nothing of it: its topics, groups and keys go at the end.
  const startedAtMs = Date.now();
  const cleanUp = (infrastructure: Infrastructure) => async () => {
    const removed = await removeTestData(infrastructure.kafkaBrokers, infrastructure.redisUrl, startedAtMs);
    process.stderr.write(
      `[integration] removed this run's test data: ${removed.topics} topics, ${removed.groups} consumer groups, ${removed.keys} Redis keys\n`,
    );
  };
  if (KAFKA_BROKERS && REDIS_URL) {
    const infrastructure: Infrastructure = { kafkaBrokers: KAFKA_BROKERS, redisUrl: REDIS_URL, source: 'environment' };
    return { infrastructure, teardown: cleanUp(infrastructure) };
  }
  if (process.env.CONMUTADOR_TEST_INFRA !== 'local' && dockerEngineAnswers()) {
    const { GenericContainer, Wait } = await import('testcontainers');
    const kafka = await new GenericContainer('apache/kafka:3.9.1')
      .withExposedPorts({ container: 9092, host: 19192 })
      .withEnvironment({
        KAFKA_NODE_ID: '1',
        KAFKA_PROCESS_ROLES: 'broker,controller',
        KAFKA_LISTENERS: 'PLAINTEXT://:9092,CONTROLLER://:9093',
        KAFKA_ADVERTISED_LISTENERS: 'PLAINTEXT://127.0.0.1:19192',
        KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
        KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
        KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
        KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
        KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS: '4',
        KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
        KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
        KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
        KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
      })
      .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
      .start();
    const redis = await new GenericContainer('redis:7-alpine').withExposedPorts(6379).start();
    return {
      infrastructure: {
        kafkaBrokers: '127.0.0.1:19192',
        redisUrl: `redis://127.0.0.1:${redis.getMappedPort(6379)}`,
        source: 'testcontainers',
      },
      teardown: async () => {
        await Promise.all([kafka.stop(), redis.stop()]);
      },
    };
  }
  const stack = (await runStack(['up'], { showProgress: true })) as { kafkaBrokers: string; redisUrl: string };
  const infrastructure: Infrastructure = { kafkaBrokers: KAFKA_BROKERS ?? stack.kafkaBrokers, redisUrl: REDIS_URL ?? stack.redisUrl, source: 'local-stack' };
  // The local stack is left running for the next run (`npm run stack:down` stops it), empty of this one.
  return { infrastructure, teardown: cleanUp(infrastructure) };
}
