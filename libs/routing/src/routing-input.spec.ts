import { routingInputOf } from './routing-input';

describe('routingInputOf', () => {
  const classification = { sector: 'oxygen', intent: 'supply', emergency: false, possibleEmergency: true, confidence: 0.8 };
  const at = new Date('2026-12-07T12:00:00Z');

  it('takes the classification and the arrival facts the rules read', () => {
    const arrival = { channel: 'whatsapp', tenant: 'eps-norte', customer: { segment: 'vip', region: 'monteria' }, attributes: { plan: 'gold' } };
    expect(routingInputOf(arrival, classification, at)).toEqual({
      ...classification,
      channel: 'whatsapp',
      tenant: 'eps-norte',
      customerSegment: 'vip',
      customerRegion: 'monteria',
      attributes: { plan: 'gold' },
      at,
    });
  });

  it('puts an arrival without a tenant in the default tenant', () => {
    expect(routingInputOf({ channel: 'voice' }, classification, at).tenant).toBe('default');
  });
});
