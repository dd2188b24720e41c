import { Cluster } from 'ioredis';
import { RulesetStore } from '@conmutador/ruleset-store';
import { expectEventually } from './support/expect-eventually';
import { ensureRedisCluster, failOverRedisPrimaryOf } from './support/local-stack';
import { testNamespace } from './support/test-namespace';

const rulesetA = { name: 'baseline', rules: [{ id: 'banking', queue: 'banking' }] };
const rulesetB = { name: 'relief-desk', rules: [{ id: 'banking-relief', queue: 'relief' }] };

/**
 * The ruleset store on a real Redis Cluster (three primaries, a replica each): its scripts run
 * there because every key they touch is declared and shares the {rules} slot, and a failover of
 * the primary holding that slot loses no publication that was acknowledged.
 */
describe('ruleset store on a Redis Cluster', () => {
  const { keyPrefix } = testNamespace('rules-cluster');
  const clients: Cluster[] = [];
  let nodes: string;
  let cluster: Cluster;
  let store: RulesetStore;

  const connect = (nodes: string): Cluster => {
    const client = new Cluster(
      nodes.split(',').map((node) => ({ host: node.split(':')[0], port: Number(node.split(':')[1]) })),
      { clusterRetryStrategy: () => 200, redisOptions: { maxRetriesPerRequest: 5 } },
    );
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    nodes = await ensureRedisCluster();
    cluster = connect(nodes);
    store = new RulesetStore(cluster, keyPrefix);
  }, 120_000);

  afterAll(async () => {
    const masters = cluster.nodes('master');
    await Promise.all(
      masters.map(async (node) => {
        const keys = await node.keys(`${keyPrefix}*`);
        if (keys.length > 0) await node.del(...keys);
      }),
    );
    for (const client of clients) client.disconnect();
  });

  it('numbers concurrent drafts without gaps, publishes and rolls back, all in one slot', async () => {
    const editors = Array.from({ length: 4 }, () => new RulesetStore(connect(nodes), keyPrefix));
    const drafts = await Promise.all(editors.map((editor, index) => editor.createDraft({ ...rulesetA, editor: index }, `editor-${index}`)));
    expect(drafts.map(({ version }) => version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4]);

    expect(await store.publish(1, 'ana')).toEqual({ version: 1, previousVersion: null });
    expect(await store.publish(2, 'ana', { expectedPrevious: 1, changes: { rulesChanged: 1 } })).toEqual({ version: 2, previousVersion: 1 });
    expect(await store.rollback(1, 'ana')).toEqual({ version: 1, previousVersion: 2 });
    expect((await store.list()).map(({ version, status }) => [version, status])).toEqual([
      [1, 'published'],
      [2, 'retired'],
      [3, 'draft'],
      [4, 'draft'],
    ]);

    const keys = (await Promise.all(cluster.nodes('master').map((node) => node.keys(`${keyPrefix}*`)))).flat();
    expect(keys.length).toBeGreaterThanOrEqual(7);
    const slots = await Promise.all(keys.map(async (key) => Number(await cluster.call('CLUSTER', 'KEYSLOT', key))));
    expect(new Set(slots).size).toBe(1);
  });

  it('keeps what was acknowledged through a failover of the primary holding the slot, and carries on', async () => {
    const { version } = await store.createDraft(rulesetB, 'luis');
    await store.publish(version, 'luis');
    const { from, to } = await failOverRedisPrimaryOf(store.currentKey);
    expect(to).not.toBe(from);

    // The client follows the slot to its new primary; nothing acknowledged before is missing.
    await expectEventually(async () => expect(await store.current()).toEqual({ version, document: rulesetB }), { timeoutMs: 20_000, intervalMs: 200 });
    const next = await store.createDraft(rulesetA, 'luis');
    expect(next.version).toBe(version + 1);
    expect(await store.publish(next.version, 'luis')).toEqual({ version: next.version, previousVersion: version });
    expect((await store.audit(3)).map((entry) => [entry.action, entry.version])).toEqual([
      ['published', next.version],
      ['created', next.version],
      ['published', version],
    ]);
  }, 60_000);
});
