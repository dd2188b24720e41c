import { ConfigError } from './env-reader';
import { loadClassifierConfig } from './classifier.config';
import { loadRouterConfig } from './router.config';
import { loadEngineConfig } from './engine.config';

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
