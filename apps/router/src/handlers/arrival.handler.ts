import { Inject, Injectable } from '@nestjs/common';
import {
  ClassifiedInteraction,
  InboundEventType,
  InteractionArrivedEvent,
  InteractionRoutedEvent,
  RoutedEventType,
} from '@conmutador/contracts';
import { EnqueueCommand, QueuePlacement } from '@conmutador/redis-queues';
import { RoutingPolicy } from '@conmutador/routing';
import { ROUTING_POLICY } from '../router.tokens';
import { buildRoutedEvent } from './routed-event.factory';
import { HandlesInboundEvents, InboundEventHandler } from './inbound-event-handler';

@Injectable()
@HandlesInboundEvents([InboundEventType.Arrived])
export class ArrivalHandler implements InboundEventHandler {
  constructor(@Inject(ROUTING_POLICY) private readonly policy: RoutingPolicy) {}

  command({ event, classification }: ClassifiedInteraction): EnqueueCommand {
    const arrival = event as InteractionArrivedEvent;
    // The decoder guarantees a classification on arrivals.
    const { sector, intent, emergency, confidence } = classification!;
    const tenant = arrival.tenant ?? 'default';
    const decision = this.policy.decide({
      sector,
      intent,
      emergency,
      confidence,
      channel: arrival.channel,
      tenant,
      customerSegment: arrival.customer?.segment,
      customerRegion: arrival.customer?.region,
      attributes: arrival.attributes,
      at: new Date(),
    });
    return {
      kind: 'enqueue',
      eventId: arrival.eventId,
      interactionId: arrival.interactionId,
      queue: decision.queue,
      priority: decision.priority,
      // Age counts from when the customer arrived at the source, not from when we got to it.
      enqueuedAtMs: Date.parse(arrival.occurredAt),
      snapshot: {
        sector,
        intent,
        emergency,
        confidence,
        tenant,
        channel: arrival.channel,
        requiredSkills: decision.requiredSkills,
        ruleId: decision.ruleId,
        rulesetVersion: decision.rulesetVersion,
      },
    };
  }

  routedEvent({ event }: ClassifiedInteraction, placement: QueuePlacement): InteractionRoutedEvent {
    return buildRoutedEvent({ type: RoutedEventType.Queued, interactionId: event.interactionId, causationId: event.eventId, placement });
  }
}
