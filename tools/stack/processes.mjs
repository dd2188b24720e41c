// Processes: liveness (zombie-aware), stopping, detached spawns, short-lived tools, log tails.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { StackError, readText } from './common.mjs';

const STOP_GRACE_MS = 15_000;
const KILL_WAIT_MS = 5_000;

// kill(pid, 0) succeeds for zombies, and a broker started by a still-running Node process (the
// jest global setup) stays a zombie after it dies until that process exits.
export function isAlive(pid) {
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
export function commandLine(pid) {
  const raw = readText(`/proc/${pid}/cmdline`);
  return raw === null ? null : raw.split('\0').filter(Boolean);
}

async function waitForExit(pid, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
  return true;
}

export async function terminate(pid, name, log) {
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
export function spawnDetached(command, args, { cwd, logFile, env }) {
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
export function runTool(command, args, { timeoutMs, cwd, env }) {
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

export function lastLines(text, count) {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .slice(-count)
    .join('\n');
}

export function tailFile(file, count, fromOffset = 0) {
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

export function fileSize(file) {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

export function findExecutable(name) {
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

// The working directory of a process, or null where /proc cannot tell (not Linux, gone, no access).
export function processCwd(pid) {
  try {
    return fs.readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return null;
  }
}

// Live processes whose command line satisfies the predicate (empty where /proc is unavailable).
export function findProcesses(predicate) {
  if (process.platform !== 'linux') return [];
  const found = [];
  for (const entry of fs.readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    const args = commandLine(pid);
    if (args && predicate(args, pid) && isAlive(pid)) found.push(pid);
  }
  return found;
}

// kill -9, then wait until the process is gone (a zombie counts as gone).
export async function killNow(pid, name, log) {
  if (!isAlive(pid)) return false;
  log(`killing ${name} (pid ${pid}) with SIGKILL`);
  try {
    process.kill(pid, 'SIGKILL');
  } catch (err) {
    if (err.code === 'ESRCH') return false;
    throw err;
  }
  if (!(await waitForExit(pid, KILL_WAIT_MS))) {
    throw new StackError(`${name} (pid ${pid}) is still alive after SIGKILL`);
  }
  return true;
}
