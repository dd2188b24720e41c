import { maskPersonalData } from '@conmutador/contracts';
import { REDACTED_FIELD_NAMES } from './redaction';

/**
 * Fields that hold operational values and never personal data: Kafka positions, time, process and
 * request identity, event and interaction ids. They are not scanned, so a seven-digit offset or a
 * ten-digit epoch in seconds stays readable. So are fields named like durations (`retryInMs`),
 * instants (`failedAt`), offsets, counts and sizes. Everything else is scanned, strings by their
 * text and integers by their digits (`attributes` may carry a phone number as a number).
 */
const OPERATIONAL_FIELDS: ReadonlySet<string> = new Set([
  'offset',
  'offsets',
  'highWatermark',
  'partition',
  'partitions',
  'time',
  'timestamp',
  'pid',
  'port',
  'hostname',
  'reqId',
  'correlationId',
  'generationId',
  'eventId',
  'causationId',
  'interactionId',
]);
const OPERATIONAL_FIELD_SUFFIX = /(?:Ms|At|Offset|Count|Bytes)$/;

/**
 * Top-level fields not scanned by content: pino-http builds `req` and `res` from Node's request and
 * response objects, and the serializers mask what they build; the redacted fields (`text`, up to
 * 4,000 characters, among them) are replaced whole by pino's redaction anyway.
 */
const SERIALIZED_FIELDS: ReadonlySet<string> = new Set(['req', 'res', ...REDACTED_FIELD_NAMES]);

/** What a reference back to an enclosing object becomes; the same words pino writes for one. */
const CIRCULAR = '[Circular]';

function isOperational(field: string): boolean {
  return OPERATIONAL_FIELDS.has(field) || OPERATIONAL_FIELD_SUFFIX.test(field);
}

/**
 * The value with personal data masked wherever it sits: strings, integers, nested objects, arrays,
 * errors (message, stack, cause and any property). Copy on write: a value with nothing to mask is
 * returned as the same reference, so a clean log line copies nothing. Errors are copied with
 * their prototype, so a logger's error serializer still names their type.
 */
export function maskLogValue(value: unknown): unknown {
  return maskValue(value, []);
}

/** pino's `logMethod` hook arguments: (mergingObject | message, ...message and interpolation values). */
export function maskLogArguments<T extends unknown[]>(args: T): T {
  let masked: unknown[] | undefined;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    const result = index === 0 && isRecord(arg) && !(arg instanceof Error) ? maskFields(arg, [arg], SERIALIZED_FIELDS) : maskValue(arg, []);
    if (result !== arg) {
      masked ??= [...args];
      masked[index] = result;
    }
  }
  return (masked ?? args) as T;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function maskValue(value: unknown, enclosing: object[]): unknown {
  switch (typeof value) {
    case 'string':
      return maskPersonalData(value);
    case 'number':
      return Number.isInteger(value) ? maskInteger(value) : value;
    case 'bigint':
      return maskInteger(value);
    case 'object':
      return value === null ? value : maskObject(value, enclosing);
    default:
      return value;
  }
}

function maskInteger(value: number | bigint): number | bigint | string {
  // Fewer than six digits is no phone number or id: most numbers end here, with no string made.
  if (value < 100_000 && value > -100_000) return value;
  const digits = String(value);
  const masked = maskPersonalData(digits);
  return masked === digits ? value : masked;
}

function maskObject(value: object, enclosing: object[]): unknown {
  if (enclosing.includes(value)) return CIRCULAR;
  if (ArrayBuffer.isView(value)) return value;
  enclosing.push(value);
  try {
    if (value instanceof Error) return maskError(value, enclosing);
    if (Array.isArray(value)) return maskArray(value, enclosing);
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') {
      // A Date, or anything else that says what it serializes to: what gets written is what is scanned.
      const json: unknown = toJSON.call(value);
      const masked = maskValue(json, enclosing);
      return masked === json ? value : masked;
    }
    return maskFields(value as Record<string, unknown>, enclosing);
  } finally {
    enclosing.pop();
  }
}

function maskArray(items: unknown[], enclosing: object[]): unknown[] {
  let masked: unknown[] | undefined;
  for (let index = 0; index < items.length; index++) {
    const result = maskValue(items[index], enclosing);
    if (result !== items[index]) {
      masked ??= [...items];
      masked[index] = result;
    }
  }
  return masked ?? items;
}

function maskFields(record: Record<string, unknown>, enclosing: object[], skipped?: ReadonlySet<string>): Record<string, unknown> {
  let masked: Record<string, unknown> | undefined;
  for (const field of Object.keys(record)) {
    if (isOperational(field) || skipped?.has(field)) continue;
    const value = record[field];
    const result = maskValue(value, enclosing);
    if (result !== value) {
      masked ??= { ...record };
      masked[field] = result;
    }
  }
  return masked ?? record;
}

function maskError(error: Error, enclosing: object[]): Error {
  let masked: Error | undefined;
  // Own properties, enumerable or not: message and stack are not enumerable, and a serializer reads them.
  for (const field of Object.getOwnPropertyNames(error)) {
    if (isOperational(field)) continue;
    const value = (error as unknown as Record<string, unknown>)[field];
    const result = maskValue(value, enclosing);
    if (result !== value) {
      masked ??= copyError(error);
      const { enumerable } = Object.getOwnPropertyDescriptor(error, field) ?? { enumerable: true };
      Object.defineProperty(masked, field, { value: result, enumerable, writable: true, configurable: true });
    }
  }
  return masked ?? error;
}

function copyError(error: Error): Error {
  const copy = Object.create(Object.getPrototypeOf(error) as object) as Error;
  for (const field of Reflect.ownKeys(error)) {
    Object.defineProperty(copy, field, Object.getOwnPropertyDescriptor(error, field) as PropertyDescriptor);
  }
  return copy;
}
