// Kafka: the pinned version, its jars (resolved by Maven), the broker's ports, properties and
// storage, and the detached broker process itself.

import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { HOST, POLL_MS, REPO_ROOT, StackError, TOOL_TIMEOUT_MS, readJson, readText, writeJson } from './common.mjs';
import { kafkaFindCoordinator, kafkaMetadata } from './kafka-protocol.mjs';
import { freeEphemeralPort, isPortFree, parsePort } from './ports.mjs';
import { commandLine, fileSize, findExecutable, isAlive, lastLines, runTool, spawnDetached, tailFile, terminate } from './processes.mjs';
import { readState, writeState } from './state.mjs';

const KAFKA_DEPLOY_DIR = path.join(REPO_ROOT, 'deploy', 'local', 'kafka');
const POM_FILE = path.join(KAFKA_DEPLOY_DIR, 'pom.xml');
const PROPERTIES_TEMPLATE = path.join(KAFKA_DEPLOY_DIR, 'server.properties.template');
const LOG4J_CONFIG = path.join(KAFKA_DEPLOY_DIR, 'log4j.properties');

const DEFAULT_KAFKA_PORT = 19092;
const NODE_ID = 1;

const KAFKA_READY_TIMEOUT_MS = 90_000;

// Logged once by KafkaRaftServer when both the controller and the broker side accept requests.
const KAFKA_STARTED_LINE = 'Kafka Server started';
// Kafka's own defaults minus the 1 GiB fixed heap, which is too much next to the services and
// tests on a 2-core CI machine. Overridable for machines that need a bigger broker.
export const DEFAULT_KAFKA_HEAP_OPTS = '-Xms256m -Xmx768m';
export const KAFKA_JVM_OPTS = [
  '-XX:+UseG1GC',
  '-XX:MaxGCPauseMillis=20',
  '-XX:InitiatingHeapOccupancyPercent=35',
  '-XX:+ExplicitGCInvokesConcurrent',
  '-XX:MaxInlineLevel=15',
  '-Djava.awt.headless=true',
];

// Guards against pid reuse: a recorded pid is only signalled if it still runs our broker.
export function isOurKafka(pid, L) {
  if (!isAlive(pid)) return false;
  const args = commandLine(pid);
  return args === null || (args.includes('kafka.Kafka') && args.includes(L.serverProperties));
}

// Brokers that run on our server.properties but are not in the state file (the state file was
// deleted, or a start was interrupted before it was written). They hold the data dir lock, so
// a new broker could not start while they live.
function findOrphanBrokers(L, knownPid) {
  if (process.platform !== 'linux') return [];
  const found = [];
  for (const entry of fs.readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === knownPid || pid === process.pid) continue;
    const args = commandLine(pid);
    if (args?.includes('kafka.Kafka') && args.includes(L.serverProperties) && isAlive(pid)) found.push(pid);
  }
  return found;
}

async function chooseKafkaPorts(log) {
  const requested = process.env.LOCAL_KAFKA_PORT;
  let port = requested ? parsePort(requested, 'LOCAL_KAFKA_PORT') : DEFAULT_KAFKA_PORT;
  if (!(await isPortFree(port))) {
    // An explicit port is a promise to whoever set it (other tools may be configured for it), so
    // it is not silently replaced; the default one is.
    if (requested) {
      throw new StackError(`LOCAL_KAFKA_PORT=${port} is in use by another process on ${HOST}; free it or choose another port`);
    }
    const fallback = await freeEphemeralPort();
    log(`port ${port} is in use by something other than this stack's broker; using ${fallback}`);
    port = fallback;
  }
  let controllerPort = null;
  for (let candidate = port + 1; candidate <= Math.min(port + 50, 65535); candidate += 1) {
    if (await isPortFree(candidate)) {
      controllerPort = candidate;
      break;
    }
  }
  while (controllerPort === null || controllerPort === port) controllerPort = await freeEphemeralPort();
  return { port, controllerPort };
}

// Our broker, and ready for clients: answers on the port with the expected cluster id, and
// advertises itself as 127.0.0.1 on that port.
export async function probeKafka(port, clusterId, timeoutMs = 2000) {
  try {
    const metadata = await kafkaMetadata(port, timeoutMs);
    return metadata.clusterId === clusterId && metadata.brokers.some((b) => b.nodeId === NODE_ID && b.host === HOST && b.port === port);
  } catch {
    return false;
  }
}

export function pinnedKafkaVersion() {
  const pom = readText(POM_FILE);
  if (pom === null) throw new StackError(`missing ${path.relative(REPO_ROOT, POM_FILE)}`);
  const match = /<kafka\.version>\s*([^<\s]+)\s*<\/kafka\.version>/.exec(pom);
  if (!match) throw new StackError(`no <kafka.version> property in ${path.relative(REPO_ROOT, POM_FILE)}`);
  return match[1];
}

// Kafka 4 logs through log4j2 (other jars in the pom, another config file, another system
// property) and needs Java 17; this stack is set up for the 3.9 line only.
export function checkSupportedVersion(version) {
  if (Number.parseInt(version.split('.')[0], 10) !== 3) {
    throw new StackError(
      `Kafka ${version} is pinned in ${path.relative(REPO_ROOT, POM_FILE)}, but the local stack's logging ` +
        'setup (reload4j, log4j.properties) is for Kafka 3.x',
    );
  }
}

export function javaCommand() {
  return process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
}

export function checkJava(kafkaVersion) {
  const java = javaCommand();
  const result = spawnSync(java, ['-version'], { encoding: 'utf8' });
  if (result.error) {
    throw new StackError(
      `cannot run ${java} (${result.error.code ?? result.error.message}): the local Kafka broker needs Java (17 recommended, 11 at least) ` +
        '(Debian: apt-get install -y openjdk-17-jre-headless), or JAVA_HOME pointing at one',
    );
  }
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${result.stderr}${result.stdout}`);
  const major = match ? (match[1] === '1' ? Number(match[2]) : Number(match[1])) : 0;
  const needed = 11;
  if (major < needed) {
    throw new StackError(`Kafka ${kafkaVersion} needs Java ${needed}+, but ${java} is Java ${major || 'unknown'}`);
  }
}

// Re-resolves only when the pom changed (a new pinned version, new logging jars) or the copy is
// incomplete; otherwise starting the broker does not touch Maven at all.
export async function ensureKafkaJars(L, version, log) {
  const pomDigest = createHash('sha256').update(fs.readFileSync(POM_FILE)).digest('hex');
  const brokerJar = `org.apache.kafka.kafka_2.13-${version}.jar`;
  const marker = readJson(L.libsMarker);
  if (marker?.pomDigest === pomDigest && fs.existsSync(path.join(L.libs, brokerJar))) return;

  if (!findExecutable('mvn')) {
    throw new StackError('Maven (mvn) is not installed; it resolves the Kafka jars (Debian: apt-get install -y maven)');
  }
  log(`resolving Kafka ${version} jars with Maven (cached in ~/.m2; the first run downloads about 50 MB)`);
  const staging = `${L.libs}.staging-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  const started = Date.now();
  const result = await runTool(
    'mvn',
    [
      '-B',
      '-q',
      '-f',
      POM_FILE,
      'dependency:copy-dependencies',
      '-DincludeScope=runtime',
      `-DoutputDirectory=${staging}`,
      // Two different artifacts are both named metrics-core-*.jar; the group id keeps them apart.
      '-Dmdep.prependGroupId=true',
    ],
    { timeoutMs: TOOL_TIMEOUT_MS, cwd: KAFKA_DEPLOY_DIR },
  );
  if (result.code !== 0 || !fs.existsSync(path.join(staging, brokerJar))) {
    fs.rmSync(staging, { recursive: true, force: true });
    const why = result.error ? result.error.message : result.signal ? `killed by ${result.signal}` : `exit code ${result.code}`;
    throw new StackError(
      `Maven could not resolve the Kafka ${version} jars (${why}). Maven Central must be reachable, ` +
        `or the jars already in ~/.m2. Last Maven output:\n${lastLines(result.output, 30) || '(none)'}`,
    );
  }
  writeJson(path.join(staging, '.resolved.json'), { pomDigest, kafkaVersion: version });
  fs.rmSync(L.libs, { recursive: true, force: true });
  fs.renameSync(staging, L.libs);
  log(`Kafka jars ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

export function newClusterId() {
  // 16 random bytes, URL-safe base64 without padding, as Kafka's Uuid prints them. Ids starting
  // with '-' are valid but read as an option by the storage tool's argument parser.
  let id;
  do id = randomBytes(16).toString('base64url');
  while (id.startsWith('-'));
  return id;
}

export function readMetaProperties(dataDir) {
  const text = readText(path.join(dataDir, 'meta.properties'));
  if (text === null) return null;
  const value = (key) => new RegExp(`^${key}=(.*)$`, 'm').exec(text)?.[1]?.trim() ?? null;
  return { clusterId: value('cluster\\.id'), nodeId: value('node\\.id') };
}

export function propertiesValue(value) {
  return value.replace(/\\/g, '\\\\');
}

function writeServerProperties(L, { port, controllerPort }) {
  const template = readText(PROPERTIES_TEMPLATE);
  if (template === null) throw new StackError(`missing ${path.relative(REPO_ROOT, PROPERTIES_TEMPLATE)}`);
  const text = template
    .replaceAll('@KAFKA_PORT@', String(port))
    .replaceAll('@CONTROLLER_PORT@', String(controllerPort))
    .replaceAll('@DATA_DIR@', propertiesValue(L.data));
  const leftover = /@[A-Z_]+@/.exec(text);
  if (leftover) throw new StackError(`unknown placeholder ${leftover[0]} in ${PROPERTIES_TEMPLATE}`);
  fs.mkdirSync(L.kafkaDir, { recursive: true });
  fs.writeFileSync(L.serverProperties, text);
}

// Without kafka.logs.dir and a log4j configuration Kafka's logging goes nowhere useful.
export function kafkaClassPathArgs(L, logsDir) {
  return [
    `-Dkafka.logs.dir=${logsDir}`,
    `-Dlog4j.configuration=${pathToFileURL(LOG4J_CONFIG).href}`,
    // Expanded by the JVM itself: no shell is involved.
    '-cp',
    path.join(L.libs, '*'),
  ];
}

function brokerJvmArgs(L) {
  // Without -Xmx the JVM would size its heap to a quarter of the machine's memory.
  const heap = (process.env.LOCAL_KAFKA_HEAP_OPTS ?? DEFAULT_KAFKA_HEAP_OPTS).split(/\s+/).filter(Boolean);
  return [...heap, ...KAFKA_JVM_OPTS, `-XX:ErrorFile=${path.join(L.logs, 'hs_err_pid%p.log')}`, ...kafkaClassPathArgs(L, L.logs)];
}

// Keeps the data dir when it belongs to the same Kafka version (topics and committed offsets
// survive a restart); otherwise formats a fresh one with a new cluster id.
async function prepareStorage(L, version, fresh, log) {
  const marker = readJson(L.dataMarker);
  const meta = readMetaProperties(L.data);
  if (!fresh && meta?.clusterId && meta.nodeId === String(NODE_ID) && marker?.kafkaVersion === version) {
    return meta.clusterId;
  }
  if (meta) {
    const why = fresh ? 'requested' : marker?.kafkaVersion !== version ? `it was written by Kafka ${marker?.kafkaVersion ?? 'unknown'}` : 'it is incomplete';
    log(`wiping the Kafka data dir (${why})`);
  }
  fs.rmSync(L.data, { recursive: true, force: true });
  fs.rmSync(L.dataMarker, { force: true });
  fs.mkdirSync(L.data, { recursive: true });
  const clusterId = newClusterId();
  const result = await runTool(
    javaCommand(),
    [
      // A one-shot tool: the quickest JVM start matters more than peak speed.
      '-Xmx256m',
      '-XX:TieredStopAtLevel=1',
      '-XX:+UseSerialGC',
      '-Djava.awt.headless=true',
      // Its own log dir: the formatting run's config dump would otherwise open server.log.
      ...kafkaClassPathArgs(L, path.join(L.logs, 'storage-tool')),
      'kafka.tools.StorageTool',
      'format',
      '-t',
      clusterId,
      '-c',
      L.serverProperties,
      '--ignore-formatted',
    ],
    { timeoutMs: 120_000, cwd: L.kafkaDir },
  );
  if (result.code !== 0) {
    throw new StackError(`formatting the Kafka storage failed (exit code ${result.code}):\n${lastLines(result.output, 30)}`);
  }
  writeJson(L.dataMarker, { kafkaVersion: version, clusterId });
  return clusterId;
}

// Offsets are the log sizes at spawn time, so only this start's lines are shown.
function brokerFailureDetails(L, offsets) {
  const serverLog = tailFile(path.join(L.logs, 'server.log'), 30, offsets?.server ?? 0);
  const consoleLog = tailFile(path.join(L.logs, 'kafka.out'), 30, offsets?.console ?? 0);
  return [
    serverLog && `--- last lines of ${path.join(L.logs, 'server.log')} ---\n${serverLog}`,
    consoleLog && `--- last lines of ${path.join(L.logs, 'kafka.out')} ---\n${consoleLog}`,
  ]
    .filter(Boolean)
    .join('\n');
}

export function logMentionsStart(file, fromOffset) {
  const size = fileSize(file);
  // A smaller file than at spawn time has been rolled over: scan the new one whole.
  const start = size < fromOffset ? 0 : fromOffset;
  if (size <= start) return false;
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(size - start);
    fs.readSync(fd, buffer, 0, buffer.length, start);
    return buffer.includes(KAFKA_STARTED_LINE);
  } finally {
    fs.closeSync(fd);
  }
}

// Ready = the broker logged its start since we spawned it AND answers a Metadata request as the
// cluster we formatted. The log line alone comes before clients can always connect; the port
// alone can be answered by a half-started broker.
async function waitForKafka(L, broker, { timeoutMs, logOffsets, spawnFailure }) {
  const serverLog = path.join(L.logs, 'server.log');
  const deadline = Date.now() + timeoutMs;
  let spawnError = null;
  spawnFailure?.then((err) => {
    spawnError = err;
  });
  for (;;) {
    if (spawnError) throw new StackError(`could not start java: ${spawnError.message}`);
    if (!isAlive(broker.pid)) {
      throw new StackError(
        `the Kafka broker (pid ${broker.pid}) died during start (if its data dir is damaged, ` +
          `\`node tools/stack.mjs up --fresh\` starts on an empty one)\n${brokerFailureDetails(L, logOffsets)}`,
      );
    }
    const logged = !logOffsets || logMentionsStart(serverLog, logOffsets.server);
    if (logged && (await probeKafka(broker.port, broker.clusterId))) return;
    if (Date.now() > deadline) {
      throw new StackError(
        `the Kafka broker (pid ${broker.pid}) was not ready on ${HOST}:${broker.port} within ` +
          `${Math.round(timeoutMs / 1000)} s\n${brokerFailureDetails(L, logOffsets)}`,
      );
    }
    await sleep(POLL_MS);
  }
}

// Best effort: a fresh broker creates __consumer_offsets on the first group lookup, which would
// otherwise be paid by (and time out) the first test that joins a consumer group.
async function warmUpGroupCoordinator(port, log) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    try {
      const answer = await kafkaFindCoordinator(port, 'conmutador-stack-warmup', 2000);
      if (answer.errorCode === 0) return;
    } catch {
      // not answering yet; retry until the deadline
    }
    await sleep(POLL_MS);
  }
  log('the group coordinator was not ready within 30 s; the first consumer group will wait for it');
}

export async function stopKafka(L, state, log) {
  const recorded = state.kafka?.pid;
  const pids = [];
  if (recorded && isOurKafka(recorded, L)) pids.push(recorded);
  pids.push(...findOrphanBrokers(L, recorded));
  for (const pid of pids) await terminate(pid, 'Kafka broker', log);
  const stopped = pids.length > 0;
  delete state.kafka;
  writeState(L, state);
  return stopped;
}

export async function ensureKafka(L, options, log) {
  if (process.env.KAFKA_BROKERS) {
    return { brokers: process.env.KAFKA_BROKERS, version: null, started: false, pid: null };
  }
  const version = pinnedKafkaVersion();
  const timeoutMs = options.timeoutMs ?? KAFKA_READY_TIMEOUT_MS;
  const state = readState(L);
  const previous = state.kafka;

  if (previous && isOurKafka(previous.pid, L)) {
    let ready = await probeKafka(previous.port, previous.clusterId);
    if (!ready) {
      // Alive but not answering: most likely a start interrupted before it was ready.
      log(`Kafka broker pid ${previous.pid} is running but not answering yet; waiting for it`);
      ready = await waitForKafka(L, previous, { timeoutMs, logOffsets: null }).then(
        () => true,
        () => false,
      );
    }
    const requestedPort = process.env.LOCAL_KAFKA_PORT ? parsePort(process.env.LOCAL_KAFKA_PORT, 'LOCAL_KAFKA_PORT') : null;
    const portMoved = requestedPort !== null && requestedPort !== previous.port;
    if (ready && previous.version === version && !options.fresh && !portMoved) {
      log(`Kafka ${previous.version} already running on ${HOST}:${previous.port} (pid ${previous.pid})`);
      return { brokers: `${HOST}:${previous.port}`, version: previous.version, started: false, pid: previous.pid };
    }
    const why = !ready
      ? 'it is not answering'
      : options.fresh
        ? 'a fresh broker was requested'
        : portMoved
          ? `LOCAL_KAFKA_PORT=${requestedPort} asks for another port`
          : `Kafka ${version} is now pinned`;
    log(`restarting the Kafka broker (pid ${previous.pid}): ${why}`);
    await stopKafka(L, state, log);
  } else if (previous) {
    log(`Kafka broker pid ${previous.pid} from the state file is gone; starting a new one`);
    delete state.kafka;
    writeState(L, state);
  }
  for (const pid of findOrphanBrokers(L)) await terminate(pid, 'orphaned Kafka broker', log);

  // Cheap checks first, so that a bad port or a missing JVM fails before a Maven download.
  checkSupportedVersion(version);
  checkJava(version);
  const ports = await chooseKafkaPorts(log);
  await ensureKafkaJars(L, version, log);
  writeServerProperties(L, ports);
  const clusterId = await prepareStorage(L, version, options.fresh, log);

  fs.mkdirSync(L.logs, { recursive: true });
  const logOffsets = { server: fileSize(path.join(L.logs, 'server.log')), console: fileSize(path.join(L.logs, 'kafka.out')) };
  log(`starting Kafka ${version} on ${HOST}:${ports.port} (controller ${ports.controllerPort})`);
  const started = Date.now();
  const { pid, failure } = spawnDetached(javaCommand(), [...brokerJvmArgs(L), 'kafka.Kafka', L.serverProperties], {
    cwd: L.kafkaDir,
    logFile: path.join(L.logs, 'kafka.out'),
  });
  const broker = { pid, ...ports, version, clusterId, startedAt: new Date().toISOString() };
  // Recorded before waiting, so that `down` can stop it even if this start is interrupted.
  state.kafka = broker;
  writeState(L, state);

  try {
    await waitForKafka(L, broker, { timeoutMs, logOffsets, spawnFailure: failure });
  } catch (err) {
    await stopKafka(L, state, log).catch(() => {});
    throw err;
  }
  await warmUpGroupCoordinator(ports.port, log);
  log(`Kafka ready in ${((Date.now() - started) / 1000).toFixed(1)} s (pid ${pid})`);
  return { brokers: `${HOST}:${ports.port}`, version, started: true, pid };
}
