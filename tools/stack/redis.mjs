// Redis: use the one at REDIS_URL when it answers PING, else start (and later stop) our own
// redis-server. A Redis this stack did not start is never stopped.

import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { HOST, StackError, TOOL_TIMEOUT_MS } from './common.mjs';
import { freeEphemeralPort, isPortFree, parsePort } from './ports.mjs';
import { commandLine, findExecutable, isAlive, lastLines, runTool, spawnDetached, tailFile, terminate } from './processes.mjs';
import { redisCommands, RedisReplyError } from './redis-protocol.mjs';
import { readState, writeState } from './state.mjs';

export const DEFAULT_REDIS_URL = `redis://${HOST}:6379`;
export const DEFAULT_LOCAL_REDIS_PORT = 16379;
const REDIS_READY_TIMEOUT_MS = 15_000;

// redis-server rewrites its process title to "redis-server 127.0.0.1:PORT".
export function isOurRedis(pid, port) {
  if (!isAlive(pid)) return false;
  const args = commandLine(pid);
  if (args === null) return true;
  const joined = args.join(' ');
  return joined.includes('redis-server') && joined.includes(`:${port}`);
}

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

export function redactUrl(url) {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}

// PING (AUTH first when the URL carries credentials). Resolves, never rejects: { ok: true } on
// PONG, otherwise { ok: false, reason }.
export async function redisPing(url, timeoutMs = 1500) {
  const target = parseRedisUrl(url);
  if (target.protocol !== 'redis:') return { ok: false, reason: `${target.protocol} URLs cannot be checked here` };
  const commands = [];
  if (target.password) commands.push(target.username ? ['AUTH', target.username, target.password] : ['AUTH', target.password]);
  commands.push(['PING']);
  try {
    const replies = await redisCommands(target.port, commands, timeoutMs, target.host);
    const error = replies.find((reply) => reply instanceof RedisReplyError);
    if (error) return { ok: false, reason: error.message };
    const last = replies[replies.length - 1];
    return last === 'PONG' ? { ok: true } : { ok: false, reason: `unexpected reply ${JSON.stringify(last)}` };
  } catch (err) {
    return { ok: false, reason: err.code ?? err.message };
  }
}

export async function installRedis(log) {
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

export async function stopRedis(L, state, log) {
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

export async function ensureRedis(L, log) {
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
