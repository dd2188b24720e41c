// Minimal Kafka wire protocol: enough to ask a broker who it is (Metadata) and to have it create
// __consumer_offsets (FindCoordinator), without any npm package.

import { socketExchange } from './socket-exchange.mjs';

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

  const parse = (received) => {
    if (received.length < 4) return undefined;
    const length = received.readInt32BE(0);
    if (received.length < 4 + length) return undefined;
    if (received.readInt32BE(4) !== correlationId) throw new Error('response correlation id mismatch');
    return new Reader(received.subarray(8, 4 + length));
  };
  return socketExchange(port, Buffer.concat([size, payload]), parse, timeoutMs);
}

// Metadata v4 (served by Kafka 1.0 through 4.x): no topics, just the brokers and the cluster id.
export async function kafkaMetadata(port, timeoutMs) {
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
export async function kafkaFindCoordinator(port, groupId, timeoutMs) {
  const r = await kafkaRequest(port, 10, 1, Buffer.concat([kafkaString(groupId), Buffer.from([0])]), timeoutMs);
  r.int32(); // throttle_time_ms
  const errorCode = r.int16();
  r.nullableString(); // error_message
  return { errorCode, nodeId: r.int32(), host: r.string(), port: r.int32() };
}
