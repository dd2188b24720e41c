// Where the stack keeps its state (.stack/ or LOCAL_STACK_DIR), the state file, and the lock that
// serialises `up` and `down` across processes.

import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { POLL_MS, REPO_ROOT, StackError, readJson, readText, writeJson } from './common.mjs';
import { isAlive } from './processes.mjs';

// The first `up` on a machine may wait for another one that is downloading the jars.
const LOCK_TIMEOUT_MS = 10 * 60_000;

export function layout(stateDir) {
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
    // Optional topologies (`up --kafka-brokers 3`, `up --redis-cluster`): their own dirs, one
    // sub-dir per node, and their own keys in the state file (kafkaTrio, redisCluster).
    trioDir: path.join(root, 'kafka-trio'),
    trioMarker: path.join(root, 'kafka-trio', 'trio.json'),
    redisClusterDir: path.join(root, 'redis-cluster'),
    redisClusterMarker: path.join(root, 'redis-cluster', 'cluster.json'),
  };
}

export function readState(L) {
  return readJson(L.stateFile) ?? {};
}

export function writeState(L, state) {
  writeJson(L.stateFile, state);
}

// Serialises `up` and `down` across processes (a CI script and the test global setup may both
// call ensureStack), so two callers never start two brokers on the same data dir.
export async function withLock(L, log, fn) {
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
