import { provisionInfrastructure } from './infrastructure';

/** Integration tests share one broker and one Redis; each test isolates itself with its own namespace. */
export default async function globalSetup(): Promise<void> {
  const { infrastructure, teardown } = await provisionInfrastructure();
  process.env.KAFKA_BROKERS = infrastructure.kafkaBrokers;
  process.env.REDIS_URL = infrastructure.redisUrl;
  process.stderr.write(`\n[integration] Kafka ${infrastructure.kafkaBrokers}, Redis ${infrastructure.redisUrl} (${infrastructure.source})\n`);
  (globalThis as { __conmutadorTeardown?: () => Promise<void> }).__conmutadorTeardown = teardown;
}
