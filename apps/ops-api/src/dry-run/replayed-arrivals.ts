import { KafkaMessage } from 'kafkajs';
import { classificationInputOf, InteractionClassifier } from '@conmutador/classification';
import { decodeInboundEvent, InboundEventType, InteractionArrivedEvent } from '@conmutador/contracts';
import { RoutingInput } from '@conmutador/routing';

export interface ReplayedInteraction {
  id: string;
  input: RoutingInput;
}

/**
 * Turns replayed inbound records into what the router would have routed: valid arrivals only,
 * each interaction once (the router applies its first arrival), classified as the classifier
 * service would, and decided for the moment the customer arrived.
 */
export class ReplayedArrivals {
  readonly interactions: ReplayedInteraction[] = [];
  otherEvents = 0;
  invalidRecords = 0;
  duplicateArrivals = 0;
  private readonly seen = new Set<string>();

  constructor(private readonly classifier: InteractionClassifier) {}

  add(message: KafkaMessage): void {
    const decoded = decodeInboundEvent(message.value);
    if (!decoded.ok) {
      this.invalidRecords += 1;
      return;
    }
    if (decoded.event.type !== InboundEventType.Arrived) {
      this.otherEvents += 1;
      return;
    }
    const arrival = decoded.event as InteractionArrivedEvent;
    if (this.seen.has(arrival.interactionId)) {
      this.duplicateArrivals += 1;
      return;
    }
    this.seen.add(arrival.interactionId);
    const classification = this.classifier.classify(classificationInputOf(arrival));
    this.interactions.push({
      id: arrival.interactionId,
      input: {
        sector: classification.sector,
        intent: classification.intent,
        emergency: classification.emergency,
        confidence: classification.confidence,
        channel: arrival.channel,
        tenant: arrival.tenant ?? 'default',
        customerSegment: arrival.customer?.segment,
        customerRegion: arrival.customer?.region,
        attributes: arrival.attributes,
        at: new Date(arrival.occurredAt),
      },
    });
  }
}
