/**
 * kafkajs 2.2.4 encodes each produced record (`src/protocol/recordBatch/record/v0`) into a new
 * zero-filled 512-byte buffer, grows it by copying when the value is larger, writes every varint
 * through a temporary array and buffer, and the timestamp delta through its 64-bit `Long`
 * emulation: eight or more buffer allocations and a score of short-lived objects per record.
 *
 * This module gives kafkajs an encoder that computes the record's size first and writes it once
 * into a buffer of exactly that size (from Node's pool when small), byte for byte what kafkajs
 * writes (the spec compares both). Inputs outside what the producers here send (a timestamp
 * delta that is not an integer below 2^52 ms; a key, value or header value that is neither a
 * string nor a buffer) go to kafkajs's own encoder. Registered like the grouping
 * (kafkajs-module-replacement.ts); the consumer pipeline says at start whether it is in effect.
 */
// Types only: requiring kafkajs here would load its producer before the replacement is in place.
import type { IHeaders } from 'kafkajs';
import { replaceKafkajsModule } from './kafkajs-module-replacement';

/** What kafkajs's produce request passes for each record. */
export interface RecordFields {
  offsetDelta?: number;
  timestampDelta?: number;
  key?: string | Buffer | null;
  value: string | Buffer | null;
  headers?: IHeaders;
}

/** kafkajs's `Encoder`, as far as its record batch reads it: the bytes are `buf[0, offset)`. */
export interface EncodedRecord {
  buf: Buffer;
  offset: number;
}

type RecordEncoder = (fields: RecordFields) => EncodedRecord;

const KAFKAJS_ENCODER_MODULE = 'kafkajs/src/protocol/encoder';

/** kafkajs writes a varint as the LEB128 bytes of its zigzag, taken as an unsigned 32-bit number. */
function zigZag32(value: number): number {
  return ((value << 1) ^ (value >> 31)) >>> 0;
}

function sizeOfUnsigned32(value: number): number {
  let bytes = 1;
  for (let rest = value; rest >= 0x80; rest >>>= 7) bytes += 1;
  return bytes;
}

function writeUnsigned32(buffer: Buffer, offset: number, value: number): number {
  let rest = value;
  while (rest >= 0x80) {
    buffer[offset++] = (rest & 0x7f) | 0x80;
    rest >>>= 7;
  }
  buffer[offset++] = rest;
  return offset;
}

/** Timestamp deltas whose zigzag (about twice their size) stays an exact integer in a double. */
const LARGEST_TIMESTAMP_DELTA = 2 ** 52 - 1;

function isSmallTimestampDelta(value: number): boolean {
  return Number.isInteger(value) && Math.abs(value) <= LARGEST_TIMESTAMP_DELTA;
}

/** Zigzag of a 64-bit value, for a small timestamp delta: below 2^53, so exact in a double. */
function zigZag64(value: number): number {
  return value >= 0 ? value * 2 : -value * 2 - 1;
}

function sizeOfUnsigned64(value: number): number {
  let bytes = 1;
  for (let rest = value; rest >= 0x80; rest = Math.floor(rest / 0x80)) bytes += 1;
  return bytes;
}

function writeUnsigned64(buffer: Buffer, offset: number, value: number): number {
  let rest = value;
  while (rest >= 0x80) {
    buffer[offset++] = (rest % 0x80) | 0x80;
    rest = Math.floor(rest / 0x80);
  }
  buffer[offset++] = rest;
  return offset;
}

/** A record's key, value or header value: its bytes, or null (written as length -1). */
type Bytes = string | Buffer | null;

function isBytes(value: unknown): value is Bytes {
  return value === null || typeof value === 'string' || Buffer.isBuffer(value);
}

function lengthOf(bytes: Bytes): number {
  if (bytes === null) return -1;
  return typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.length;
}

function sizeOfField(length: number): number {
  return sizeOfUnsigned32(zigZag32(length)) + Math.max(0, length);
}

function writeField(buffer: Buffer, offset: number, bytes: Bytes, length: number): number {
  const next = writeUnsigned32(buffer, offset, zigZag32(length));
  if (bytes === null) return next;
  if (typeof bytes === 'string') buffer.write(bytes, next, length, 'utf8');
  else bytes.copy(buffer, next);
  return next + length;
}

interface Header {
  key: string;
  keyLength: number;
  value: string | Buffer;
  valueLength: number;
}

/** Most records have no header: one shared empty list, not one per record (nor an empty object). */
const NO_HEADERS: readonly Header[] = [];

/** kafkajs's order: each header key in insertion order, an array value as one header per element. */
function headersOf(headers: IHeaders): readonly Header[] | undefined {
  const keys = Object.keys(headers);
  if (keys.length === 0) return NO_HEADERS;
  const list: Header[] = [];
  for (const key of keys) {
    const values = headers[key];
    for (const value of Array.isArray(values) ? values : [values]) {
      if (value === null || !isBytes(value)) return undefined;
      list.push({ key, keyLength: Buffer.byteLength(key), value, valueLength: lengthOf(value) });
    }
  }
  return list;
}

function exactSizeRecordEncoder(kafkajsRecord: RecordEncoder, encoderPrototype: object): RecordEncoder {
  return (fields) => {
    const { offsetDelta = 0, timestampDelta = 0, headers } = fields;
    const key = fields.key ?? null;
    const value = fields.value ?? null;
    const headerList = headers === undefined ? NO_HEADERS : headersOf(headers);
    if (!isSmallTimestampDelta(timestampDelta) || !Number.isInteger(offsetDelta) || headerList === undefined || !isBytes(key) || !isBytes(value)) {
      return kafkajsRecord(fields);
    }

    const timestamp = zigZag64(timestampDelta);
    const offset = zigZag32(offsetDelta);
    const keyLength = lengthOf(key);
    const valueLength = lengthOf(value);
    let bodySize = 1 + sizeOfUnsigned64(timestamp) + sizeOfUnsigned32(offset) + sizeOfField(keyLength) + sizeOfField(valueLength);
    bodySize += sizeOfUnsigned32(zigZag32(headerList.length));
    for (const header of headerList) bodySize += sizeOfField(header.keyLength) + sizeOfField(header.valueLength);
    const bodyLength = zigZag32(bodySize);
    const size = sizeOfUnsigned32(bodyLength) + bodySize;

    // Every byte is written below, so the buffer need not be zeroed.
    const buffer = Buffer.allocUnsafe(size);
    let at = writeUnsigned32(buffer, 0, bodyLength);
    buffer[at++] = 0; // attributes: none are used per record
    at = writeUnsigned64(buffer, at, timestamp);
    at = writeUnsigned32(buffer, at, offset);
    at = writeField(buffer, at, key, keyLength);
    at = writeField(buffer, at, value, valueLength);
    at = writeUnsigned32(buffer, at, zigZag32(headerList.length));
    for (const header of headerList) {
      at = writeField(buffer, at, header.key, header.keyLength);
      at = writeField(buffer, at, header.value, header.valueLength);
    }
    // An instance of kafkajs's Encoder holding the bytes: the record batch copies `buffer` out of it.
    const encoded = Object.create(encoderPrototype) as EncodedRecord;
    encoded.buf = buffer;
    encoded.offset = at;
    return encoded;
  };
}

/** kafkajs's record encoder, replaced by the exact-size one, registered before kafkajs is loaded (kafkajs.ts). */
export const exactSizeRecordEncoding = replaceKafkajsModule<RecordEncoder>({
  module: 'kafkajs/src/protocol/recordBatch/record/v0',
  readBy: 'kafkajs/src/protocol/requests/produce/v3/request',
  replacement: (kafkajsRecord) => exactSizeRecordEncoder(kafkajsRecord, (require(KAFKAJS_ENCODER_MODULE) as { prototype: object }).prototype),
  announcement: {
    field: 'recordEncoding',
    value: 'exact-size',
    inEffect: 'encode each record once, into a buffer of its exact size',
    without: 'encode each record through growing buffers',
  },
});

/**
 * The encoder for tests: this package's, around kafkajs's own `record` and `Encoder` (the ones
 * kafkajs falls back to and whose instances it returns).
 */
export function createExactSizeRecordEncoder(kafkajsRecord: RecordEncoder, kafkajsEncoder: { prototype: object }): RecordEncoder {
  return exactSizeRecordEncoder(kafkajsRecord, kafkajsEncoder.prototype);
}
