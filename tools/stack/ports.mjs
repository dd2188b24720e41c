// Loopback TCP ports: is one free, pick a free one or a free block, parse one from the environment.

import net from 'node:net';
import { HOST, StackError } from './common.mjs';

export function isPortFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ port, host: HOST, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

export function freeEphemeralPort() {
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

export function parsePort(value, name) {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new StackError(`${name}=${value} is not a valid TCP port`);
  }
  return port;
}

// The base of a block of ports for a multi-node service. `portsOf(base)` lists every port the
// block needs (client, controller or cluster-bus ports) and `describe(base)` names them for
// people. A base set in `envName` must be free; the default base, when something other than
// this stack holds one of its ports, gives way to the next free block, `step` ports on, within
// `tries` steps.
export async function choosePortBlock({ envName, defaultBase, step, tries, portsOf, describe, what, log }) {
  const requested = process.env[envName];
  const base = requested ? parsePort(requested, envName) : defaultBase;
  const fits = (candidate) => Math.max(...portsOf(candidate)) <= 65535;
  const free = async (candidate) => {
    for (const port of portsOf(candidate)) if (!(await isPortFree(port))) return false;
    return true;
  };
  if (!fits(base)) throw new StackError(`${envName}=${base}: the ports ${describe(base)} would pass 65535`);
  if (await free(base)) return base;
  if (requested) throw new StackError(`${envName}=${base}: one of the ports ${describe(base)} is in use on ${HOST}; free it or choose another base`);
  for (let candidate = base + step; candidate < base + step * tries && fits(candidate); candidate += step) {
    if (await free(candidate)) {
      log(`one of the ports ${describe(base)} is in use by something other than this stack; the ${what} uses ${describe(candidate)}`);
      return candidate;
    }
  }
  throw new StackError(`no free ports found from ${base} on for the ${what}`);
}
