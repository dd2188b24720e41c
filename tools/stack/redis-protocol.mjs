// Minimal RESP2 client: one connection per call, enough for PING (with AUTH), CLUSTER INFO /
// NODES / KEYSLOT / FAILOVER and INFO against the stack's Redis and Redis Cluster nodes, without
// any npm package.

import { socketExchange } from './socket-exchange.mjs';

export class RedisReplyError extends Error {
  constructor(message) {
    super(message);
    this.name = 'RedisReplyError';
  }
}

function encode(args) {
  const parts = args.map(String);
  return `*${parts.length}\r\n${parts.map((p) => `$${Buffer.byteLength(p)}\r\n${p}\r\n`).join('')}`;
}

// One reply from offset: { value, offset } (offset after it), or null while it is incomplete.
function parseReply(buffer, offset) {
  if (offset >= buffer.length) return null;
  const lineEnd = buffer.indexOf('\r\n', offset);
  if (lineEnd < 0) return null;
  const type = String.fromCharCode(buffer[offset]);
  const line = buffer.toString('utf8', offset + 1, lineEnd);
  const next = lineEnd + 2;
  switch (type) {
    case '+':
      return { value: line, offset: next };
    case '-':
      return { value: new RedisReplyError(line), offset: next };
    case ':':
      return { value: Number(line), offset: next };
    case '$': {
      const length = Number(line);
      if (length < 0) return { value: null, offset: next };
      if (buffer.length < next + length + 2) return null;
      return { value: buffer.toString('utf8', next, next + length), offset: next + length + 2 };
    }
    case '*': {
      const count = Number(line);
      if (count < 0) return { value: null, offset: next };
      const items = [];
      let at = next;
      for (let i = 0; i < count; i += 1) {
        const item = parseReply(buffer, at);
        if (item === null) return null;
        items.push(item.value);
        at = item.offset;
      }
      return { value: items, offset: at };
    }
    default:
      throw new Error(`unexpected RESP reply type ${JSON.stringify(type)}`);
  }
}

// Sends the commands pipelined on one fresh connection; resolves with one reply each (an error
// reply is a RedisReplyError in its place), rejects on connection errors and timeouts.
export function redisCommands(port, commands, timeoutMs = 2000, host = undefined) {
  const parse = (received) => {
    const replies = [];
    let at = 0;
    while (replies.length < commands.length) {
      const reply = parseReply(received, at);
      if (reply === null) return undefined;
      replies.push(reply.value);
      at = reply.offset;
    }
    return replies;
  };
  return socketExchange(port, commands.map(encode).join(''), parse, timeoutMs, host);
}

export async function redisCall(port, args, timeoutMs) {
  const [reply] = await redisCommands(port, [args], timeoutMs);
  if (reply instanceof RedisReplyError) throw reply;
  return reply;
}

// "key:value" lines (CLUSTER INFO, INFO sections) as an object.
export function parseInfo(text) {
  const info = {};
  for (const line of String(text).split('\r\n')) {
    const at = line.indexOf(':');
    if (at > 0 && !line.startsWith('#')) info[line.slice(0, at)] = line.slice(at + 1);
  }
  return info;
}

// CLUSTER NODES: one entry per node, as that node's peer sees it.
export function parseClusterNodes(text) {
  return String(text)
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [id, address, flagList, masterId, , , configEpoch, linkState, ...slotFields] = line.split(' ');
      const hostPort = address.split(',')[0].split('@')[0];
      const flags = new Set(flagList.split(','));
      const slots = [];
      for (const field of slotFields) {
        if (field.startsWith('[')) continue; // importing/migrating marker
        const [from, to] = field.split('-').map(Number);
        slots.push([from, to ?? from]);
      }
      return {
        id,
        port: Number(hostPort.slice(hostPort.lastIndexOf(':') + 1)),
        flags,
        myself: flags.has('myself'),
        role: flags.has('master') ? 'primary' : flags.has('slave') ? 'replica' : 'unknown',
        failing: flags.has('fail') || flags.has('fail?') || flags.has('handshake') || flags.has('noaddr'),
        masterId: masterId === '-' ? null : masterId,
        configEpoch: Number(configEpoch),
        connected: linkState === 'connected',
        slots,
      };
    });
}
