// One request and its response on a fresh TCP connection (127.0.0.1 unless told), for the stack's probes of
// Kafka and Redis (no client library: the stack runs before node modules may be installed).

import net from 'node:net';
import { HOST } from './common.mjs';

// Writes `request` once connected, then hands every byte received so far to `parse`, which
// returns undefined while the response is incomplete, or its value (it may throw: the error
// rejects). Rejects on connection errors, on a close before a full response, and after
// `timeoutMs`.
export function socketExchange(port, request, parse, timeoutMs, host = HOST) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host });
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
    const timer = setTimeout(() => settle(new Error(`no answer from ${host}:${port} within ${timeoutMs} ms`)), timeoutMs);
    socket.once('connect', () => socket.write(request));
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      let value;
      try {
        value = parse(received);
      } catch (err) {
        settle(err);
        return;
      }
      if (value !== undefined) settle(null, value);
    });
    socket.once('error', (err) => settle(err));
    socket.once('close', () => settle(new Error(`connection to ${host}:${port} closed before a full response`)));
  });
}
