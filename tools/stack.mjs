#!/usr/bin/env node
// Local infrastructure for development and integration tests: one Apache Kafka broker (KRaft,
// combined broker + controller, jars resolved from Maven Central) and Redis.
//
// There is no container engine on the development and CI machines, so the broker runs as a plain
// detached JVM whose state lives in .stack/ at the repository root. Only node: built-ins are used:
// this file has to work before `npm ci` has run, and the integration tests' global setup imports
// it. It has no top-level await so that CommonJS code can require() it as well as import() it.
// The same holds for the modules it is made of, in tools/stack/.
//
//   node tools/stack.mjs up [--json] [--fresh] [--no-kafka] [--no-redis]
//   node tools/stack.mjs down [--purge]
//   node tools/stack.mjs status [--json]
//
// Progress goes to stderr; stdout only carries what was asked for (status, or --json).

import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { HOST, StackError, makeLogger } from './stack/common.mjs';
import { DEFAULT_KAFKA_HEAP_OPTS, ensureKafka, isOurKafka, probeKafka, stopKafka } from './stack/kafka.mjs';
import { DEFAULT_LOCAL_REDIS_PORT, DEFAULT_REDIS_URL, ensureRedis, isOurRedis, redactUrl, redisPing, stopRedis } from './stack/redis.mjs';
import { layout, readState, withLock } from './stack/state.mjs';

export { StackError } from './stack/common.mjs';
export { pinnedKafkaVersion } from './stack/kafka.mjs';

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
