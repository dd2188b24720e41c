import { KafkaMessage } from 'kafkajs';
import { ClassificationInput, classificationInputOf } from '@conmutador/classification';
import { decodeInboundEvent, InboundEventType, InteractionArrivedEvent } from '@conmutador/contracts';
import { RoutingInput, routingInputOf } from '@conmutador/routing';
import { ReplayClassification } from './replay-classifier.protocol';

export interface ReplayedInteraction {
  id: string;
  input: RoutingInput;
}

/**
 * Turns replayed inbound records into what the router would have routed: valid arrivals only,
 * each interaction once (the router applies its first arrival), classified as the classifier
 * service would, and decided for the moment the customer arrived.
 *
 * Arrivals are gathered first and classified afterwards, all at once, because classification
 * happens in another thread (see ReplayClassifier).
 */
export class ReplayedArrivals {
  readonly arrivals: InteractionArrivedEvent[] = [];
  otherEvents = 0;
  invalidRecords = 0;
  duplicateArrivals = 0;
  private readonly seen = new Set<string>();

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
    this.arrivals.push(arrival);
  }

  /** What the classifier looks at, one per arrival, in order. */
  classificationInputs(): ClassificationInput[] {
    return this.arrivals.map(classificationInputOf);
  }

  /** The routing inputs, given one classification per arrival, in order. */
  interactions(classifications: readonly ReplayClassification[]): ReplayedInteraction[] {
    if (classifications.length !== this.arrivals.length) {
      throw new Error(`expected ${this.arrivals.length} classifications, got ${classifications.length}`);
    }
    return this.arrivals.map((arrival, index) => ({
      id: arrival.interactionId,
      input: routingInputOf(arrival, classifications[index], new Date(arrival.occurredAt)),
    }));
  }
}
