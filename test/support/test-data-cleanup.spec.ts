import { isTestDataSince } from './test-data-cleanup';
import { testNamespace } from './test-namespace';

describe('which data a test run removes at its end', () => {
  const runStartedAt = Date.now();

  it('takes the topics, groups and keys of namespaces made during the run, with hyphens in the label too', () => {
    const { namespace, keyPrefix } = testNamespace('publish-retry');
    for (const name of [
      `${namespace}.interactions.inbound`,
      `${namespace}.conmutador-router`,
      `${namespace}-consumer`,
      `${namespace}-collector-0f1e`,
      `${keyPrefix}i:wa-1`,
    ]) {
      expect(isTestDataSince(name, runStartedAt)).toBe(true);
    }
  });

  it('leaves namespaces of earlier runs, and anything that is not a test namespace', () => {
    const earlier = `t-crash-${(runStartedAt - 60_000).toString(36)}-a1b2c3`;
    expect(isTestDataSince(`${earlier}.interactions.inbound`, runStartedAt)).toBe(false);
    expect(isTestDataSince(`${earlier}:queues`, runStartedAt)).toBe(false);
    for (const name of ['interactions.inbound', '__consumer_offsets', 'conmutador:queues', 't-notes', `t-x-${Date.now().toString(36)}-nothex:q`]) {
      expect(isTestDataSince(name, runStartedAt)).toBe(false);
    }
  });
});
