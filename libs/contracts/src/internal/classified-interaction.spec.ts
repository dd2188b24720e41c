import { RejectionReason } from '../dead-letter/rejection';
import { decodeInboundEvent } from '../inbound/inbound-event.decoder';
import { ClassificationSummary, ClassifiedInteraction, decodeClassifiedInteraction, encodeClassifiedInteraction } from './classified-interaction';

const classification: ClassificationSummary = {
  sector: 'compensation_fund',
  intent: 'cuota_monetaria',
  emergency: false,
  confidence: 0.87,
  evidence: [
    { source: 'ivr_path', detail: 'IVR path 2>1 → compensation_fund', weight: 1 },
    { source: 'text', detail: 'intent cuota_monetaria 0.91 "niños"', weight: 0.91 },
  ],
};
const classifiedAt = '2026-04-14T20:04:05.200Z';

/** As the telephony platform may write it: pretty-printed, unknown fields, text beyond ASCII, no tenant. */
const arrivalAsWritten = `
  {
    "specVersion": "1",
    "eventId": "evt-000123",
    "type": "interaction.arrived",
    "interactionId": "wa-5731-000981",
    "occurredAt": "2026-04-14T15:04:05.123-05:00",
    "channel": "whatsapp",
    "entryPoint": "wa:+573001112233",
    "text": "¿Cuándo me pagan la cuota monetaria de mis niños? 🙏 \\"urgente\\"",
    "customer": { "phone": "+573105550101", "segment": "standard", "region": "medellín" },
    "somethingNew": { "nested": [1, 2, 3] }
  }
`;
const abandonAsWritten =
  '{"specVersion":"1","eventId":"evt-000124","type":"interaction.abandoned","interactionId":"wa-5731-000981","occurredAt":"2026-04-14T15:06:10.000-05:00","reason":"customer_left"}';

function decodedEvent(value: Buffer) {
  const decoded = decodeInboundEvent(value);
  if (!decoded.ok) throw new Error(`fixture rejected: ${decoded.rejection.errors.join('; ')}`);
  return decoded.event;
}

function decodedMessage(value: Buffer): ClassifiedInteraction {
  const decoded = decodeClassifiedInteraction(value);
  if (!decoded.ok) throw new Error(`rejected: ${decoded.rejection.errors.join('; ')}`);
  return decoded.event;
}

describe('classified interaction encoding', () => {
  it('is the JSON of the message, with the inbound bytes as its event', () => {
    const inbound = Buffer.from(arrivalAsWritten, 'utf8');
    const encoded = encodeClassifiedInteraction(inbound, classification, classifiedAt);
    expect(JSON.parse(encoded.toString('utf8'))).toEqual({ event: JSON.parse(arrivalAsWritten), classification, classifiedAt });
    expect(encoded.includes(inbound)).toBe(true);
  });

  it('gives the router the event the classifier decoded, default tenant included', () => {
    const inbound = Buffer.from(arrivalAsWritten, 'utf8');
    const message = decodedMessage(encodeClassifiedInteraction(inbound, classification, classifiedAt));
    const event = decodedEvent(inbound);
    expect(event.tenant).toBe('default');
    expect(message).toEqual({ event, classification, classifiedAt });
    // The same message as serialising the classifier's parsed event.
    expect(message).toEqual(decodedMessage(Buffer.from(JSON.stringify({ event, classification, classifiedAt }), 'utf8')));
  });

  it('carries events without a classification', () => {
    const inbound = Buffer.from(abandonAsWritten, 'utf8');
    const message = decodedMessage(encodeClassifiedInteraction(inbound, null, classifiedAt));
    expect(message.classification).toBeNull();
    expect(message.event).toEqual(decodedEvent(inbound));
  });

  it('reads a slice of a larger buffer as its own bytes only', () => {
    const fetched = Buffer.from(`xx${abandonAsWritten}yy`, 'utf8');
    const inbound = fetched.subarray(2, fetched.length - 2);
    expect(decodedMessage(encodeClassifiedInteraction(inbound, null, classifiedAt)).event).toEqual(decodedEvent(inbound));
  });

  it('still lets the router reject an arrival that lost its classification', () => {
    const decoded = decodeClassifiedInteraction(encodeClassifiedInteraction(Buffer.from(arrivalAsWritten, 'utf8'), null, classifiedAt));
    expect(decoded).toEqual({
      ok: false,
      rejection: { reason: RejectionReason.ValidationFailed, errors: ['classification: required for interaction.arrived'] },
    });
  });
});
