#!/usr/bin/env node
// Local infrastructure for development and integration tests: one Apache Kafka broker (KRaft,
// combined broker + controller, jars resolved from Maven Central) and Redis.
//
// There is no container engine on the development and CI machines, so the broker runs as a plain
// detached JVM whose state lives in .stack/ at the repository root. Only node: built-ins are used:
// this file has to work before `npm ci` has run, and the integration tests' global setup imports
// it. It has no top-level await so that CommonJS code can require() it as well as import() it.
//
//   node tools/stack.mjs up [--json] [--fresh] [--no-kafka] [--no-redis]
//   node tools/stack.mjs down [--purge]
//   node tools/stack.mjs status [--json]
//
// Progress goes to stderr; stdout only carries what was asked for (status, or --json).

import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { format } from 'node:util';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const KAFKA_DEPLOY_DIR = path.join(REPO_ROOT, 'deploy', 'local', 'kafka');
const POM_FILE = path.join(KAFKA_DEPLOY_DIR, 'pom.xml');
const PROPERTIES_TEMPLATE = path.join(KAFKA_DEPLOY_DIR, 'server.properties.template');
const LOG4J_CONFIG = path.join(KAFKA_DEPLOY_DIR, 'log4j.properties');

// Loopback only, as an address literal: "localhost" may resolve to ::1, which kafkajs cannot parse
// back out of broker metadata.
const HOST = '127.0.0.1';
const DEFAULT_KAFKA_PORT = 19092;
const DEFAULT_REDIS_URL = `redis://${HOST}:6379`;
const DEFAULT_LOCAL_REDIS_PORT = 16379;
const NODE_ID = 1;

const KAFKA_READY_TIMEOUT_MS = 90_000;
const REDIS_READY_TIMEOUT_MS = 15_000;
const STOP_GRACE_MS = 15_000;
const KILL_WAIT_MS = 5_000;
// The first `up` on a machine may wait for another one that is downloading the jars.
const LOCK_TIMEOUT_MS = 10 * 60_000;
const TOOL_TIMEOUT_MS = 10 * 60_000;
const POLL_MS = 250;

// Logged once by KafkaRaftServer when both the controller and the broker side accept requests.
const KAFKA_STARTED_LINE = 'Kafka Server started';
// Kafka's own defaults minus the 1 GiB fixed heap, which is too much next to the services and
// tests on a 2-core CI machine. Overridable for machines that need a bigger broker.
const DEFAULT_KAFKA_HEAP_OPTS = '-Xms256m -Xmx768m';
const KAFKA_JVM_OPTS = [
  '-XX:+UseG1GC',
  '-XX:MaxGCPauseMillis=20',
  '-XX:InitiatingHeapOccupancyPercent=35',
  '-XX:+ExplicitGCInvokesConcurrent',
  '-XX:MaxInlineLevel=15',
  '-Djava.awt.headless=true',
];

export class StackError extends Error {
  constructor(message) {
    super(message);
    this.name = 'StackError';
  }
}

// ---------------------------------------------------------------------------------------------
// Layout, state and locking

function layout(stateDir) {
  const root = path.resolve(stateDir ?? process.env.LOCAL_STACK_DIR ?? path.join(REPO_ROOT, '.stack'));
  const kafka = path.join(root, 'kafka');
  return {
    root,
    stateFile: path.join(root, 'state.json'),
    lockFile: path.join(root, 'lock'),
    kafkaDir: kafka,
    libs: path.join(kafka, 'libs'),
    libsMarker: path.join(kafka, 'libs', '.resolved.json'),
    data: path.join(kafka, 'data'),
    // Kept beside log.dirs, not inside it: the broker treats anything in there as its own.
    dataMarker: path.join(kafka, 'data.json'),
    logs: path.join(kafka, 'logs'),
    serverProperties: path.join(kafka, 'server.properties'),
    redisDir: path.join(root, 'redis'),
  };
}

function makeLogger(options) {
  if (typeof options.log === 'function') return options.log;
  if (options.quiet) return () => {};
  return (...args) => process.stderr.write(`[stack] ${format(...args)}\n`);
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    if (err.code === 'ENOENT' || err instanceof SyntaxError) return null;
    throw err;
  }
}

function writeJson(file, value) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Written whole then renamed, so a reader never sees half a file.
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`);
  fs.renameSync(tmp, file);
}

function readState(L) {
  return readJson(L.stateFile) ?? {};
}

function writeState(L, state) {
  writeJson(L.stateFile, state);
}

// Serialises `up` and `down` across processes (a CI script and the test global setup may both
// call ensureStack), so two callers never start two brokers on the same data dir.
async function withLock(L, log, fn) {
  fs.mkdirSync(L.root, { recursive: true });
  const deadline = Date.now() + LOCK_TIMEOUT_MS;
  let announced = false;
  for (;;) {
    try {
      fs.writeFileSync(L.lockFile, String(process.pid), { flag: 'wx' });
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
    }
    const holder = Number.parseInt(readText(L.lockFile) ?? '', 10);
    if (!isAlive(holder)) {
      fs.rmSync(L.lockFile, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new StackError(`another stack command (pid ${holder}) still holds ${L.lockFile}`);
    }
    if (!announced) {
      log(`waiting for another stack command (pid ${holder}) to finish`);
      announced = true;
    }
    await sleep(POLL_MS);
  }
  try {
    return await fn();
  } finally {
    if (readText(L.lockFile) === String(process.pid)) fs.rmSync(L.lockFile, { force: true });
  }
}

function readText(file) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Processes

// kill(pid, 0) succeeds for zombies, and a broker started by a still-running Node process (the
// jest global setup) stays a zombie after it dies until that process exits.
function isAlive(pid) {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    return err.code === 'EPERM';
  }
  const stat = readText(`/proc/${pid}/stat`);
  if (stat === null) return process.platform !== 'linux';
  const processState = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return processState !== 'Z' && processState !== 'X';
}

// null where /proc is unavailable: callers then trust the recorded pid.
function commandLine(pid) {
  const raw = readText(`/proc/${pid}/cmdline`);
  return raw === null ? null : raw.split('\0').filter(Boolean);
}

// Guards against pid reuse: a recorded pid is only signalled if it still runs our broker.
function isOurKafka(pid, L) {
  if (!isAlive(pid)) return false;
  const args = commandLine(pid);
  return args === null || (args.includes('kafka.Kafka') && args.includes(L.serverProperties));
}

// redis-server rewrites its process title to "redis-server 127.0.0.1:PORT".
function isOurRedis(pid, port) {
  if (!isAlive(pid)) return false;
  const args = commandLine(pid);
  if (args === null) return true;
  const joined = args.join(' ');
  return joined.includes('redis-server') && joined.includes(`:${port}`);
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

async function waitForExit(pid, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
  return true;
}

async function terminate(pid, name, log) {
  if (!isAlive(pid)) return;
  log(`stopping ${name} (pid ${pid})`);
  try {
    process.kill(pid, 'SIGTERM');
  } catch (err) {
    if (err.code === 'ESRCH') return;
    throw err;
  }
  if (await waitForExit(pid, STOP_GRACE_MS)) return;
  log(`${name} (pid ${pid}) did not stop within ${STOP_GRACE_MS / 1000} s, sending SIGKILL`);
  try {
    process.kill(pid, 'SIGKILL');
  } catch (err) {
    if (err.code !== 'ESRCH') throw err;
  }
  if (!(await waitForExit(pid, KILL_WAIT_MS))) {
    throw new StackError(`${name} (pid ${pid}) is still alive after SIGKILL`);
  }
}

// Detached in its own process group with no pipe back to us, so it outlives the caller (a CLI
// run, or the jest process) and is not hit by a Ctrl-C aimed at the caller's terminal.
function spawnDetached(command, args, { cwd, logFile, env }) {
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const out = fs.openSync(logFile, 'a');
  try {
    const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', out, out] });
    // Spawn failures (ENOENT) are reported asynchronously; without a listener they would crash us.
    const failure = new Promise((resolve) => child.once('error', resolve));
    child.unref();
    return { pid: child.pid, failure };
  } finally {
    fs.closeSync(out);
  }
}

// Runs a short-lived tool and keeps its output for error messages (stdout must stay clean).
function runTool(command, args, { timeoutMs, cwd, env }) {
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const onData = (chunk) => {
      output += chunk;
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      resolve({ code: null, error: err, output });
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output });
    });
  });
}

function lastLines(text, count) {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .slice(-count)
    .join('\n');
}

function tailFile(file, count, fromOffset = 0) {
  try {
    const size = fs.statSync(file).size;
    const start = Math.max(fromOffset <= size ? fromOffset : 0, size - 256 * 1024);
    const fd = fs.openSync(file, 'r');
    try {
      const buffer = Buffer.alloc(size - start);
      fs.readSync(fd, buffer, 0, buffer.length, start);
      return lastLines(buffer.toString('utf8'), count);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return '';
  }
}

function fileSize(file) {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

function findExecutable(name) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Ports

function isPortFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ port, host: HOST, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

function freeEphemeralPort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host: HOST, exclusive: true }, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function parsePort(value, name) {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new StackError(`${name}=${value} is not a valid TCP port`);
  }
  return port;
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

// ---------------------------------------------------------------------------------------------
// Minimal Kafka wire protocol: enough to ask a broker who it is, without any npm package.

class Reader {
  constructor(buffer) {
    this.buffer = buffer;
    this.offset = 0;
  }
  int8() {
    return this.buffer.readInt8((this.offset += 1) - 1);
  }
  int16() {
    return this.buffer.readInt16BE((this.offset += 2) - 2);
  }
  int32() {
    return this.buffer.readInt32BE((this.offset += 4) - 4);
  }
  nullableString() {
    const length = this.int16();
    if (length < 0) return null;
    const value = this.buffer.toString('utf8', this.offset, this.offset + length);
    this.offset += length;
    return value;
  }
  string() {
    return this.nullableString() ?? '';
  }
}

function kafkaString(value) {
  const bytes = Buffer.from(value, 'utf8');
  const length = Buffer.alloc(2);
  length.writeInt16BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

// One request on a fresh connection, request header v1 (every non-flexible API version).
function kafkaRequest(port, apiKey, apiVersion, body, timeoutMs = 3000) {
  const correlationId = 0x5354; // arbitrary; checked on the way back
  const header = Buffer.alloc(8);
  header.writeInt16BE(apiKey, 0);
  header.writeInt16BE(apiVersion, 2);
  header.writeInt32BE(correlationId, 4);
  const payload = Buffer.concat([header, kafkaString('conmutador-stack'), body]);
  const size = Buffer.alloc(4);
  size.writeInt32BE(payload.length);

  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: HOST });
    let received = Buffer.alloc(0);
    let settled = false;
    const settle = (err, value) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(value);
    };
    const timer = setTimeout(() => settle(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    socket.once('connect', () => socket.write(Buffer.concat([size, payload])));
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 4) return;
      const length = received.readInt32BE(0);
      if (received.length < 4 + length) return;
      if (received.readInt32BE(4) !== correlationId) {
        settle(new Error('response correlation id mismatch'));
        return;
      }
      settle(null, new Reader(received.subarray(8, 4 + length)));
    });
    socket.once('error', (err) => settle(err));
    socket.once('close', () => settle(new Error('connection closed before a full response')));
  });
}

// Metadata v4 (served by Kafka 1.0 through 4.x): no topics, just the brokers and the cluster id.
async function kafkaMetadata(port, timeoutMs) {
  const body = Buffer.alloc(5);
  body.writeInt32BE(0, 0); // empty topic array: "no topics", unlike null which means all of them
  body.writeInt8(0, 4); // allow_auto_topic_creation = false
  const r = await kafkaRequest(port, 3, 4, body, timeoutMs);
  r.int32(); // throttle_time_ms
  const brokers = [];
  for (let i = r.int32(); i > 0; i -= 1) {
    brokers.push({ nodeId: r.int32(), host: r.string(), port: r.int32(), rack: r.nullableString() });
  }
  return { brokers, clusterId: r.nullableString(), controllerId: r.int32() };
}

// FindCoordinator v1: asking for a group's coordinator makes the broker create __consumer_offsets.
async function kafkaFindCoordinator(port, groupId, timeoutMs) {
  const r = await kafkaRequest(port, 10, 1, Buffer.concat([kafkaString(groupId), Buffer.from([0])]), timeoutMs);
  r.int32(); // throttle_time_ms
  const errorCode = r.int16();
  r.nullableString(); // error_message
  return { errorCode, nodeId: r.int32(), host: r.string(), port: r.int32() };
}

// Our broker, and ready for clients: answers on the port with the expected cluster id, and
// advertises itself as 127.0.0.1 on that port.
async function probeKafka(port, clusterId, timeoutMs = 2000) {
  try {
    const metadata = await kafkaMetadata(port, timeoutMs);
    return metadata.clusterId === clusterId && metadata.brokers.some((b) => b.nodeId === NODE_ID && b.host === HOST && b.port === port);
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Redis

function parseRedisUrl(url) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    throw new StackError(`REDIS_URL=${url} is not a valid URL`);
  }
  return {
    protocol: parsed.protocol,
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port: Number(parsed.port || 6379),
    username: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
  };
}

function redactUrl(url) {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}

function respCommand(...parts) {
  return `*${parts.length}\r\n${parts.map((p) => `$${Buffer.byteLength(p)}\r\n${p}\r\n`).join('')}`;
}

// PING over a raw socket (AUTH first when the URL carries credentials). Resolves, never rejects:
// { ok: true } on +PONG, otherwise { ok: false, reason }.
function redisPing(url, timeoutMs = 1500) {
  const target = parseRedisUrl(url);
  if (target.protocol !== 'redis:') {
    return Promise.resolve({ ok: false, reason: `${target.protocol} URLs cannot be checked here` });
  }
  const commands = [];
  if (target.password) {
    commands.push(target.username ? respCommand('AUTH', target.username, target.password) : respCommand('AUTH', target.password));
  }
  commands.push(respCommand('PING'));
  return new Promise((resolve) => {
    const socket = net.connect({ port: target.port, host: target.host });
    let received = '';
    let settled = false;
    const settle = (result) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => settle({ ok: false, reason: `no answer within ${timeoutMs} ms` }), timeoutMs);
    socket.once('connect', () => socket.write(commands.join('')));
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      // Whole reply lines only: a reply may arrive split over two chunks.
      const replies = received.split('\r\n').slice(0, -1);
      const error = replies.find((line) => line.startsWith('-'));
      if (error) settle({ ok: false, reason: error.slice(1) });
      else if (replies.length >= commands.length) {
        const last = replies[commands.length - 1];
        settle(last === '+PONG' ? { ok: true } : { ok: false, reason: `unexpected reply ${JSON.stringify(last)}` });
      }
    });
    socket.once('error', (err) => settle({ ok: false, reason: err.code ?? err.message }));
    socket.once('close', () => settle({ ok: false, reason: 'connection closed' }));
  });
}

// ---------------------------------------------------------------------------------------------
// Kafka: jars, storage, process

export function pinnedKafkaVersion() {
  const pom = readText(POM_FILE);
  if (pom === null) throw new StackError(`missing ${path.relative(REPO_ROOT, POM_FILE)}`);
  const match = /<kafka\.version>\s*([^<\s]+)\s*<\/kafka\.version>/.exec(pom);
  if (!match) throw new StackError(`no <kafka.version> property in ${path.relative(REPO_ROOT, POM_FILE)}`);
  return match[1];
}

// Kafka 4 logs through log4j2 (other jars in the pom, another config file, another system
// property) and needs Java 17; this stack is set up for the 3.9 line only.
function checkSupportedVersion(version) {
  if (Number.parseInt(version.split('.')[0], 10) !== 3) {
    throw new StackError(
      `Kafka ${version} is pinned in ${path.relative(REPO_ROOT, POM_FILE)}, but the local stack's logging ` +
        'setup (reload4j, log4j.properties) is for Kafka 3.x',
    );
  }
}

function javaCommand() {
  return process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
}

function checkJava(kafkaVersion) {
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
async function ensureKafkaJars(L, version, log) {
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

function newClusterId() {
  // 16 random bytes, URL-safe base64 without padding, as Kafka's Uuid prints them. Ids starting
  // with '-' are valid but read as an option by the storage tool's argument parser.
  let id;
  do id = randomBytes(16).toString('base64url');
  while (id.startsWith('-'));
  return id;
}

function readMetaProperties(dataDir) {
  const text = readText(path.join(dataDir, 'meta.properties'));
  if (text === null) return null;
  const value = (key) => new RegExp(`^${key}=(.*)$`, 'm').exec(text)?.[1]?.trim() ?? null;
  return { clusterId: value('cluster\\.id'), nodeId: value('node\\.id') };
}

function propertiesValue(value) {
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
function kafkaClassPathArgs(L, logsDir) {
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

function logMentionsStart(file, fromOffset) {
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

async function stopKafka(L, state, log) {
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

async function ensureKafka(L, options, log) {
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

// ---------------------------------------------------------------------------------------------
// Redis: use the one at REDIS_URL, else start our own

async function installRedis(log) {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    throw new StackError(
      'redis-server is not installed and REDIS_URL does not answer; install it (Debian: apt-get install -y redis-server) ' +
        'or point REDIS_URL at a running Redis',
    );
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = ['install', '-y', '--no-install-recommends', 'redis-server'];
  log('redis-server is not installed; installing it with apt-get');
  let result = await runTool('apt-get', install, { timeoutMs: TOOL_TIMEOUT_MS, env });
  if (result.code !== 0) {
    // Fresh machines often have no package lists yet.
    log('apt-get install failed; running apt-get update and retrying');
    await runTool('apt-get', ['update'], { timeoutMs: TOOL_TIMEOUT_MS, env });
    result = await runTool('apt-get', install, { timeoutMs: TOOL_TIMEOUT_MS, env });
  }
  const binary = findExecutable('redis-server');
  if (result.code !== 0 || !binary) {
    throw new StackError(`installing redis-server with apt-get failed:\n${lastLines(result.output, 30)}`);
  }
  return binary;
}

async function waitForRedis(pid, url, logFile) {
  const deadline = Date.now() + REDIS_READY_TIMEOUT_MS;
  for (;;) {
    if (!isAlive(pid)) {
      throw new StackError(`redis-server (pid ${pid}) died during start\n${tailFile(logFile, 30)}`);
    }
    const ping = await redisPing(url, 1000);
    if (ping.ok) return;
    if (Date.now() > deadline) {
      throw new StackError(`redis-server (pid ${pid}) did not answer PING on ${url} within ${REDIS_READY_TIMEOUT_MS / 1000} s (${ping.reason})`);
    }
    await sleep(100);
  }
}

async function stopRedis(L, state, log) {
  const ours = state.redis;
  let stopped = false;
  // Only a redis-server this stack started, still on the recorded port: never a system Redis.
  if (ours && isOurRedis(ours.pid, ours.port)) {
    await terminate(ours.pid, 'redis-server', log);
    stopped = true;
  }
  delete state.redis;
  writeState(L, state);
  return stopped;
}

async function ensureRedis(L, log) {
  const url = process.env.REDIS_URL || DEFAULT_REDIS_URL;
  const ping = await redisPing(url);
  if (ping.ok) return { url, started: false, pid: null };

  const state = readState(L);
  const previous = state.redis;
  if (previous && isOurRedis(previous.pid, previous.port) && (await redisPing(previous.url)).ok) {
    log(`${redactUrl(url)} does not answer (${ping.reason}); using this stack's redis-server on ${previous.url} (pid ${previous.pid})`);
    return { url: previous.url, started: false, pid: previous.pid };
  }
  if (previous) await stopRedis(L, state, log);

  log(`${redactUrl(url)} does not answer (${ping.reason}); starting a local redis-server`);
  const binary = findExecutable('redis-server') ?? (await installRedis(log));
  const requested = process.env.LOCAL_REDIS_PORT;
  let port = requested ? parsePort(requested, 'LOCAL_REDIS_PORT') : DEFAULT_LOCAL_REDIS_PORT;
  if (!(await isPortFree(port))) {
    if (requested) throw new StackError(`LOCAL_REDIS_PORT=${port} is in use by another process on ${HOST}`);
    port = await freeEphemeralPort();
  }
  fs.mkdirSync(L.redisDir, { recursive: true });
  const logFile = path.join(L.redisDir, 'redis.log');
  const { pid, failure } = spawnDetached(
    binary,
    // A throwaway cache for tests: no snapshots, no AOF, loopback only, in the foreground so that
    // the recorded pid is the server itself.
    ['--port', String(port), '--bind', HOST, '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--dir', L.redisDir],
    { cwd: L.redisDir, logFile },
  );
  const ourUrl = `redis://${HOST}:${port}`;
  state.redis = { pid, port, url: ourUrl, startedAt: new Date().toISOString() };
  writeState(L, state);
  let spawnError = null;
  failure.then((err) => {
    spawnError = err;
  });
  try {
    await waitForRedis(pid, ourUrl, logFile);
    if (spawnError) throw new StackError(`could not start ${binary}: ${spawnError.message}`);
  } catch (err) {
    await stopRedis(L, state, log).catch(() => {});
    throw err;
  }
  log(`redis-server ready on ${ourUrl} (pid ${pid})`);
  return { url: ourUrl, started: true, pid };
}

// ---------------------------------------------------------------------------------------------
// Public API

/**
 * Makes sure a Kafka broker and a Redis are running, starting them when needed, and returns
 * where they are. Idempotent: a broker or Redis this stack already runs is reused.
 *
 * @param {object} [options]
 * @param {boolean} [options.kafka=true]  provision Kafka (KAFKA_BROKERS set = use that, start nothing)
 * @param {boolean} [options.redis=true]  provision Redis (REDIS_URL answering PING = use that)
 * @param {boolean} [options.fresh=false] restart the broker on an empty data dir
 * @param {number}  [options.timeoutMs=90000] how long to wait for the broker to become ready
 * @param {string}  [options.stateDir]    defaults to LOCAL_STACK_DIR or <repo>/.stack
 * @param {boolean} [options.quiet=false] no progress lines on stderr
 * @param {(line: string) => void} [options.log] receives progress lines instead of stderr
 * @returns {Promise<{kafkaBrokers: string|null, redisUrl: string|null, kafkaVersion: string|null,
 *   startedKafka: boolean, startedRedis: boolean, kafkaPid: number|null, redisPid: number|null}>}
 *   startedKafka/startedRedis: whether this call started the process (false when reused or external).
 */
export async function ensureStack(options = {}) {
  const L = layout(options.stateDir);
  const log = makeLogger(options);
  return withLock(L, log, async () => {
    const kafka = options.kafka === false ? null : await ensureKafka(L, options, log);
    const redis = options.redis === false ? null : await ensureRedis(L, log);
    return {
      kafkaBrokers: kafka?.brokers ?? null,
      redisUrl: redis?.url ?? null,
      kafkaVersion: kafka?.version ?? null,
      startedKafka: kafka?.started ?? false,
      startedRedis: redis?.started ?? false,
      kafkaPid: kafka?.pid ?? null,
      redisPid: redis?.pid ?? null,
    };
  });
}

/**
 * Stops the broker and any redis-server this stack started (never a Redis it did not start).
 * SIGTERM, then SIGKILL after 15 s.
 *
 * @param {object} [options]
 * @param {boolean} [options.purge=false] also delete the broker's data and logs (jars are kept)
 * @param {string}  [options.stateDir]
 * @param {boolean} [options.quiet=false]
 * @param {(line: string) => void} [options.log]
 * @returns {Promise<{stoppedKafka: boolean, stoppedRedis: boolean}>}
 */
export async function stopStack(options = {}) {
  const L = layout(options.stateDir);
  const log = makeLogger(options);
  return withLock(L, log, async () => {
    const state = readState(L);
    const stoppedKafka = await stopKafka(L, state, log);
    const stoppedRedis = await stopRedis(L, state, log);
    if (options.purge) {
      for (const target of [L.data, L.dataMarker, L.logs, L.redisDir]) fs.rmSync(target, { recursive: true, force: true });
      log('removed the Kafka data and logs');
    }
    return { stoppedKafka, stoppedRedis };
  });
}

/**
 * Reports what runs, without starting or stopping anything.
 *
 * @param {object} [options]
 * @param {string} [options.stateDir]
 * @returns {Promise<{
 *   kafka: {state: 'running'|'starting'|'stopped'|'external', brokers: string|null, pid: number|null,
 *           port: number|null, controllerPort: number|null, version: string|null, clusterId: string|null},
 *   redis: {state: 'running'|'stopped', url: string|null, pid: number|null, managed: boolean}}>}
 */
export async function stackStatus(options = {}) {
  const L = layout(options.stateDir);
  const state = readState(L);

  let kafka = { state: 'stopped', brokers: null, pid: null, port: null, controllerPort: null, version: null, clusterId: null };
  if (process.env.KAFKA_BROKERS) {
    kafka = { ...kafka, state: 'external', brokers: process.env.KAFKA_BROKERS };
  } else if (state.kafka && isOurKafka(state.kafka.pid, L)) {
    const { pid, port, controllerPort, version, clusterId } = state.kafka;
    const ready = await probeKafka(port, clusterId);
    kafka = { state: ready ? 'running' : 'starting', brokers: `${HOST}:${port}`, pid, port, controllerPort, version, clusterId };
  }

  let redis = { state: 'stopped', url: null, pid: null, managed: false };
  const url = process.env.REDIS_URL || DEFAULT_REDIS_URL;
  if ((await redisPing(url)).ok) {
    redis = { state: 'running', url, pid: null, managed: false };
  } else if (state.redis && isOurRedis(state.redis.pid, state.redis.port) && (await redisPing(state.redis.url)).ok) {
    redis = { state: 'running', url: state.redis.url, pid: state.redis.pid, managed: true };
  }
  return { kafka, redis };
}

export function formatStatus({ kafka, redis }) {
  const kafkaLine =
    kafka.state === 'external'
      ? `kafka ${kafka.brokers} (external, from KAFKA_BROKERS)`
      : kafka.state === 'stopped'
        ? 'kafka not running'
        : `kafka ${kafka.brokers} (${kafka.state}, pid ${kafka.pid}, version ${kafka.version})`;
  const redisLine =
    redis.state === 'stopped'
      ? 'redis not running'
      : `redis ${redactUrl(redis.url)} (running, ${redis.managed ? `pid ${redis.pid}, started by stack` : 'external'})`;
  return `${kafkaLine}\n${redisLine}`;
}

// ---------------------------------------------------------------------------------------------
// CLI

const USAGE = `usage: node tools/stack.mjs <command> [flags]
  up      [--json] [--fresh] [--no-kafka] [--no-redis]   start what is missing (--json: result on stdout)
  down    [--purge]                                       stop the broker and our own redis-server
  status  [--json]                                        two lines: kafka ..., redis ...
env: LOCAL_KAFKA_PORT (19092), KAFKA_BROKERS, REDIS_URL (${DEFAULT_REDIS_URL}), LOCAL_REDIS_PORT (${DEFAULT_LOCAL_REDIS_PORT}),
     LOCAL_KAFKA_HEAP_OPTS ("${DEFAULT_KAFKA_HEAP_OPTS}"), LOCAL_STACK_DIR (<repo>/.stack)`;

async function main(argv) {
  const [command, ...rest] = argv;
  const flags = new Set(rest);
  const known = { up: ['--json', '--fresh', '--no-kafka', '--no-redis'], down: ['--purge'], status: ['--json'] };
  if (!known[command] || rest.some((flag) => !known[command].includes(flag))) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  if (command === 'up') {
    const result = await ensureStack({ fresh: flags.has('--fresh'), kafka: !flags.has('--no-kafka'), redis: !flags.has('--no-redis') });
    if (flags.has('--json')) process.stdout.write(`${JSON.stringify(result)}\n`);
    else process.stderr.write(`[stack] kafka ${result.kafkaBrokers ?? '(skipped)'}  redis ${result.redisUrl ? redactUrl(result.redisUrl) : '(skipped)'}\n`);
  } else if (command === 'down') {
    await stopStack({ purge: flags.has('--purge') });
  } else {
    const status = await stackStatus();
    process.stdout.write(flags.has('--json') ? `${JSON.stringify(status)}\n` : `${formatStatus(status)}\n`);
  }
  return 0;
}

function invokedDirectly() {
  if (!process.argv[1]) return false;
  try {
    return fs.realpathSync(process.argv[1]) === fs.realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(err instanceof StackError ? `[stack] error: ${err.message}\n` : `[stack] ${err.stack ?? err}\n`);
      process.exitCode = 1;
    },
  );
}
