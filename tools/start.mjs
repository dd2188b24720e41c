// `npm start`: the engine on local Kafka + Redis, with a sample of traffic.
//   KAFKA_BROKERS / REDIS_URL set  → use that infrastructure, provision nothing
//   DEMO_TRAFFIC=off               → the engine alone, no sample traffic
//   DEPLOYMENT=engine              → the one-process engine instead of the classifier and router services
// Service logs (JSON) go to .stack/logs/<service>.log; this terminal gets a short summary.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const startedAt = Date.now();
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const log = (message) => process.stdout.write(`[conmutador] ${message}\n`);

const bootstrap = spawnSync(process.execPath, [join(root, 'tools/bootstrap.mjs'), '--build'], { stdio: 'inherit' });
if (bootstrap.status !== 0) process.exit(bootstrap.status ?? 1);

const { ensureStack } = await import('./stack.mjs');
const kafkajs = (await import('kafkajs')).default;
const { default: Redis } = await import('ioredis');
const { runDemoTraffic } = await import('./demo-traffic.mjs');

let brokers = process.env.KAFKA_BROKERS;
let redisUrl = process.env.REDIS_URL;
if (!brokers || !redisUrl) {
  const stack = await ensureStack({ kafka: !brokers, redis: !redisUrl });
  brokers ??= stack.kafkaBrokers;
  redisUrl ??= stack.redisUrl;
  if (stack.kafkaVersion) log(`local Kafka ${stack.kafkaVersion} on ${brokers}${stack.startedKafka ? ' (started)' : ''}`);
} else {
  log(`using KAFKA_BROKERS=${brokers} and REDIS_URL; provisioning nothing`);
}
log(`Redis at ${redisUrl.replace(/\/\/[^@]*@/, '//***@')}`);

const namespace = process.env.KAFKA_TOPIC_NAMESPACE ?? '';
const prefix = namespace ? `${namespace}.` : '';
const topics = {
  inbound: `${prefix}interactions.inbound`,
  routed: `${prefix}interactions.routed`,
  deadLetter: `${prefix}interactions.dlq`,
};

const logDir = join(root, '.stack', 'logs');
mkdirSync(logDir, { recursive: true });
// Without configured keys, a fresh admin key for this run only, printed below for the ops API and CLI.
const developmentKey = process.env.OPS_API_KEYS ? undefined : `dev-${randomBytes(12).toString('hex')}`;
const opsApiKeys = process.env.OPS_API_KEYS ?? `developer:admin:${developmentKey}`;
const deployment = process.env.DEPLOYMENT ?? 'services';
if (!['services', 'engine'].includes(deployment)) {
  log(`DEPLOYMENT must be "services" (classifier and router) or "engine" (one process), not "${deployment}"`);
  process.exit(2);
}
// The pipeline's processes share the machine's cores with each other, the broker and Redis: the
// garbage collector's helper threads would only take CPU from them (bench/README.md, changes 9 and 15).
const PIPELINE_NODE_ARGS = ['--single-threaded-gc'];
const SERVICES = [
  ...(deployment === 'engine'
    ? [{ name: 'engine', port: Number(process.env.ENGINE_HTTP_PORT ?? 8083), nodeArgs: PIPELINE_NODE_ARGS }]
    : [
        { name: 'classifier', port: Number(process.env.CLASSIFIER_HTTP_PORT ?? 8081), nodeArgs: PIPELINE_NODE_ARGS },
        { name: 'router', port: Number(process.env.ROUTER_HTTP_PORT ?? 8082), nodeArgs: PIPELINE_NODE_ARGS },
      ]),
  { name: 'ops-api', port: Number(process.env.OPS_API_HTTP_PORT ?? 8080), env: { OPS_API_KEYS: opsApiKeys } },
];
const children = new Map();
let stopping = false;

for (const service of SERVICES) {
  const logFile = join(logDir, `${service.name}.log`);
  const out = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(process.execPath, [...(service.nodeArgs ?? []), join(root, `dist/apps/${service.name}/src/main.js`)], {
    cwd: root,
    env: { ...process.env, ...service.env, KAFKA_BROKERS: brokers, REDIS_URL: redisUrl, HTTP_PORT: String(service.port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  child.on('exit', (code, signal) => {
    children.delete(service.name);
    if (stopping) return;
    log(`${service.name} exited (${signal ?? `code ${code}`}); last lines of ${logFile}:`);
    process.stdout.write(`${readFileSync(logFile, 'utf8').trim().split('\n').slice(-15).join('\n')}\n`);
    shutdown(1);
  });
  children.set(service.name, child);
  service.logFile = logFile;
}

async function waitReady(service, deadline) {
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`http://127.0.0.1:${service.port}/health/ready`);
      if (response.ok) return true;
    } catch {
      // not listening yet
    }
    if (!children.has(service.name)) return false;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

let redis;
let monitor;
async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  clearInterval(monitor);
  log('stopping services (SIGTERM: drain, commit, disconnect)…');
  const exits = [...children.values()].map((child) => new Promise((resolve) => child.once('exit', resolve)));
  for (const child of children.values()) child.kill('SIGTERM');
  await Promise.race([Promise.all(exits), new Promise((resolve) => setTimeout(resolve, 40_000))]);
  redis?.disconnect();
  log('stopped. The local Kafka keeps running; `npm run stack:down` stops it.');
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

const readyBy = Date.now() + 120_000;
for (const service of SERVICES) {
  if (!(await waitReady(service, readyBy))) {
    if (!stopping) log(`${service.name} did not become ready; see ${service.logFile}`);
    await shutdown(1);
  }
  log(`${service.name} ready: http://127.0.0.1:${service.port}/health/ready  (logs: ${service.logFile})`);
}
const stages = deployment === 'engine' ? 'engine (classify + route)' : 'classifier → router';
log(`engine up in ${((Date.now() - startedAt) / 1000).toFixed(1)} s: ${topics.inbound} → ${stages} → ${topics.routed}`);
const opsApiPort = SERVICES.find((service) => service.name === 'ops-api').port;
log(`ops API: http://127.0.0.1:${opsApiPort}/docs (OpenAPI at /openapi.json)`);
if (developmentKey) {
  log(`development API key (admin, this run only): ${developmentKey}`);
  log(`  curl -H 'Authorization: Bearer ${developmentKey}' http://127.0.0.1:${opsApiPort}/v1/queues`);
  log(`  OPS_API_KEY=${developmentKey} npm run -s rules -- validate deploy/rules/default-ruleset.json`);
}

if ((process.env.DEMO_TRAFFIC ?? 'on') !== 'off') {
  await runDemoTraffic({ kafkajs, brokers: brokers.split(','), topics, log, startedAt });
} else {
  log('DEMO_TRAFFIC=off: waiting for events on ' + topics.inbound);
}

// A glance at the skill queues for whoever watches this terminal; the JSON logs hold the rest.
redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
const keyPrefix = process.env.REDIS_KEY_PREFIX ?? 'cmr:';
let lastLine = '';
monitor = setInterval(async () => {
  try {
    const queues = (await redis.smembers(`${keyPrefix}queues`)).sort();
    const depths = await Promise.all(queues.map((queue) => redis.zcard(`${keyPrefix}q:${queue}`)));
    const line = queues.map((queue, i) => `${queue}=${depths[i]}`).join(' ');
    if (line && line !== lastLine) log(`waiting: ${line}`);
    lastLine = line;
  } catch {
    // Redis unavailable for a moment: the services report it in their readiness.
  }
}, 5_000);
log('Ctrl-C stops the services.');
