import { isUtf8 } from 'node:buffer';
import { plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';
import { Rejection, RejectionReason } from '../dead-letter/rejection';
import { CompiledValidator, compileValidator } from '../validation/compiled-validator';
import { INBOUND_EVENT_CLASSES, InboundEvent } from './inbound-event';
import { DEFAULT_TENANT, InboundEventType, MAX_INBOUND_RECORD_BYTES, SUPPORTED_SPEC_VERSIONS } from './inbound-event-type';

export type Decoded<T> = { ok: true; event: T } | { ok: false; rejection: Rejection };

function reject(reason: RejectionReason, ...errors: string[]): { ok: false; rejection: Rejection } {
  return { ok: false, rejection: { reason, errors } };
}

/** Flattens nested class-validator errors into `customer.phone: must be …` lines. */
export function describeValidationErrors(errors: ValidationError[], parent = ''): string[] {
  const lines: string[] = [];
  for (const error of errors) {
    const path = parent ? `${parent}.${error.property}` : error.property;
    for (const message of Object.values(error.constraints ?? {})) {
      lines.push(message.startsWith(error.property) ? `${parent ? `${parent}.` : ''}${message}` : `${path}: ${message}`);
    }
    if (error.children?.length) lines.push(...describeValidationErrors(error.children, path));
  }
  return lines;
}

const KNOWN_TYPES = new Set<string>(Object.values(InboundEventType));

// Compiled when the contracts load: a decorator the compiler does not understand stops the start.
const COMPILED_VALIDATORS = Object.fromEntries(
  Object.entries(INBOUND_EVENT_CLASSES).map(([type, eventClass]) => [type, compileValidator(eventClass)]),
) as Record<InboundEventType, CompiledValidator>;

/**
 * The consumer edge: raw Kafka bytes in, a validated contract event or a rejection out.
 * Never throws on input; every failure carries a machine reason and human-readable errors.
 */
export function decodeInboundEvent(value: Buffer | null, maxBytes = MAX_INBOUND_RECORD_BYTES): Decoded<InboundEvent> {
  if (value === null || value.length === 0) return reject(RejectionReason.EmptyRecord, 'the record has no value');
  if (value.length > maxBytes) {
    return reject(RejectionReason.TooLarge, `the record is ${value.length} bytes; the limit is ${maxBytes} bytes`);
  }
  if (!isUtf8(value)) return reject(RejectionReason.InvalidEncoding, 'the record value is not valid UTF-8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString('utf8'));
  } catch (error) {
    return reject(RejectionReason.InvalidJson, `the record value is not JSON: ${(error as Error).message}`);
  }
  return validateInboundEvent(parsed);
}

export function validateInboundEvent(parsed: unknown): Decoded<InboundEvent> {
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return reject(RejectionReason.ValidationFailed, 'the event must be a JSON object');
  }
  const candidate = parsed as Record<string, unknown>;
  if (candidate.specVersion !== undefined && !SUPPORTED_SPEC_VERSIONS.includes(String(candidate.specVersion))) {
    return reject(
      RejectionReason.UnsupportedVersion,
      `specVersion ${JSON.stringify(candidate.specVersion)} is not supported; supported: ${SUPPORTED_SPEC_VERSIONS.join(', ')}`,
    );
  }
  if (typeof candidate.type !== 'string') return reject(RejectionReason.ValidationFailed, 'type: must be a string naming the event type');
  if (!KNOWN_TYPES.has(candidate.type)) {
    return reject(RejectionReason.UnknownType, `type "${candidate.type}" is not one of ${[...KNOWN_TYPES].join(', ')}`);
  }
  if (COMPILED_VALIDATORS[candidate.type as InboundEventType](candidate)) {
    // The valid case, nearly every record: the parsed JSON is the event, no instance copy needed.
    const event = candidate as unknown as InboundEvent;
    event.tenant ??= DEFAULT_TENANT;
    return { ok: true, event };
  }
  // Invalid (or a disagreement, which the class-validator verdict settles): the full validation
  // names every bad field.
  const eventClass = INBOUND_EVENT_CLASSES[candidate.type as InboundEventType];
  const event = plainToInstance(eventClass, candidate);
  const errors = validateSync(event, { forbidUnknownValues: false });
  if (errors.length > 0) return reject(RejectionReason.ValidationFailed, ...describeValidationErrors(errors));
  event.tenant ??= DEFAULT_TENANT;
  return { ok: true, event };
}
