import { ConfigError } from './env-reader';
import { loadClassifierConfig } from './classifier.config';
import { loadRouterConfig } from './router.config';
import { loadEngineConfig } from './engine.config';
import { loadOpsApiConfig } from './ops-api.config';

describe('service configuration', () => {
  it('gives working defaults for an empty environment', () => {
    const config = loadRouterConfig({});
    expect(config.kafka.brokers).toEqual(['127.0.0.1:9092']);
    expect(config.kafka.consumerGroup).toBe('conmutador-router');
    expect(config.redis.url).toBe('redis://127.0.0.1:6379');
    expect(config.httpPort).toBe(8082);
  });

  it("gives the one-process engine both stages' settings under its own name and group", () => {
    const config = loadEngineConfig({ CLASSIFIER_MIN_CONFIDENCE: '0.4', ROUTER_ESCALATION_POLL_MS: '100', KAFKA_TOPIC_NAMESPACE: 'site1' });
    expect(config.service).toBe('engine');
    expect(config.kafka.consumerGroup).toBe('site1.conmutador-engine');
    expect(config.httpPort).toBe(8083);
    expect(config.classifier.minConfidence).toBe(0.4);
    expect(config.router.escalationPollMs).toBe(100);
    expect(config.redis.keyPrefix).toBe('cmr:');
  });

  it("gives the router the classifier's taxonomy extensions, whose sectors transfers may name", () => {
    const extensions = { CLASSIFIER_EXTENSIONS_FILE: 'deploy/config/telecom.json, deploy/config/energy.json' };
    expect(loadRouterConfig(extensions).router.taxonomyExtensionFiles).toEqual(['deploy/config/telecom.json', 'deploy/config/energy.json']);
    expect(loadRouterConfig({}).router.taxonomyExtensionFiles).toEqual([]);
    const engine = loadEngineConfig(extensions);
    expect(engine.router.taxonomyExtensionFiles).toEqual(engine.classifier.extensionsFiles);
  });

  it('reads typed values from the environment', () => {
    const config = loadClassifierConfig({
      KAFKA_BROKERS: '127.0.0.1:19092, 127.0.0.1:19093',
      CLASSIFIER_MIN_CONFIDENCE: '0.7',
      KAFKA_PARTITIONS_INBOUND: '12',
      HTTP_PORT: '0',
    });
    expect(config.kafka.brokers).toEqual(['127.0.0.1:19092', '127.0.0.1:19093']);
    expect(config.classifier.minConfidence).toBe(0.7);
    expect(config.kafka.partitions.inbound).toBe(12);
    expect(config.httpPort).toBe(0);
  });

  it("points the classifier at the build's model file unless told otherwise", () => {
    expect(loadClassifierConfig({}).classifier.modelFile).toBe('dist/model/text-model.bin');
    expect(loadClassifierConfig({ CLASSIFIER_MODEL_FILE: '/models/text-model.bin' }).classifier.modelFile).toBe('/models/text-model.bin');
  });

  it('fails naming every bad key at once', () => {
    let thrown: unknown;
    try {
      loadRouterConfig({ KAFKA_SESSION_TIMEOUT_MS: 'soon', REDIS_URL: 'http://x', LOG_LEVEL: 'loud', KAFKA_BROKERS: 'no port' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    const message = (thrown as ConfigError).message;
    for (const key of ['KAFKA_SESSION_TIMEOUT_MS', 'REDIS_URL', 'LOG_LEVEL', 'KAFKA_BROKERS']) expect(message).toContain(key);
    expect((thrown as ConfigError).problems).toHaveLength(4);
  });

  it('keeps a namespaced deployment out of the default consumer groups of others', () => {
    expect(loadRouterConfig({ KAFKA_TOPIC_NAMESPACE: 't-42' }).kafka.consumerGroup).toBe('t-42.conmutador-router');
    expect(loadRouterConfig({ KAFKA_TOPIC_NAMESPACE: 't-42', KAFKA_CONSUMER_GROUP: 'mine' }).kafka.consumerGroup).toBe('mine');
  });

  it('requires the kafkajs module replacements unless KAFKA_REQUIRE_MODULE_REPLACEMENTS is false, and takes nothing but true or false', () => {
    expect(loadEngineConfig({}).kafka.requireModuleReplacements).toBe(true);
    expect(loadRouterConfig({ KAFKA_REQUIRE_MODULE_REPLACEMENTS: 'true' }).kafka.requireModuleReplacements).toBe(true);
    expect(loadClassifierConfig({ KAFKA_REQUIRE_MODULE_REPLACEMENTS: 'false' }).kafka.requireModuleReplacements).toBe(false);
    expect(() => loadEngineConfig({ KAFKA_REQUIRE_MODULE_REPLACEMENTS: 'no' })).toThrow(/KAFKA_REQUIRE_MODULE_REPLACEMENTS must be true or false, got "no"/);
  });

  it('rejects a topic namespace that would make invalid topic names', () => {
    expect(() => loadClassifierConfig({ KAFKA_TOPIC_NAMESPACE: 'Bad Name!' })).toThrow(/KAFKA_TOPIC_NAMESPACE/);
  });
});

describe('Redis configuration', () => {
  function problemsOf(env: Record<string, string>): string[] {
    try {
      loadRouterConfig(env);
    } catch (error) {
      if (error instanceof ConfigError) return error.problems;
      throw error;
    }
    throw new Error('expected the configuration to be refused');
  }

  it('is one Redis, no replica acknowledgement, unless told otherwise', () => {
    const { redis } = loadRouterConfig({});
    expect(redis).toEqual({ url: 'redis://127.0.0.1:6379', keyPrefix: 'cmr:', waitReplicas: 0, waitTimeoutMs: 1_000 });
    expect(redis.cluster).toBeUndefined();
  });

  it('reads the nodes of a Redis Cluster from REDIS_CLUSTER_NODES, for the router, the engine and the ops API', () => {
    const env = { REDIS_CLUSTER_NODES: ' redis-node-1:6379, 10.0.0.7:7000,,[fd00::1]:7001 ' };
    const nodes = [
      { host: 'redis-node-1', port: 6379 },
      { host: '10.0.0.7', port: 7000 },
      { host: 'fd00::1', port: 7001 },
    ];
    expect(loadRouterConfig(env).redis.cluster).toEqual({ nodes });
    expect(loadEngineConfig(env).redis.cluster).toEqual({ nodes });
    expect(loadOpsApiConfig({ ...env, OPS_API_KEYS: 'ana:viewer:viewer-key-0123456789' }).redis.cluster).toEqual({ nodes });
  });

  it('takes an empty REDIS_CLUSTER_NODES as not set, beside REDIS_URL too', () => {
    expect(loadRouterConfig({ REDIS_CLUSTER_NODES: '' }).redis.cluster).toBeUndefined();
    expect(loadRouterConfig({ REDIS_CLUSTER_NODES: '  ' }).redis.cluster).toBeUndefined();
    const config = loadRouterConfig({ REDIS_URL: 'redis://redis:6379', REDIS_CLUSTER_NODES: '' });
    expect(config.redis.url).toBe('redis://redis:6379');
    expect(config.redis.cluster).toBeUndefined();
    // And an empty REDIS_URL beside the nodes is not a second choice either.
    expect(loadRouterConfig({ REDIS_URL: '', REDIS_CLUSTER_NODES: 'redis-node-1:6379' }).redis.cluster).toEqual({
      nodes: [{ host: 'redis-node-1', port: 6379 }],
    });
  });

  it('refuses every bad node entry, naming REDIS_CLUSTER_NODES and the entry', () => {
    expect(problemsOf({ REDIS_CLUSTER_NODES: 'redis-node-1:6379,redis-node-2,redis-node-3:0,redis-node-4:65536,bad host:6379,:6379' })).toEqual([
      'REDIS_CLUSTER_NODES entry 2 must be host:port with a port between 1 and 65535, got "redis-node-2"',
      'REDIS_CLUSTER_NODES entry 3 must be host:port with a port between 1 and 65535, got "redis-node-3:0"',
      'REDIS_CLUSTER_NODES entry 4 must be host:port with a port between 1 and 65535, got "redis-node-4:65536"',
      'REDIS_CLUSTER_NODES entry 5 must be host:port with a port between 1 and 65535, got "bad host:6379"',
      'REDIS_CLUSTER_NODES entry 6 must be host:port with a port between 1 and 65535, got ":6379"',
    ]);
    expect(problemsOf({ REDIS_CLUSTER_NODES: ' , ,' })).toEqual([expect.stringMatching(/^REDIS_CLUSTER_NODES must list at least one host:port/)]);
    expect(problemsOf({ REDIS_CLUSTER_NODES: 'redis-node-1:6379:1' })).toEqual([expect.stringMatching(/^REDIS_CLUSTER_NODES entry 1 /)]);
  });

  it('refuses REDIS_URL and REDIS_CLUSTER_NODES both set, naming both, beside the other bad keys', () => {
    const problems = problemsOf({ REDIS_URL: 'redis://127.0.0.1:6379', REDIS_CLUSTER_NODES: 'redis-node-1:6379', LOG_LEVEL: 'loud' });
    expect(problems).toHaveLength(2);
    const both = problems.find((problem) => problem.includes('REDIS_CLUSTER_NODES'));
    expect(both).toContain('REDIS_URL');
    expect(problems.some((problem) => problem.startsWith('LOG_LEVEL'))).toBe(true);
    expect(() => loadEngineConfig({ REDIS_URL: 'redis://redis:6379', REDIS_CLUSTER_NODES: 'redis-node-1:6379' })).toThrow(/REDIS_CLUSTER_NODES.*REDIS_URL/);
    expect(() => loadOpsApiConfig({ OPS_API_KEYS: 'ana:viewer:viewer-key-0123456789', REDIS_URL: 'redis://r:6379', REDIS_CLUSTER_NODES: 'r:6379' })).toThrow(
      /REDIS_CLUSTER_NODES.*REDIS_URL/,
    );
  });

  it('reads how many replicas acknowledge a chunk, and for how long it waits, within bounds', () => {
    expect(loadRouterConfig({ REDIS_WAIT_REPLICAS: '1', REDIS_WAIT_TIMEOUT_MS: '250' }).redis).toMatchObject({ waitReplicas: 1, waitTimeoutMs: 250 });
    expect(loadEngineConfig({ REDIS_WAIT_REPLICAS: '5', REDIS_WAIT_TIMEOUT_MS: '60000' }).redis).toMatchObject({ waitReplicas: 5, waitTimeoutMs: 60_000 });
    expect(problemsOf({ REDIS_WAIT_REPLICAS: '6', REDIS_WAIT_TIMEOUT_MS: '5' })).toEqual([
      'REDIS_WAIT_REPLICAS must be an integer between 0 and 5, got "6"',
      'REDIS_WAIT_TIMEOUT_MS must be an integer between 10 and 60000, got "5"',
    ]);
    expect(problemsOf({ REDIS_WAIT_REPLICAS: '-1', REDIS_WAIT_TIMEOUT_MS: '1.5' })).toEqual([
      expect.stringMatching(/^REDIS_WAIT_REPLICAS must be an integer/),
      expect.stringMatching(/^REDIS_WAIT_TIMEOUT_MS must be an integer/),
    ]);
  });
});
