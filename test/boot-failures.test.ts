import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServiceProcess } from './support/service-process';

describe('configuration errors stop the boot and name the bad key', () => {
  it('router: a malformed value exits with code 2 naming each key', async () => {
    const router = await ServiceProcess.start('router', { KAFKA_SESSION_TIMEOUT_MS: 'soon', REDIS_URL: 'http://nope' });
    const { code } = await router.exited;
    expect(code).toBe(2);
    expect(router.logs()).toContain('KAFKA_SESSION_TIMEOUT_MS');
    expect(router.logs()).toContain('REDIS_URL');
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
