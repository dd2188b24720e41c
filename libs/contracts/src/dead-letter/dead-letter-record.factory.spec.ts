import { decodeInboundEvent } from '../inbound/inbound-event.decoder';
import { PERSONAL_DATA_MASKS } from '../personal-data/personal-data';
import { toDeadLetterRecord } from './dead-letter-record.factory';
import { RejectionReason } from './rejection';

const FAILED_AT = new Date('2026-04-14T20:04:05.123Z');

function deadLetterOf(value: string) {
  const decoded = decodeInboundEvent(Buffer.from(value));
  if (decoded.ok) throw new Error('expected a rejection');
  return toDeadLetterRecord(
    {
      topic: 'interactions.inbound',
      partition: 4,
      offset: '1234567',
      key: Buffer.from('wa-5731-000981'),
      value: Buffer.from(value),
      headers: { 'x-source': 'ivr' },
    },
    decoded.rejection,
    'classifier',
    FAILED_AT,
  );
}

describe('dead-letter record', () => {
  it('masks the personal data its errors quote from the input, and keeps the input as it came in `original`', () => {
    const value = JSON.stringify({
      specVersion: '1',
      eventId: 'evt-000123',
      type: 'llamar al +57 300 123 4567 o escribir a ana.gomez@example.com, CC 1.023.456.789',
      interactionId: 'wa-5731-000981',
      occurredAt: '2026-04-14T15:04:05.123-05:00',
    });
    const dead = deadLetterOf(value);

    expect(dead.reason).toBe(RejectionReason.UnknownType);
    expect(dead.errors[0]).toMatch(
      new RegExp(`^type "llamar al \\${PERSONAL_DATA_MASKS.phone} o escribir a \\${PERSONAL_DATA_MASKS.email}, CC \\${PERSONAL_DATA_MASKS.id}" is not one of `),
    );
    expect(dead.original).toEqual({
      topic: 'interactions.inbound',
      partition: 4,
      offset: '1234567',
      key: 'wa-5731-000981',
      headers: { 'x-source': 'ivr' },
      value,
    });
  });

  it('masks the excerpt a JSON parser quotes', () => {
    const dead = deadLetterOf('hola 3001234567');
    expect(dead.reason).toBe(RejectionReason.InvalidJson);
    expect(dead.errors).toEqual([`the record value is not JSON: Unexpected token 'h', "hola ${PERSONAL_DATA_MASKS.phone}" is not valid JSON`]);
    expect(dead.original.value).toBe('hola 3001234567');
  });
});
