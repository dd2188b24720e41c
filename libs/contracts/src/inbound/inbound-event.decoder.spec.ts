import { RejectionReason } from '../dead-letter/rejection';
import { decodeInboundEvent } from './inbound-event.decoder';

const arrival = {
  specVersion: '1',
  eventId: 'evt-000123',
  type: 'interaction.arrived',
  interactionId: 'wa-5731-000981',
  occurredAt: '2026-04-14T15:04:05.123-05:00',
  tenant: 'caja-andina',
  channel: 'whatsapp',
  entryPoint: 'wa:+573001112233',
  text: 'Hola, quiero saber cuando me pagan la cuota monetaria de mis hijos',
  customer: { phone: '+573105550101', segment: 'standard', region: 'medellin' },
};
const encode = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));

function rejectionOf(value: Buffer | null) {
  const decoded = decodeInboundEvent(value);
  if (decoded.ok) throw new Error('expected a rejection');
  return decoded.rejection;
}

describe('inbound event decoder', () => {
  it('accepts the contract examples and ignores unknown extra fields', () => {
    const decoded = decodeInboundEvent(encode({ ...arrival, somethingNew: { nested: true } }));
    expect(decoded.ok).toBe(true);
    const abandoned = decodeInboundEvent(
      encode({
        specVersion: '1',
        eventId: 'evt-000124',
        type: 'interaction.abandoned',
        interactionId: 'wa-5731-000981',
        occurredAt: '2026-04-14T15:06:10.000-05:00',
        reason: 'customer_left',
      }),
    );
    expect(abandoned.ok && abandoned.event.tenant).toBe('default');
  });

  it.each([
    ['an empty record', null, RejectionReason.EmptyRecord],
    ['a record over 64 KiB', encode({ ...arrival, text: 'x'.repeat(70 * 1024) }), RejectionReason.TooLarge],
    ['bytes that are not UTF-8', Buffer.from([0x7b, 0xc3, 0x28, 0x7d]), RejectionReason.InvalidEncoding],
    ['text that is not JSON', encode('{"specVersion":"1",'), RejectionReason.InvalidJson],
    ['another contract version', encode({ ...arrival, specVersion: '2' }), RejectionReason.UnsupportedVersion],
    ['an unknown type', encode({ ...arrival, type: 'interaction.teleported' }), RejectionReason.UnknownType],
    ['a JSON array', encode([arrival]), RejectionReason.ValidationFailed],
  ])('rejects %s with a machine reason and a message', (_label, value, reason) => {
    const rejection = rejectionOf(value);
    expect(rejection.reason).toBe(reason);
    expect(rejection.errors.length).toBeGreaterThan(0);
  });

  it('names every invalid field, nested ones with their path', () => {
    const rejection = rejectionOf(
      encode({
        ...arrival,
        channel: 'fax',
        occurredAt: '2026-04-14 15:04',
        customer: { phone: '3105550101', segment: 'gold' },
        attributes: { plan: { deep: 1 } },
        text: 'x'.repeat(4001),
      }),
    );
    expect(rejection.reason).toBe(RejectionReason.ValidationFailed);
    const joined = rejection.errors.join('\n');
    for (const field of ['channel', 'occurredAt', 'customer.phone', 'customer.segment', 'attributes', 'text']) expect(joined).toContain(field);
  });

  it('requires a timestamp with a zone, since a bare local time is ambiguous', () => {
    expect(rejectionOf(encode({ ...arrival, occurredAt: '2026-04-14T15:04:05' })).errors.join()).toContain('occurredAt');
    expect(decodeInboundEvent(encode({ ...arrival, occurredAt: '2026-04-14T20:04:05Z' })).ok).toBe(true);
  });

  it('requires a transfer to name a target sector or queue', () => {
    const transfer = { specVersion: '1', eventId: 'e9', type: 'interaction.transferred', interactionId: 'i9', occurredAt: '2026-04-14T15:04:05Z' };
    expect(rejectionOf(encode(transfer)).errors.join()).toMatch(/targetSector|targetQueue/);
    expect(decodeInboundEvent(encode({ ...transfer, targetQueue: 'online_doctor' })).ok).toBe(true);
    expect(decodeInboundEvent(encode({ ...transfer, targetSector: 'health' })).ok).toBe(true);
  });

  it('requires the agent of an answer', () => {
    const answered = { specVersion: '1', eventId: 'e8', type: 'interaction.answered', interactionId: 'i8', occurredAt: '2026-04-14T15:04:05Z' };
    expect(rejectionOf(encode(answered)).errors.join()).toContain('agentId');
  });
});
