import { RoutingInput } from './routing-decision';

/** What an arrival brings to a decision besides its classification (the contract's arrival, as far as routing reads it). */
export interface ArrivalFacts {
  channel: string;
  tenant?: string;
  customer?: { segment?: string; region?: string };
  attributes?: Record<string, string | number | boolean>;
}

export type ClassificationFacts = Pick<RoutingInput, 'sector' | 'intent' | 'emergency' | 'possibleEmergency' | 'confidence'>;

/**
 * The facts the rules decide an arrival on. One function for the router and for the ops API's
 * dry-run replay, so that a replay decides on exactly what the router would have.
 */
export function routingInputOf(arrival: ArrivalFacts, classification: ClassificationFacts, at: Date): RoutingInput {
  const { sector, intent, emergency, possibleEmergency, confidence } = classification;
  return {
    sector,
    intent,
    emergency,
    possibleEmergency,
    confidence,
    channel: arrival.channel,
    tenant: arrival.tenant ?? 'default',
    customerSegment: arrival.customer?.segment,
    customerRegion: arrival.customer?.region,
    attributes: arrival.attributes,
    at,
  };
}
