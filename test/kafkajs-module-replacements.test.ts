import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './support/infrastructure';
import { ServiceName, ServiceProcess } from './support/service-process';
import { testNamespace } from './support/test-namespace';

/**
 * The producers' replacements of kafkajs modules live in Node's module cache, which jest's own
 * module registry ignores: they are checked here in plain Node processes running the build.
 */
const PIPELINE_SERVICES: ServiceName[] = ['classifier', 'router', 'engine'];
const ALL_IN_EFFECT = { producerGrouping: true, recordEncoding: true, batchChecksum: true };
const KAFKA_PACKAGE = join(REPO_ROOT, 'dist/libs/kafka/src');

/** Whether each replacement is in effect in a `node` process that first loads `modules`, in order. */
async function inEffectAfterLoading(modules: string[]): Promise<Record<string, boolean>> {
  const probe = join(REPO_ROOT, 'test/support/kafkajs-replacement-probe.js');
  const { stdout } = await promisify(execFile)(process.execPath, [probe, ...modules], { cwd: REPO_ROOT });
  return JSON.parse(stdout) as Record<string, boolean>;
}

/** What a service's compiled entry point requires, in its order, before it calls runService to boot. */
function entryPointRequires(service: ServiceName): string[] {
  const main = join(REPO_ROOT, `dist/apps/${service}/src/main.js`);
  const requests = [...readFileSync(main, 'utf8').matchAll(/require\("([^"]+)"\)/g)].map(([, request]) => request);
  return requests.map((request) => (request.startsWith('.') ? resolve(dirname(main), request) : request));
}

describe('kafkajs module replacements in a plain Node process (dist/)', () => {
  it.each(PIPELINE_SERVICES)('%s: all three are in effect once its entry point has loaded what it requires', async (service) => {
    const requires = entryPointRequires(service);
    expect(requires).toContainEqual(expect.stringMatching(new RegExp(`/apps/${service}/src/${service}\\.module$`)));
    expect(await inEffectAfterLoading(requires)).toEqual(ALL_IN_EFFECT);
  });

  // An import sorter, or a new export, decides which of the package's modules a service loads
  // first; kafkajs is loaded only by kafkajs.js, after the replacements, so each order works.
  const packageModules = readdirSync(KAFKA_PACKAGE).filter((file) => file.endsWith('.js'));

  it.each(packageModules)('all three are in effect when %s is the first module of @conmutador/kafka loaded', async (file) => {
    expect(await inEffectAfterLoading([join(KAFKA_PACKAGE, file)])).toEqual(ALL_IN_EFFECT);
  });

  it('says when kafkajs was loaded first: its producer has read its own grouping', async () => {
    // The encoder and the checksum are read by kafkajs's produce request and record batch, which
    // kafkajs loads only when it first produces: replaced afterwards, they still take effect.
    expect(await inEffectAfterLoading(['kafkajs'])).toEqual({ ...ALL_IN_EFFECT, producerGrouping: false });
  });
});

describe('a pipeline service in which kafkajs was loaded before @conmutador/kafka', () => {
  const loadingKafkajsFirst = (): Record<string, string> => {
    const { namespace, keyPrefix } = testNamespace('kafkajs-first');
    const nodeOptions = [process.env.NODE_OPTIONS, '--require kafkajs'].filter(Boolean).join(' ');
    return { NODE_OPTIONS: nodeOptions, KAFKA_TOPIC_NAMESPACE: namespace, REDIS_KEY_PREFIX: keyPrefix };
  };

  it.each(PIPELINE_SERVICES)('%s refuses to start, naming what is not in effect and KAFKA_REQUIRE_MODULE_REPLACEMENTS', async (service) => {
    const running = await ServiceProcess.start(service, loadingKafkajsFirst());
    const { code } = await running.exited;
    expect(code).toBe(1);
    expect(running.logs()).toContain(
      `${service}: failed to start: KafkajsModuleReplacementsMissingError: kafkajs's producers would run without producerGrouping=linear ` +
        '(kafkajs/src/producer/groupMessagesPerPartition not replaced)',
    );
    expect(running.logs()).toContain('set KAFKA_REQUIRE_MODULE_REPLACEMENTS=false');
    expect(running.logs()).not.toContain(`${service} started`);
  });

  it('starts with KAFKA_REQUIRE_MODULE_REPLACEMENTS=false, warning of the grouping it runs without', async () => {
    const engine = await ServiceProcess.startReady('engine', { ...loadingKafkajsFirst(), KAFKA_REQUIRE_MODULE_REPLACEMENTS: 'false' });
    const startupLines = engine
      .logs()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((entry) => 'producerGrouping' in entry || 'recordEncoding' in entry || 'batchChecksum' in entry);
    expect(startupLines).toEqual([
      expect.objectContaining({ level: 40, producerGrouping: 'kafkajs', msg: expect.stringContaining('group messages per partition in quadratic time') }),
      expect.objectContaining({ level: 30, recordEncoding: 'exact-size' }),
      expect.objectContaining({ level: 30, batchChecksum: 'sliced-by-8' }),
    ]);
    expect(await engine.stop()).toBe(0);
  });
});
