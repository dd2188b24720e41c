import { Rejection, RejectionReason } from '../dead-letter/rejection';
import { InboundEvent } from '../inbound/inbound-event';
import { Decoded, validateInboundEvent } from '../inbound/inbound-event.decoder';
import { InboundEventType } from '../inbound/inbound-event-type';

/** One signal that contributed to a classification, carried to the decision trace. */
export interface ClassificationEvidence {
  source: string;
  detail: string;
  weight: number;
}

export interface ClassificationSummary {
  sector: string;
  intent: string;
  emergency: boolean;
  /** Extension: the emergency evidence was uncertain; set only when true. */
  possibleEmergency?: boolean;
  confidence: number;
  evidence: ClassificationEvidence[];
}

/**
 * The classifier → router message on the internal topic. Every inbound event passes through it
 * (not only arrivals) so that an abandon can never overtake the arrival it refers to.
 */
export interface ClassifiedInteraction {
  event: InboundEvent;
  /** Present for arrivals (and transfers to a sector); null otherwise. */
  classification: ClassificationSummary | null;
  classifiedAt: string;
}

const EVENT_FIELD_OPENING = Buffer.from('{"event":', 'utf8');

/**
 * The classifier's side of the internal topic: the message's JSON, with `event` written as the
 * inbound record's own bytes rather than serialised again from the parsed event.
 *
 * `inboundValue` must be the record value that `decodeInboundEvent` accepted: one JSON object, in
 * UTF-8. The only change the decoder makes to the event (the default tenant) is made again by the
 * router's decoder, so the router reads the same event either way. Re-serialising it was most of
 * the cost of publishing a classified record.
 */
export function encodeClassifiedInteraction(inboundValue: Buffer, classification: ClassificationSummary | null, classifiedAt: string): Buffer {
  const rest = `,"classification":${JSON.stringify(classification)},"classifiedAt":${JSON.stringify(classifiedAt)}}`;
  const restBytes = Buffer.byteLength(rest, 'utf8');
  const encoded = Buffer.allocUnsafe(EVENT_FIELD_OPENING.length + inboundValue.length + restBytes);
  EVENT_FIELD_OPENING.copy(encoded, 0);
  inboundValue.copy(encoded, EVENT_FIELD_OPENING.length);
  encoded.write(rest, EVENT_FIELD_OPENING.length + inboundValue.length, restBytes, 'utf8');
  return encoded;
}

function rejection(reason: RejectionReason, ...errors: string[]): { ok: false; rejection: Rejection } {
  return { ok: false, rejection: { reason, errors } };
}

function isClassificationSummary(value: unknown): value is ClassificationSummary {
  if (value === null || typeof value !== 'object') return false;
  const c = value as Record<string, unknown>;
  return (
    typeof c.sector === 'string' &&
    typeof c.intent === 'string' &&
    typeof c.emergency === 'boolean' &&
    (c.possibleEmergency === undefined || typeof c.possibleEmergency === 'boolean') &&
    typeof c.confidence === 'number' &&
    Array.isArray(c.evidence)
  );
}

/**
 * The router's edge. The internal topic is written by the classifier, but the router trusts no
 * input: the embedded event is validated against the public contract again.
 */
export function decodeClassifiedInteraction(value: Buffer | null): Decoded<ClassifiedInteraction> {
  if (value === null || value.length === 0) return rejection(RejectionReason.EmptyRecord, 'the record has no value');
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString('utf8'));
  } catch (error) {
    return rejection(RejectionReason.InvalidJson, `the record value is not JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object') return rejection(RejectionReason.ValidationFailed, 'the record must be a JSON object');
  const message = parsed as Record<string, unknown>;
  const decodedEvent = validateInboundEvent(message.event);
  if (!decodedEvent.ok) return decodedEvent;
  const classification = message.classification ?? null;
  if (classification !== null && !isClassificationSummary(classification)) {
    return rejection(RejectionReason.ValidationFailed, 'classification: must have sector, intent, emergency, confidence and evidence');
  }
  if (decodedEvent.event.type === InboundEventType.Arrived && classification === null) {
    return rejection(RejectionReason.ValidationFailed, 'classification: required for interaction.arrived');
  }
  return {
    ok: true,
    event: {
      event: decodedEvent.event,
      classification,
      classifiedAt: typeof message.classifiedAt === 'string' ? message.classifiedAt : new Date().toISOString(),
    },
  };
}
