import { isUtf8 } from 'node:buffer';
import { maskPersonalData } from '../personal-data/personal-data';
import { DeadLetterRecord } from './dead-letter-record';
import { Rejection } from './rejection';

export interface RawRecord {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers?: Record<string, Buffer | string | (Buffer | string)[] | undefined>;
}

function headerText(value: Buffer | string | (Buffer | string)[] | undefined): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.map(headerText).join(',');
  return Buffer.isBuffer(value) ? value.toString('utf8') : value;
}

/**
 * Keeps the original bytes recoverable: UTF-8 text as is, anything else base64, untouched, since a
 * replay needs them. The errors are read by people and tools that have no business with personal
 * data, and can quote the input (a bad `type`, a JSON parser's excerpt): their phone numbers, ids
 * and e-mail addresses are masked.
 */
export function toDeadLetterRecord(raw: RawRecord, rejection: Rejection, service: string, failedAt: Date): DeadLetterRecord {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw.headers ?? {})) headers[name] = headerText(value);
  const textual = raw.value === null || isUtf8(raw.value);
  return {
    failedAt: failedAt.toISOString(),
    service,
    reason: rejection.reason,
    errors: rejection.errors.map(maskPersonalData),
    original: {
      topic: raw.topic,
      partition: raw.partition,
      offset: raw.offset,
      key: raw.key === null ? null : raw.key.toString('utf8'),
      headers,
      value: raw.value === null ? null : raw.value.toString(textual ? 'utf8' : 'base64'),
      ...(textual ? {} : { valueEncoding: 'base64' as const }),
    },
  };
}
