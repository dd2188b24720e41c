// The optional Redis Cluster (`up --redis-cluster`): six redis-server processes (three primaries,
// three replicas) on their own ports, one dir per node under .stack/redis-cluster/node-PORT/
// (redis.conf, nodes.conf, redis.log), created with `redis-cli --cluster create`. A cache for
// tests: no RDB, no AOF, loopback only, a 2 s node timeout so that failovers are quick.
//
// nodes.conf files of an earlier cluster are reused when the nodes come back consistent from them;
// otherwise the dirs are wiped and the cluster is created anew.

import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { HOST, POLL_MS, StackError, readJson, writeJson } from './common.mjs';
import { choosePortBlock, isPortFree, parsePort } from './ports.mjs';
import {
  commandLine,
  findExecutable,
  findProcesses,
  isAlive,
  killNow,
  lastLines,
  processCwd,
  runTool,
  spawnDetached,
  tailFile,
  terminate,
} from './processes.mjs';
import { installRedis } from './redis.mjs';
import { parseClusterNodes, parseInfo, redisCall, redisCommands } from './redis-protocol.mjs';
import { readState, writeState } from './state.mjs';

export const DEFAULT_REDIS_CLUSTER_PORT = 17000;
const NODE_COUNT = 6;
const PRIMARY_COUNT = 3;
const SLOTS = 16384;
// Redis listens for the cluster bus on port + 10000.
const BUS_OFFSET = 10000;
const START_TIMEOUT_MS = 15_000;
const READY_TIMEOUT_MS = 60_000;
const REUSE_TIMEOUT_MS = 15_000;
const CHANGE_TIMEOUT_MS = 30_000;
const PROBE_TIMEOUT_MS = 1500;

export function clusterNodePaths(L, port) {
  const dir = path.join(L.redisClusterDir, `node-${port}`);
  return { dir, config: path.join(dir, 'redis.conf'), nodesConf: path.join(dir, 'nodes.conf'), log: path.join(dir, 'redis.log') };
}

export function clusterAddresses(ports) {
  return ports.map((port) => `${HOST}:${port}`).join(',');
}

// /proc/PID/cwd names the real path: compare with the real path of our dir.
function realDir(dir) {
  try {
    return fs.realpathSync(dir);
  } catch {
    return dir;
  }
}

function isRedisServer(args) {
  return args.some((a) => a.includes('redis-server'));
}

// Guards against pid reuse: a redis-server whose working directory is that node's dir (the
// `dir` it was given); where /proc cannot tell, its title ("redis-server 127.0.0.1:PORT [cluster]").
export function isOurClusterNode(pid, L, port) {
  if (!isAlive(pid)) return false;
  const args = commandLine(pid);
  if (args === null) return true;
  if (!isRedisServer(args)) return false;
  const cwd = processCwd(pid);
  return cwd !== null ? cwd === realDir(clusterNodePaths(L, port).dir) : args.join(' ').includes(`:${port}`);
}

function findOrphanNodes(L, knownPids) {
  const prefix = `${realDir(L.redisClusterDir)}${path.sep}`;
  return findProcesses((args, pid) => isRedisServer(args) && (processCwd(pid) ?? '').startsWith(prefix)).filter((pid) => !knownPids.includes(pid));
}

async function redisBinaries(log) {
  const server = findExecutable('redis-server') ?? (await installRedis(log));
  const cli = findExecutable('redis-cli');
  if (!cli) throw new StackError('redis-cli is not installed; it creates the Redis Cluster (Debian: apt-get install -y redis-tools)');
  return { server, cli };
}

function portsFrom(base) {
  return Array.from({ length: NODE_COUNT }, (_, i) => base + i);
}

async function portsFree(ports) {
  for (const port of ports) {
    if (!(await isPortFree(port)) || !(await isPortFree(port + BUS_OFFSET))) return false;
  }
  return true;
}

async function chooseClusterPorts(log) {
  const base = await choosePortBlock({
    envName: 'LOCAL_REDIS_CLUSTER_PORT',
    defaultBase: DEFAULT_REDIS_CLUSTER_PORT,
    step: 100,
    tries: 50,
    portsOf: (b) => portsFrom(b).flatMap((port) => [port, port + BUS_OFFSET]),
    describe: (b) => `${b}..${b + NODE_COUNT - 1} (bus ${b + BUS_OFFSET}..${b + BUS_OFFSET + NODE_COUNT - 1})`,
    what: 'Redis Cluster',
    log,
  });
  return portsFrom(base);
}

function quoted(value) {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function writeNodeConfig(L, port) {
  const p = clusterNodePaths(L, port);
  fs.mkdirSync(p.dir, { recursive: true });
  const lines = [
    '# Written by tools/stack/redis-cluster.mjs on every start of this node.',
    `port ${port}`,
    `bind ${HOST}`,
    'protected-mode no',
    'daemonize no',
    `dir ${quoted(p.dir)}`,
    'cluster-enabled yes',
    `cluster-config-file ${quoted(p.nodesConf)}`,
    'cluster-node-timeout 2000',
    // A throwaway cache: nothing on disk but nodes.conf, and no waiting for replicas on SIGTERM.
    'appendonly no',
    'save ""',
    'shutdown-on-sigterm nosave now',
    // Replicas sync at once (empty datasets) instead of after the default 5 s diskless-sync delay.
    'repl-diskless-sync-delay 0',
    'logfile ""',
  ];
  fs.writeFileSync(p.config, `${lines.join('\n')}\n`);
}

function spawnNode(L, binary, port) {
  writeNodeConfig(L, port);
  const p = clusterNodePaths(L, port);
  const { pid, failure } = spawnDetached(binary, [p.config], { cwd: p.dir, logFile: p.log });
  let spawnError = null;
  failure.then((err) => {
    spawnError = err;
  });
  return { pid, spawnError: () => spawnError };
}

async function waitForPing(L, port, node) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    const spawnError = node.spawnError();
    if (spawnError) throw new StackError(`could not start redis-server: ${spawnError.message}`);
    if (!isAlive(node.pid)) {
      throw new StackError(`Redis Cluster node ${port} (pid ${node.pid}) died during start\n${tailFile(clusterNodePaths(L, port).log, 30)}`);
    }
    try {
      if ((await redisCall(port, ['PING'], 1000)) === 'PONG') return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new StackError(`Redis Cluster node ${port} (pid ${node.pid}) did not answer PING within ${START_TIMEOUT_MS / 1000} s`);
    await sleep(100);
  }
}

// Each node's own answers: CLUSTER INFO, CLUSTER NODES (its view of all nodes) and INFO replication.
async function nodeView(port) {
  try {
    const [info, nodes, replication] = await redisCommands(
      port,
      [
        ['CLUSTER', 'INFO'],
        ['CLUSTER', 'NODES'],
        ['INFO', 'replication'],
      ],
      PROBE_TIMEOUT_MS,
    );
    if (info instanceof Error) return { port, error: info.message };
    return { port, info: parseInfo(info), nodes: parseClusterNodes(nodes), replication: parseInfo(replication) };
  } catch (err) {
    return { port, error: err.message };
  }
}

function slotOwner(view, slot) {
  return view.nodes.find((n) => n.role === 'primary' && n.slots.some(([from, to]) => slot >= from && slot <= to)) ?? null;
}

// null when the asked nodes agree on a healthy cluster, else the first reason it is not. With
// `down` ports, those nodes must be flagged failing by every asked node (and are not checked
// further); without, every node of the cluster must be up, and every replica in sync.
function clusterProblem(views, { allPorts, down = [] }) {
  for (const v of views) {
    if (v.error) return `node ${v.port}: ${v.error}`;
    const { info } = v;
    if (info.cluster_state !== 'ok') return `node ${v.port}: cluster_state ${info.cluster_state}`;
    if (info.cluster_slots_assigned !== String(SLOTS) || info.cluster_slots_ok !== String(SLOTS)) {
      return `node ${v.port}: ${info.cluster_slots_ok}/${SLOTS} slots ok (${info.cluster_slots_assigned} assigned)`;
    }
    if (Number(info.cluster_known_nodes) !== allPorts.length) return `node ${v.port} knows ${info.cluster_known_nodes} nodes, not ${allPorts.length}`;
    for (const n of v.nodes) {
      if (!allPorts.includes(n.port)) return `node ${v.port} knows a node on port ${n.port}`;
      if (down.includes(n.port)) {
        if (!n.flags.has('fail')) return `node ${v.port} does not flag node ${n.port} as failed yet`;
      } else if (n.failing || !n.connected) {
        return `node ${v.port} sees node ${n.port} as ${[...n.flags].join(',')} (${n.connected ? 'connected' : 'disconnected'})`;
      }
    }
    const primaries = v.nodes.filter((n) => n.role === 'primary' && n.slots.length > 0 && !down.includes(n.port));
    if (primaries.length !== PRIMARY_COUNT) return `node ${v.port} sees ${primaries.length} serving primaries`;
    if (down.length === 0) {
      for (const primary of primaries) {
        if (!v.nodes.some((n) => n.masterId === primary.id && n.role === 'replica')) return `node ${v.port}: primary ${primary.port} has no replica`;
      }
      if (v.replication.role === 'slave' && v.replication.master_link_status !== 'up')
        return `replica ${v.port}: link to its primary is ${v.replication.master_link_status}`;
    }
  }
  // Every asked node names the same primaries.
  const owners = (v) => [0, SLOTS / 2, SLOTS - 1].map((slot) => slotOwner(v, slot)?.port).join(',');
  const disagree = views.find((v) => owners(v) !== owners(views[0]));
  return disagree ? `nodes ${views[0].port} and ${disagree.port} disagree on the slots' primaries` : null;
}

async function waitForCluster(L, cluster, { askPorts, down = [], timeoutMs, what, check }) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const n of cluster.nodes) {
      if (askPorts.includes(n.port) && !isOurClusterNode(n.pid, L, n.port)) {
        throw new StackError(`Redis Cluster node ${n.port} (pid ${n.pid}) is gone\n${tailFile(clusterNodePaths(L, n.port).log, 20)}`);
      }
    }
    const views = await Promise.all(askPorts.map(nodeView));
    const problem = clusterProblem(views, { allPorts: cluster.ports, down }) ?? (check ? check(views) : null);
    if (!problem) return views;
    if (Date.now() > deadline) throw new StackError(`${what} within ${Math.round(timeoutMs / 1000)} s: ${problem}`);
    await sleep(POLL_MS);
  }
}

function rolesOf(views) {
  const view = views.find((v) => !v.error);
  const primaries = [];
  const replicas = [];
  for (const n of view?.nodes ?? []) {
    if (n.role === 'primary' && n.slots.length > 0 && !n.failing) primaries.push(n.port);
    else if (!n.failing) replicas.push(n.port);
  }
  return { primaries: primaries.sort((a, b) => a - b), replicas: replicas.sort((a, b) => a - b) };
}

function clusterResult(cluster, views, started) {
  return {
    nodes: clusterAddresses(cluster.ports),
    ports: [...cluster.ports],
    ...rolesOf(views),
    pids: cluster.nodes.map((n) => n.pid),
    started,
  };
}

export async function stopRedisCluster(L, state, log) {
  const known = [];
  for (const n of state.redisCluster?.nodes ?? []) if (n.pid && isOurClusterNode(n.pid, L, n.port)) known.push(n.pid);
  const pids = [...known, ...findOrphanNodes(L, known)];
  await Promise.all(pids.map((pid) => terminate(pid, 'Redis Cluster node', log)));
  delete state.redisCluster;
  writeState(L, state);
  return pids.length > 0;
}

// The six nodes.conf files describe one cluster: each lists the same six node ids on the same
// ports, names itself on its own port, and has every slot assigned. Roles may differ (a file
// written while its node was down is behind on failovers; the nodes settle that by epochs).
// Checked before starting anything, so that a clearly foreign or damaged file costs no wait.
function nodesConfsAgree(L, ports) {
  if (ports.length !== NODE_COUNT) return false;
  let reference = null;
  for (const port of ports) {
    let text;
    try {
      text = fs.readFileSync(clusterNodePaths(L, port).nodesConf, 'utf8');
    } catch {
      return false;
    }
    const entries = parseClusterNodes(
      text
        .split('\n')
        .filter((line) => line.trim() && !line.startsWith('vars '))
        .join('\n'),
    );
    if (entries.length !== NODE_COUNT || entries.find((e) => e.myself)?.port !== port) return false;
    const idsByPort = entries
      .map((e) => `${e.port}=${e.id}`)
      .sort()
      .join(',');
    if (reference !== null && idsByPort !== reference) return false;
    reference = idsByPort;
    const assigned = entries.flatMap((e) => (e.role === 'primary' ? e.slots : [])).reduce((sum, [from, to]) => sum + (to - from + 1), 0);
    if (assigned !== SLOTS) return false;
  }
  return true;
}

// Starts the given nodes of `cluster` (recording their pids before waiting) and waits for PING.
async function startNodes(L, binary, cluster, ports) {
  const spawned = [];
  for (const port of ports) {
    const node = cluster.nodes.find((n) => n.port === port);
    const s = spawnNode(L, binary, port);
    node.pid = s.pid;
    node.startedAt = new Date().toISOString();
    delete node.stoppedAt;
    spawned.push([port, s]);
  }
  const state = readState(L);
  state.redisCluster = cluster;
  writeState(L, state);
  await Promise.all(spawned.map(([port, s]) => waitForPing(L, port, s)));
}

function newClusterRecord(ports) {
  return { ports, nodes: ports.map((port) => ({ port, pid: null })), startedAt: new Date().toISOString() };
}

export async function ensureRedisCluster(L, options, log) {
  const started = Date.now();
  const { server, cli } = await redisBinaries(log);
  const state = readState(L);
  const previous = state.redisCluster;

  const requested = process.env.LOCAL_REDIS_CLUSTER_PORT ? parsePort(process.env.LOCAL_REDIS_CLUSTER_PORT, 'LOCAL_REDIS_CLUSTER_PORT') : null;
  const portMoved = previous && requested !== null && previous.ports[0] !== requested;
  if (previous && !options.fresh && !portMoved) {
    const live = previous.nodes.filter((n) => isOurClusterNode(n.pid, L, n.port));
    if (live.length === previous.nodes.length) {
      const views = await Promise.all(previous.ports.map(nodeView));
      if (clusterProblem(views, { allPorts: previous.ports }) === null) {
        log(`Redis Cluster already running on ${clusterAddresses(previous.ports)}`);
        return clusterResult(previous, views, false);
      }
    }
    if (live.length > 0 && nodesConfsAgree(L, previous.ports)) {
      try {
        const missing = previous.nodes.filter((n) => !live.includes(n)).map((n) => n.port);
        if (missing.length > 0) {
          if (!(await portsFree(missing))) throw new StackError(`a port of Redis Cluster nodes ${missing.join(', ')} is taken`);
          log(`starting Redis Cluster nodes ${missing.join(', ')} again from their nodes.conf`);
          await startNodes(L, server, previous, missing);
        } else {
          log('Redis Cluster is running but not healthy yet; waiting for it');
        }
        const views = await waitForCluster(L, previous, { askPorts: previous.ports, timeoutMs: REUSE_TIMEOUT_MS, what: 'the Redis Cluster was not healthy' });
        log(`Redis Cluster ready on ${clusterAddresses(previous.ports)} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
        return clusterResult(previous, views, missing.length > 0);
      } catch (err) {
        log(`restarting the whole Redis Cluster: ${err.message.split('\n')[0]}`);
      }
    }
  }
  if (previous) {
    if (portMoved) log(`restarting the Redis Cluster: LOCAL_REDIS_CLUSTER_PORT=${requested} asks for other ports`);
    await stopRedisCluster(L, readState(L), log);
  }
  await Promise.all(findOrphanNodes(L, []).map((pid) => terminate(pid, 'orphaned Redis Cluster node', log)));

  // An earlier cluster's nodes.conf files: reused when they are for the ports chosen now and all
  // six nodes come back consistent from them.
  const ports = await chooseClusterPorts(log);
  const marker = readJson(L.redisClusterMarker);
  const sameListOf = (a, b) => Array.isArray(a) && a.join(',') === b.join(',');
  if (options.fresh) {
    if (marker) log('wiping the Redis Cluster (fresh requested)');
  } else if (sameListOf(marker?.ports, ports) && nodesConfsAgree(L, ports)) {
    const cluster = newClusterRecord(marker.ports);
    try {
      log(`starting the Redis Cluster on ${clusterAddresses(cluster.ports)} from its nodes.conf files`);
      await startNodes(L, server, cluster, cluster.ports);
      const views = await waitForCluster(L, cluster, { askPorts: cluster.ports, timeoutMs: REUSE_TIMEOUT_MS, what: 'the nodes did not come back consistent' });
      log(`Redis Cluster ready in ${((Date.now() - started) / 1000).toFixed(1)} s (pids ${cluster.nodes.map((n) => n.pid).join(', ')})`);
      return clusterResult(cluster, views, true);
    } catch (err) {
      log(`wiping and creating the Redis Cluster again: ${err.message.split('\n')[0]}`);
      await stopRedisCluster(L, readState(L), log);
    }
  } else if (marker) {
    log(
      `wiping the earlier Redis Cluster (${sameListOf(marker.ports, ports) ? 'its nodes.conf files are missing or disagree' : `it was on ports ${marker.ports?.[0]}.., now ${ports[0]}..`})`,
    );
  }

  fs.rmSync(L.redisClusterDir, { recursive: true, force: true });
  const cluster = newClusterRecord(ports);
  log(`creating a Redis Cluster of ${PRIMARY_COUNT} primaries and ${NODE_COUNT - PRIMARY_COUNT} replicas on ${clusterAddresses(ports)}`);
  try {
    await startNodes(L, server, cluster, ports);
    const created = await runTool(cli, ['--cluster', 'create', ...ports.map((port) => `${HOST}:${port}`), '--cluster-replicas', '1', '--cluster-yes'], {
      timeoutMs: 60_000,
      cwd: L.redisClusterDir,
    });
    if (created.code !== 0) {
      throw new StackError(`redis-cli --cluster create failed (exit code ${created.code}):\n${lastLines(created.output, 30)}`);
    }
    const views = await waitForCluster(L, cluster, { askPorts: ports, timeoutMs: READY_TIMEOUT_MS, what: 'the new Redis Cluster was not healthy' });
    writeJson(L.redisClusterMarker, { ports, createdAt: new Date().toISOString() });
    log(`Redis Cluster ready in ${((Date.now() - started) / 1000).toFixed(1)} s (pids ${cluster.nodes.map((n) => n.pid).join(', ')})`);
    return clusterResult(cluster, views, true);
  } catch (err) {
    await stopRedisCluster(L, readState(L), log).catch(() => {});
    throw err;
  }
}

function clusterNode(state, port) {
  const cluster = state.redisCluster;
  if (!cluster) throw new StackError('the Redis Cluster is not running (node tools/stack.mjs up --redis-cluster)');
  const node = cluster.nodes.find((n) => n.port === Number(port));
  if (!node) throw new StackError(`the Redis Cluster has no node on port ${port} (its ports are ${cluster.ports.join(', ')})`);
  return { cluster, node };
}

function livePorts(L, cluster) {
  return cluster.nodes.filter((n) => isOurClusterNode(n.pid, L, n.port)).map((n) => n.port);
}

// kill -9 one node; then (unless waitForFailover is false) wait until every other running node
// flags it as failed and reports cluster_state:ok again: for a primary, once its replica took over.
export async function killClusterNode(L, port, options, log) {
  const started = Date.now();
  const state = readState(L);
  const { cluster, node } = clusterNode(state, port);
  const before = await nodeView(node.port);
  const self = before.error ? null : before.nodes.find((n) => n.myself);
  const pid = node.pid;
  let killed = false;
  if (pid && isOurClusterNode(pid, L, node.port)) killed = await killNow(pid, `Redis Cluster node ${node.port}`, log);
  for (const orphan of findOrphanNodes(L, []).filter((p) => processCwd(p) === realDir(clusterNodePaths(L, node.port).dir))) {
    killed = (await killNow(orphan, `Redis Cluster node ${node.port}`, log)) || killed;
  }
  node.pid = null;
  node.stoppedAt = new Date().toISOString();
  writeState(L, state);

  let promoted = null;
  if (options.waitForFailover !== false) {
    const survivors = livePorts(L, cluster);
    const down = cluster.ports.filter((p) => !survivors.includes(p));
    const views = await waitForCluster(L, cluster, {
      askPorts: survivors,
      down,
      timeoutMs: options.timeoutMs ?? CHANGE_TIMEOUT_MS,
      what: `the Redis Cluster did not recover from losing node ${node.port}`,
    });
    if (self?.role === 'primary' && self.slots.length > 0) promoted = slotOwner(views[0], self.slots[0][0])?.port ?? null;
  }
  const elapsedMs = Date.now() - started;
  log(`Redis Cluster node ${node.port} is down${promoted ? `, ${promoted} took over its slots` : ''} (${(elapsedMs / 1000).toFixed(1)} s)`);
  return { port: node.port, pid, killed, role: self?.role ?? null, promoted, elapsedMs };
}

// Starts one node again from its nodes.conf and waits until the running nodes agree on a healthy
// cluster with it (a former primary whose replica took over comes back as that one's replica).
export async function startClusterNode(L, port, options, log) {
  const started = Date.now();
  const state = readState(L);
  const { cluster, node } = clusterNode(state, port);
  let spawned = false;
  if (node.pid && isOurClusterNode(node.pid, L, node.port)) {
    log(`Redis Cluster node ${node.port} is already running (pid ${node.pid})`);
  } else {
    const { server } = await redisBinaries(log);
    if (!(await portsFree([node.port]))) throw new StackError(`port ${node.port} or ${node.port + BUS_OFFSET} of the Redis Cluster node is taken`);
    log(`starting Redis Cluster node ${node.port}`);
    await startNodes(L, server, cluster, [node.port]);
    spawned = true;
  }
  const live = livePorts(L, cluster);
  const down = cluster.ports.filter((p) => !live.includes(p));
  const views = await waitForCluster(L, cluster, {
    askPorts: live,
    down,
    timeoutMs: options.timeoutMs ?? CHANGE_TIMEOUT_MS,
    what: `Redis Cluster node ${node.port} did not rejoin`,
  });
  const self = views.find((v) => v.port === node.port)?.nodes.find((n) => n.myself);
  const elapsedMs = Date.now() - started;
  log(`Redis Cluster node ${node.port} is back as a ${self?.role ?? 'node'} (pid ${node.pid}, ${(elapsedMs / 1000).toFixed(1)} s)`);
  return { port: node.port, pid: node.pid, started: spawned, role: self?.role ?? null, elapsedMs };
}

// CLUSTER FAILOVER on a replica of the primary that serves the slot (a number) or the key (a
// string, hashed by the cluster itself), then waits until the two swapped roles, every running
// node names the new primary for that slot, and the cluster is healthy again.
export async function failoverClusterPrimary(L, slotOrKey, options, log) {
  const started = Date.now();
  const state = readState(L);
  const cluster = state.redisCluster;
  if (!cluster) throw new StackError('the Redis Cluster is not running (node tools/stack.mjs up --redis-cluster)');
  const live = livePorts(L, cluster);
  if (live.length === 0) throw new StackError('no Redis Cluster node is running');
  let slot;
  if (typeof slotOrKey === 'number') {
    if (!Number.isInteger(slotOrKey) || slotOrKey < 0 || slotOrKey >= SLOTS) throw new StackError(`slot ${slotOrKey} is not in 0..${SLOTS - 1}`);
    slot = slotOrKey;
  } else if (typeof slotOrKey === 'string') {
    slot = await redisCall(live[0], ['CLUSTER', 'KEYSLOT', slotOrKey], PROBE_TIMEOUT_MS);
  } else {
    throw new StackError('failoverRedisPrimary takes a slot number or a key string');
  }
  const view = await nodeView(live[0]);
  if (view.error) throw new StackError(`Redis Cluster node ${live[0]}: ${view.error}`);
  const primary = slotOwner(view, slot);
  if (!primary) throw new StackError(`no primary serves slot ${slot}`);
  const replica = view.nodes.find((n) => n.masterId === primary.id && n.role === 'replica' && !n.failing && live.includes(n.port));
  if (!replica) throw new StackError(`primary ${primary.port} of slot ${slot} has no running replica to fail over to`);

  log(`failing over slot ${slot}: replica ${replica.port} takes over from primary ${primary.port}`);
  await redisCall(replica.port, ['CLUSTER', 'FAILOVER'], PROBE_TIMEOUT_MS);
  const down = cluster.ports.filter((p) => !live.includes(p));
  await waitForCluster(L, cluster, {
    askPorts: live,
    down,
    timeoutMs: options.timeoutMs ?? CHANGE_TIMEOUT_MS,
    what: `replica ${replica.port} did not take over slot ${slot} from ${primary.port}`,
    check: (views) => {
      for (const v of views) {
        const owner = slotOwner(v, slot);
        if (owner?.port !== replica.port) return `node ${v.port} names ${owner?.port ?? 'no node'} as the primary of slot ${slot}`;
        const self = v.nodes.find((n) => n.myself);
        if (v.port === replica.port && self?.role !== 'primary') return `${replica.port} is not a primary yet`;
        if (v.port === primary.port && self?.role !== 'replica') return `${primary.port} is not a replica yet`;
      }
      return null;
    },
  });
  const elapsedMs = Date.now() - started;
  log(`slot ${slot} is served by ${replica.port} now (${(elapsedMs / 1000).toFixed(1)} s)`);
  return { slot, from: primary.port, to: replica.port, elapsedMs };
}

export async function redisClusterStatus(L, state) {
  const cluster = state.redisCluster;
  if (!cluster) return { state: 'stopped', nodes: null, members: [], primaries: [] };
  const live = livePorts(L, cluster);
  const views = await Promise.all(live.map(nodeView));
  const members = cluster.nodes.map((n) => {
    const v = views.find((x) => x.port === n.port);
    const self = v && !v.error ? v.nodes.find((x) => x.myself) : null;
    return {
      port: n.port,
      pid: live.includes(n.port) ? n.pid : null,
      role: self?.role ?? null,
      state: !live.includes(n.port) ? 'stopped' : v?.error ? 'starting' : 'running',
    };
  });
  const down = cluster.ports.filter((p) => !live.includes(p));
  // degraded: some nodes stopped (killRedisNode) and the others run; starting: all six run but
  // are not (yet) a healthy cluster.
  let overall = 'stopped';
  if (down.length === 0) overall = clusterProblem(views, { allPorts: cluster.ports }) === null ? 'running' : 'starting';
  else if (live.length > 0) overall = 'degraded';
  return { state: overall, nodes: clusterAddresses(cluster.ports), members, primaries: rolesOf(views).primaries };
}
