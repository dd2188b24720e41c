import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { ServiceProcess } from './support/service-process';
import { testNamespace } from './support/test-namespace';

describe('configuration errors stop the boot and name the bad key', () => {
  it('router: a malformed value exits with code 2 naming each key', async () => {
    const router = await ServiceProcess.start('router', { KAFKA_SESSION_TIMEOUT_MS: 'soon', REDIS_URL: 'http://nope' });
    const { code } = await router.exited;
    expect(code).toBe(2);
    expect(router.logs()).toContain('KAFKA_SESSION_TIMEOUT_MS');
    expect(router.logs()).toContain('REDIS_URL');
  });

  it('router: REDIS_URL and REDIS_CLUSTER_NODES together exit with code 2 naming both', async () => {
    const router = await ServiceProcess.start('router', { REDIS_URL: 'redis://127.0.0.1:6379', REDIS_CLUSTER_NODES: '127.0.0.1:17000' });
    const { code } = await router.exited;
    expect(code).toBe(2);
    expect(router.logs()).toContain('REDIS_URL');
    expect(router.logs()).toContain('REDIS_CLUSTER_NODES');
  });

  it('router: queues in the key layout before routing domains stop the start, naming the migration', async () => {
    const { namespace, keyPrefix } = testNamespace('legacy-boot');
    const redis = new Redis(process.env.REDIS_URL!);
    try {
      await redis.sadd(`${keyPrefix}queues`, 'banking');
      const router = await ServiceProcess.start('router', { KAFKA_TOPIC_NAMESPACE: namespace, REDIS_KEY_PREFIX: keyPrefix });
      const { code } = await router.exited;
      expect(code).not.toBe(0);
      expect(router.logs()).toContain('npm run migrate:queue-keys');
    } finally {
      await redis.del(`${keyPrefix}queues`);
      redis.disconnect();
    }
  });

  it('engine: a malformed value of either stage exits with code 2 naming each key', async () => {
    const engine = await ServiceProcess.start('engine', { CLASSIFIER_MIN_CONFIDENCE: '2', ROUTER_ESCALATION_POLL_MS: 'often' });
    const { code } = await engine.exited;
    expect(code).toBe(2);
    expect(engine.logs()).toContain('CLASSIFIER_MIN_CONFIDENCE');
    expect(engine.logs()).toContain('ROUTER_ESCALATION_POLL_MS');
  });

  it('classifier: a broken mappings file fails the start, naming the file key and the entry', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mappings-'));
    const file = join(dir, 'mappings.json');
    writeFileSync(file, JSON.stringify({ entryPoints: [{ entryPoint: '+57601', sector: '' }], ivrPaths: [] }));
    const classifier = await ServiceProcess.start('classifier', { CLASSIFIER_MAPPINGS_FILE: file, KAFKA_BROKERS: '127.0.0.1:1' });
    const { code } = await classifier.exited;
    expect(code).not.toBe(0);
    expect(classifier.logs()).toContain('CLASSIFIER_MAPPINGS_FILE');
    expect(classifier.logs()).toContain('entryPoints[0].sector');
  });
});
