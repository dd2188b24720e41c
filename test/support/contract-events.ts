import { randomUUID } from 'node:crypto';

const CHANNELS = ['voice', 'chat', 'whatsapp', 'video', 'email'] as const;
const ENTRY_POINTS = ['+576014441000', '+576014442000', '+576014443000', '+576014444000', '+576014445000', 'webchat:food-app', 'wa:+573001112233'];

/** A valid `interaction.arrived`, varied by index; overrides win. */
export function arrival(index: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    specVersion: '1',
    eventId: `evt-${randomUUID()}`,
    type: 'interaction.arrived',
    interactionId: `int-${index}-${randomUUID().slice(0, 8)}`,
    occurredAt: new Date(Date.now() - 60_000 + index).toISOString(),
    tenant: 'test',
    channel: CHANNELS[index % CHANNELS.length],
    entryPoint: ENTRY_POINTS[index % ENTRY_POINTS.length],
    customer: { phone: '+573105550101', segment: index % 9 === 0 ? 'vip' : 'standard', region: 'bogota' },
    ...overrides,
  };
}

export function lifecycle(
  type: 'interaction.abandoned' | 'interaction.answered' | 'interaction.ended',
  interactionId: string,
  extra: Record<string, unknown> = {},
) {
  return {
    specVersion: '1',
    eventId: `evt-${randomUUID()}`,
    type,
    interactionId,
    occurredAt: new Date().toISOString(),
    tenant: 'test',
    ...(type === 'interaction.answered' ? { agentId: 'agent-7' } : {}),
    ...extra,
  };
}

/** One malformed record per kind the contract names, cycling by index, with the reason expected. */
export function malformed(index: number): { key: string; value: string | Buffer; reason: string } {
  const key = `bad-${index}`;
  switch (index % 6) {
    case 0:
      return { key, value: '{"specVersion":"1","type":', reason: 'invalid_json' };
    case 1:
      return { key, value: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), reason: 'invalid_encoding' };
    case 2:
      return { key, value: JSON.stringify({ ...arrival(index), channel: 'fax', occurredAt: 'ayer' }), reason: 'validation_failed' };
    case 3:
      return { key, value: JSON.stringify({ ...arrival(index), type: 'interaction.teleported' }), reason: 'unknown_type' };
    case 4:
      return { key, value: JSON.stringify({ ...arrival(index), specVersion: '9' }), reason: 'unsupported_version' };
    default:
      return { key, value: JSON.stringify({ ...arrival(index), text: 'a'.repeat(70 * 1024) }), reason: 'too_large' };
  }
}
