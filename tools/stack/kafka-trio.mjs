// The optional three-node Kafka cluster (`up --kafka-brokers 3`): three KRaft nodes in combined
// mode (broker + controller), node ids 1..3, one shared cluster id, a controller quorum of the
// three, replication factor 3 and min.insync.replicas 2. It runs beside the single broker, on its
// own ports and in its own dirs (.stack/kafka-trio/node-N/), from the same jars.
//
// The fault tests kill one node (stopKafkaBroker) and bring it back (startKafkaBroker); both wait
// until the other nodes' metadata shows the change.

import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { HOST, POLL_MS, REPO_ROOT, StackError, readJson, readText, writeJson } from './common.mjs';
import {
  KAFKA_JVM_OPTS,
  checkJava,
  checkSupportedVersion,
  ensureKafkaJars,
  javaCommand,
  kafkaClassPathArgs,
  logMentionsStart,
  newClusterId,
  pinnedKafkaVersion,
  propertiesValue,
  readMetaProperties,
} from './kafka.mjs';
import { kafkaFindCoordinator, kafkaMetadata } from './kafka-protocol.mjs';
import { choosePortBlock, isPortFree, parsePort } from './ports.mjs';
import { commandLine, fileSize, findProcesses, isAlive, killNow, lastLines, runTool, spawnDetached, tailFile, terminate } from './processes.mjs';
import { readState, writeState } from './state.mjs';

const TEMPLATE = path.join(REPO_ROOT, 'deploy', 'local', 'kafka', 'trio.properties.template');

export const TRIO_NODE_IDS = [1, 2, 3];
// Client ports BASE..BASE+2 for nodes 1..3, controller ports BASE+3..BASE+5.
export const DEFAULT_KAFKA_TRIO_PORT = 29092;
// Three of these next to the single broker (-Xmx768m), the services and the tests.
export const DEFAULT_KAFKA_TRIO_HEAP_OPTS = '-Xms128m -Xmx384m';
const TRIO_READY_TIMEOUT_MS = 120_000;
const TRIO_CHANGE_TIMEOUT_MS = 60_000;
const PROBE_TIMEOUT_MS = 2000;

export function trioNodePaths(L, nodeId) {
  const dir = path.join(L.trioDir, `node-${nodeId}`);
  return { dir, data: path.join(dir, 'data'), logs: path.join(dir, 'logs'), properties: path.join(dir, 'server.properties') };
}

export function trioBootstrap(trio) {
  return trio.nodes.map((n) => `${HOST}:${n.port}`).join(',');
}

// Guards against pid reuse: a recorded pid is only signalled if it still runs that node's config.
export function isOurTrioBroker(pid, L, nodeId) {
  if (!isAlive(pid)) return false;
  const args = commandLine(pid);
  return args === null || (args.includes('kafka.Kafka') && args.includes(trioNodePaths(L, nodeId).properties));
}

// Nodes running on one of our trio configs that the state file does not know (it was deleted,
// or a start was interrupted before it was written).
function findOrphanTrioBrokers(L, knownPids) {
  const prefix = `${L.trioDir}${path.sep}`;
  return findProcesses((args) => args.includes('kafka.Kafka') && args.some((a) => a.startsWith(prefix))).filter((pid) => !knownPids.includes(pid));
}

function portsFrom(base) {
  return TRIO_NODE_IDS.map((nodeId, i) => ({ nodeId, port: base + i, controllerPort: base + TRIO_NODE_IDS.length + i }));
}

async function chooseTrioPorts(log) {
  const base = await choosePortBlock({
    envName: 'LOCAL_KAFKA_TRIO_PORT',
    defaultBase: DEFAULT_KAFKA_TRIO_PORT,
    step: 10,
    tries: 200,
    portsOf: (b) => portsFrom(b).flatMap((n) => [n.port, n.controllerPort]),
    describe: (b) => `${b}..${b + 2 * TRIO_NODE_IDS.length - 1}`,
    what: 'Kafka trio',
    log,
  });
  return portsFrom(base);
}

function writeTrioProperties(L, nodes) {
  const template = readText(TEMPLATE);
  if (template === null) throw new StackError(`missing ${path.relative(REPO_ROOT, TEMPLATE)}`);
  const voters = nodes.map((n) => `${n.nodeId}@${HOST}:${n.controllerPort}`).join(',');
  for (const n of nodes) {
    const p = trioNodePaths(L, n.nodeId);
    const text = template
      .replaceAll('@NODE_ID@', String(n.nodeId))
      .replaceAll('@KAFKA_PORT@', String(n.port))
      .replaceAll('@CONTROLLER_PORT@', String(n.controllerPort))
      .replaceAll('@QUORUM_VOTERS@', voters)
      .replaceAll('@DATA_DIR@', propertiesValue(p.data));
    const leftover = /@[A-Z_]+@/.exec(text);
    if (leftover) throw new StackError(`unknown placeholder ${leftover[0]} in ${TEMPLATE}`);
    fs.mkdirSync(p.dir, { recursive: true });
    fs.writeFileSync(p.properties, text);
  }
}

function trioJvmArgs(L, logsDir) {
  const heap = (process.env.LOCAL_KAFKA_TRIO_HEAP_OPTS ?? DEFAULT_KAFKA_TRIO_HEAP_OPTS).split(/\s+/).filter(Boolean);
  return [...heap, ...KAFKA_JVM_OPTS, `-XX:ErrorFile=${path.join(logsDir, 'hs_err_pid%p.log')}`, ...kafkaClassPathArgs(L, logsDir)];
}

// Keeps the three data dirs when they hold one cluster of the pinned Kafka version; otherwise
// wipes all three and formats them with a new shared cluster id (in parallel: one JVM each).
async function prepareTrioStorage(L, nodes, version, fresh, log) {
  const marker = readJson(L.trioMarker);
  const metas = nodes.map((n) => readMetaProperties(trioNodePaths(L, n.nodeId).data));
  const clusterId = metas[0]?.clusterId;
  const consistent =
    Boolean(clusterId) && marker?.clusterId === clusterId && metas.every((m, i) => m?.clusterId === clusterId && m.nodeId === String(nodes[i].nodeId));
  if (!fresh && consistent && marker.kafkaVersion === version) return clusterId;
  if (metas.some(Boolean)) {
    const why = fresh ? 'requested' : !consistent ? 'the three do not hold one cluster' : `they were written by Kafka ${marker?.kafkaVersion ?? 'unknown'}`;
    log(`wiping the Kafka trio's data dirs (${why})`);
  }
  fs.rmSync(L.trioMarker, { force: true });
  const newId = newClusterId();
  const results = await Promise.all(
    nodes.map((n) => {
      const p = trioNodePaths(L, n.nodeId);
      fs.rmSync(p.data, { recursive: true, force: true });
      fs.mkdirSync(p.data, { recursive: true });
      return runTool(
        javaCommand(),
        [
          '-Xmx256m',
          '-XX:TieredStopAtLevel=1',
          '-XX:+UseSerialGC',
          '-Djava.awt.headless=true',
          ...kafkaClassPathArgs(L, path.join(p.logs, 'storage-tool')),
          'kafka.tools.StorageTool',
          'format',
          '-t',
          newId,
          '-c',
          p.properties,
          '--ignore-formatted',
        ],
        { timeoutMs: 120_000, cwd: p.dir },
      );
    }),
  );
  const failed = results.findIndex((r) => r.code !== 0);
  if (failed >= 0) {
    throw new StackError(
      `formatting the storage of Kafka trio node ${nodes[failed].nodeId} failed (exit code ${results[failed].code}):\n${lastLines(results[failed].output, 30)}`,
    );
  }
  writeJson(L.trioMarker, { kafkaVersion: version, clusterId: newId });
  return newId;
}

function spawnTrioBroker(L, node) {
  const p = trioNodePaths(L, node.nodeId);
  fs.mkdirSync(p.logs, { recursive: true });
  const serverLog = path.join(p.logs, 'server.log');
  const consoleLog = path.join(p.logs, 'kafka.out');
  const offsets = { server: fileSize(serverLog), console: fileSize(consoleLog) };
  const { pid, failure } = spawnDetached(javaCommand(), [...trioJvmArgs(L, p.logs), 'kafka.Kafka', p.properties], { cwd: p.dir, logFile: consoleLog });
  let spawnError = null;
  failure.then((err) => {
    spawnError = err;
  });
  return { pid, offsets, spawnError: () => spawnError };
}

function nodeFailureDetails(L, nodeId, offsets) {
  const p = trioNodePaths(L, nodeId);
  const serverLog = tailFile(path.join(p.logs, 'server.log'), 30, offsets?.server ?? 0);
  const consoleLog = tailFile(path.join(p.logs, 'kafka.out'), 30, offsets?.console ?? 0);
  return [
    serverLog && `--- last lines of ${path.join(p.logs, 'server.log')} ---\n${serverLog}`,
    consoleLog && `--- last lines of ${path.join(p.logs, 'kafka.out')} ---\n${consoleLog}`,
  ]
    .filter(Boolean)
    .join('\n');
}

// What each asked node's metadata says: null when it is as expected (our cluster id, exactly the
// expected node ids, each at its own 127.0.0.1 port), else why not.
async function metadataMismatch(trio, askIds, expectIds) {
  const expected = [...expectIds].sort();
  for (const nodeId of askIds) {
    const node = trio.nodes.find((n) => n.nodeId === nodeId);
    let metadata;
    try {
      metadata = await kafkaMetadata(node.port, PROBE_TIMEOUT_MS);
    } catch (err) {
      return `node ${nodeId} does not answer on ${HOST}:${node.port} (${err.message})`;
    }
    if (metadata.clusterId !== trio.clusterId) return `node ${nodeId} reports cluster id ${metadata.clusterId}, not ${trio.clusterId}`;
    const seen = metadata.brokers.map((b) => b.nodeId).sort();
    if (seen.join(',') !== expected.join(',')) return `node ${nodeId} reports brokers [${seen.join(', ')}], waiting for [${expected.join(', ')}]`;
    for (const b of metadata.brokers) {
      const want = trio.nodes.find((n) => n.nodeId === b.nodeId);
      if (b.host !== HOST || b.port !== want.port) return `node ${nodeId} reports broker ${b.nodeId} at ${b.host}:${b.port}`;
    }
  }
  return null;
}

async function coordinatorMissing(trio, askIds) {
  for (const nodeId of askIds) {
    const node = trio.nodes.find((n) => n.nodeId === nodeId);
    try {
      const answer = await kafkaFindCoordinator(node.port, 'conmutador-stack-warmup', PROBE_TIMEOUT_MS);
      if (answer.errorCode !== 0) return `node ${nodeId}: FindCoordinator error code ${answer.errorCode}`;
    } catch (err) {
      return `node ${nodeId}: FindCoordinator failed (${err.message})`;
    }
  }
  return null;
}

// Every running node answers, sees exactly the running nodes, and finds the group coordinator.
export async function probeKafkaTrio(trio, L) {
  const running = trio.nodes.filter((n) => isOurTrioBroker(n.pid, L, n.nodeId)).map((n) => n.nodeId);
  if (running.length !== trio.nodes.length) return false;
  return (await metadataMismatch(trio, running, running)) === null && (await coordinatorMissing(trio, running.slice(0, 1))) === null;
}

// Polls until the nodes in askIds all report exactly expectIds (and, with coordinator, a group
// coordinator is found), failing early when a node we just started dies.
// Ready as a whole: every node answers metadata listing all three, and the group coordinator is found.
function waitForWholeTrio(L, trio, spawned, timeoutMs) {
  return waitForTrioView(L, trio, {
    askIds: TRIO_NODE_IDS,
    expectIds: TRIO_NODE_IDS,
    spawned,
    coordinator: true,
    timeoutMs,
    what: 'the Kafka trio was not ready',
  });
}

async function waitForTrioView(L, trio, { askIds, expectIds, spawned = new Map(), coordinator = false, timeoutMs, what }) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const [nodeId, s] of spawned) {
      const spawnError = s.spawnError();
      if (spawnError) throw new StackError(`could not start java for Kafka trio node ${nodeId}: ${spawnError.message}`);
      if (!isAlive(s.pid)) {
        throw new StackError(
          `Kafka trio node ${nodeId} (pid ${s.pid}) died during start (\`node tools/stack.mjs up --kafka-brokers 3 --fresh\` starts on empty data)\n` +
            nodeFailureDetails(L, nodeId, s.offsets),
        );
      }
    }
    const notLogged = [...spawned].find(([nodeId, s]) => !logMentionsStart(path.join(trioNodePaths(L, nodeId).logs, 'server.log'), s.offsets.server));
    let why = notLogged ? `node ${notLogged[0]} has not logged its start yet` : await metadataMismatch(trio, askIds, expectIds);
    if (!why && coordinator) why = await coordinatorMissing(trio, askIds);
    if (!why) return;
    if (Date.now() > deadline) {
      const details = [...spawned]
        .map(([nodeId, s]) => nodeFailureDetails(L, nodeId, s.offsets))
        .filter(Boolean)
        .join('\n');
      throw new StackError(`${what} within ${Math.round(timeoutMs / 1000)} s: ${why}${details ? `\n${details}` : ''}`);
    }
    await sleep(POLL_MS);
  }
}

export async function stopKafkaTrio(L, state, log) {
  const trio = state.kafkaTrio;
  const known = [];
  for (const n of trio?.nodes ?? []) if (n.pid && isOurTrioBroker(n.pid, L, n.nodeId)) known.push(n.pid);
  const pids = [...known, ...findOrphanTrioBrokers(L, known)];
  // All at once: each node's controlled shutdown needs the others' controller quorum.
  await Promise.all(pids.map((pid) => terminate(pid, 'Kafka trio node', log)));
  delete state.kafkaTrio;
  writeState(L, state);
  return pids.length > 0;
}

function trioResult(trio, started) {
  return {
    brokers: trioBootstrap(trio),
    nodes: trio.nodes.map(({ nodeId, port, controllerPort, pid }) => ({ nodeId, port, controllerPort, pid })),
    clusterId: trio.clusterId,
    version: trio.version,
    started,
  };
}

export async function ensureKafkaTrio(L, options, log) {
  const version = pinnedKafkaVersion();
  const timeoutMs = options.timeoutMs ?? TRIO_READY_TIMEOUT_MS;
  const state = readState(L);
  const previous = state.kafkaTrio;

  if (previous) {
    const live = previous.nodes.filter((n) => isOurTrioBroker(n.pid, L, n.nodeId));
    const requested = process.env.LOCAL_KAFKA_TRIO_PORT ? parsePort(process.env.LOCAL_KAFKA_TRIO_PORT, 'LOCAL_KAFKA_TRIO_PORT') : null;
    const portMoved = requested !== null && previous.nodes[0].port !== requested;
    if (previous.version === version && !options.fresh && !portMoved && live.length > 0) {
      const missing = previous.nodes.filter((n) => !live.includes(n));
      if (missing.length === 0 && (await probeKafkaTrio(previous, L))) {
        log(`Kafka trio already running on ${trioBootstrap(previous)} (pids ${previous.nodes.map((n) => n.pid).join(', ')})`);
        return trioResult(previous, false);
      }
      try {
        const spawned = new Map();
        if (missing.length > 0) {
          checkJava(version);
          await ensureKafkaJars(L, version, log);
          for (const n of missing) await checkNodePortsFree(n);
          for (const n of missing) {
            log(`starting Kafka trio node ${n.nodeId} on ${HOST}:${n.port} again (the other nodes are running)`);
            const s = spawnTrioBroker(L, n);
            n.pid = s.pid;
            n.startedAt = new Date().toISOString();
            spawned.set(n.nodeId, s);
          }
          writeState(L, state);
        } else {
          log('Kafka trio is running but not ready yet; waiting for it');
        }
        await waitForWholeTrio(L, previous, spawned, timeoutMs);
        log(`Kafka trio ready on ${trioBootstrap(previous)}`);
        return trioResult(previous, spawned.size > 0);
      } catch (err) {
        log(`restarting the whole Kafka trio: ${err.message.split('\n')[0]}`);
      }
    } else if (live.length > 0) {
      const why = options.fresh
        ? 'fresh data was requested'
        : portMoved
          ? `LOCAL_KAFKA_TRIO_PORT=${requested} asks for other ports`
          : `Kafka ${version} is now pinned`;
      log(`restarting the Kafka trio: ${why}`);
    } else {
      log('the Kafka trio from the state file is gone; starting it again');
    }
    await stopKafkaTrio(L, state, log);
  }
  // All at once, as in stopKafkaTrio: one by one, the last ones would wait for a lost quorum.
  await Promise.all(findOrphanTrioBrokers(L, []).map((pid) => terminate(pid, 'orphaned Kafka trio node', log)));

  checkSupportedVersion(version);
  checkJava(version);
  const ports = await chooseTrioPorts(log);
  await ensureKafkaJars(L, version, log);
  writeTrioProperties(L, ports);
  const clusterId = await prepareTrioStorage(L, ports, version, options.fresh, log);

  log(
    `starting the Kafka trio (${version}) on ${ports.map((n) => `${HOST}:${n.port}`).join(',')} (controllers ${ports.map((n) => n.controllerPort).join(',')})`,
  );
  const started = Date.now();
  const spawned = new Map();
  const trio = { version, clusterId, nodes: [], startedAt: new Date().toISOString() };
  for (const n of ports) {
    const s = spawnTrioBroker(L, n);
    spawned.set(n.nodeId, s);
    trio.nodes.push({ ...n, pid: s.pid, startedAt: trio.startedAt });
  }
  // Recorded before waiting, so that `down` can stop them even if this start is interrupted.
  const fresh = readState(L);
  fresh.kafkaTrio = trio;
  writeState(L, fresh);
  try {
    await waitForWholeTrio(L, trio, spawned, timeoutMs);
  } catch (err) {
    await stopKafkaTrio(L, readState(L), log).catch(() => {});
    throw err;
  }
  log(`Kafka trio ready in ${((Date.now() - started) / 1000).toFixed(1)} s (pids ${trio.nodes.map((n) => n.pid).join(', ')})`);
  return trioResult(trio, true);
}

async function checkNodePortsFree(n) {
  for (const port of [n.port, n.controllerPort]) {
    if (!(await isPortFree(port))) {
      throw new StackError(
        `port ${port} of Kafka trio node ${n.nodeId} is in use by another process; \`node tools/stack.mjs down\` and up again picks new ports`,
      );
    }
  }
}

function trioNode(L, state, nodeId) {
  const trio = state.kafkaTrio;
  if (!trio) throw new StackError('the Kafka trio is not running (node tools/stack.mjs up --kafka-brokers 3)');
  const node = trio.nodes.find((n) => n.nodeId === Number(nodeId));
  if (!node) throw new StackError(`the Kafka trio has no node ${nodeId} (node ids are ${TRIO_NODE_IDS.join(', ')})`);
  return { trio, node };
}

// kill -9 one node, then wait until every other running node's metadata has dropped it (the
// controller fenced it, which also takes it out of every ISR and moves its leaderships).
export async function stopTrioBroker(L, nodeId, options, log) {
  const started = Date.now();
  const state = readState(L);
  const { trio, node } = trioNode(L, state, nodeId);
  const pid = node.pid;
  let killed = false;
  if (pid && isOurTrioBroker(pid, L, node.nodeId)) killed = await killNow(pid, `Kafka trio node ${node.nodeId}`, log);
  const properties = trioNodePaths(L, node.nodeId).properties;
  for (const orphan of findProcesses((args) => args.includes('kafka.Kafka') && args.includes(properties))) {
    killed = (await killNow(orphan, `Kafka trio node ${node.nodeId}`, log)) || killed;
  }
  node.pid = null;
  node.stoppedAt = new Date().toISOString();
  writeState(L, state);

  const survivors = trio.nodes.filter((n) => n.nodeId !== node.nodeId && isOurTrioBroker(n.pid, L, n.nodeId)).map((n) => n.nodeId);
  if (survivors.length >= 2) {
    await waitForTrioView(L, trio, {
      askIds: survivors,
      expectIds: survivors,
      timeoutMs: options.timeoutMs ?? TRIO_CHANGE_TIMEOUT_MS,
      what: `Kafka trio node ${node.nodeId} was still in the other nodes' metadata`,
    });
  } else {
    log(`only ${survivors.length} Kafka trio node(s) left: no controller quorum, so no metadata change to wait for`);
  }
  const elapsedMs = Date.now() - started;
  log(`Kafka trio node ${node.nodeId} is down (${(elapsedMs / 1000).toFixed(1)} s)`);
  return {
    nodeId: node.nodeId,
    pid,
    killed,
    running: survivors,
    brokers: survivors.map((id) => `${HOST}:${trio.nodes.find((n) => n.nodeId === id).port}`).join(','),
    elapsedMs,
  };
}

// Starts one stopped node again on its data dir and ports, then waits until every running node
// (the restarted one included) lists it in its metadata.
export async function startTrioBroker(L, nodeId, options, log) {
  const started = Date.now();
  const state = readState(L);
  const { trio, node } = trioNode(L, state, nodeId);
  const spawned = new Map();
  if (node.pid && isOurTrioBroker(node.pid, L, node.nodeId)) {
    log(`Kafka trio node ${node.nodeId} is already running (pid ${node.pid})`);
  } else {
    checkJava(trio.version);
    await checkNodePortsFree(node);
    if (!fs.existsSync(trioNodePaths(L, node.nodeId).properties)) writeTrioProperties(L, trio.nodes);
    log(`starting Kafka trio node ${node.nodeId} on ${HOST}:${node.port}`);
    const s = spawnTrioBroker(L, node);
    node.pid = s.pid;
    node.startedAt = new Date().toISOString();
    delete node.stoppedAt;
    spawned.set(node.nodeId, s);
    writeState(L, state);
  }
  const running = trio.nodes.filter((n) => isOurTrioBroker(n.pid, L, n.nodeId)).map((n) => n.nodeId);
  await waitForTrioView(L, trio, {
    askIds: running,
    expectIds: running,
    spawned,
    timeoutMs: options.timeoutMs ?? TRIO_READY_TIMEOUT_MS,
    what: `Kafka trio node ${node.nodeId} did not come back into the metadata`,
  });
  const elapsedMs = Date.now() - started;
  log(`Kafka trio node ${node.nodeId} is back (pid ${node.pid}, ${(elapsedMs / 1000).toFixed(1)} s)`);
  return { nodeId: node.nodeId, pid: node.pid, port: node.port, started: spawned.size > 0, running, elapsedMs };
}

export async function kafkaTrioStatus(L, state) {
  const trio = state.kafkaTrio;
  if (!trio) return { state: 'stopped', brokers: null, nodes: [], version: null, clusterId: null };
  const nodes = trio.nodes.map((n) => ({
    nodeId: n.nodeId,
    port: n.port,
    controllerPort: n.controllerPort,
    pid: isOurTrioBroker(n.pid, L, n.nodeId) ? n.pid : null,
  }));
  const running = nodes.filter((n) => n.pid !== null).map((n) => n.nodeId);
  // degraded: some nodes stopped (stopKafkaBroker) and the others run; starting: all three run
  // but do not yet agree on the three of them.
  let overall = 'stopped';
  if (running.length === nodes.length) overall = (await metadataMismatch(trio, running, running)) === null ? 'running' : 'starting';
  else if (running.length > 0) overall = 'degraded';
  for (const n of nodes) n.state = n.pid === null ? 'stopped' : overall === 'starting' ? 'starting' : 'running';
  return { state: overall, brokers: trioBootstrap(trio), nodes, version: trio.version, clusterId: trio.clusterId };
}
