import { Injectable } from '@nestjs/common';
import {
  ClassifiedInteraction,
  InboundEventType,
  InteractionArrivedEvent,
  InteractionRoutedEvent,
  RequeueReason,
  RoutedEventType,
} from '@conmutador/contracts';
import { EnqueueCommand, QueuePlacement } from '@conmutador/redis-queues';
import { routingInputOf } from '@conmutador/routing';
import { RoutingPolicyHolder } from '../routing-policy.holder';
import { buildRoutedEvent } from './routed-event.factory';
import { HandlesInboundEvents, InboundEventHandler } from './inbound-event-handler';

@Injectable()
@HandlesInboundEvents([InboundEventType.Arrived])
export class ArrivalHandler implements InboundEventHandler {
  constructor(private readonly policies: RoutingPolicyHolder) {}

  command({ event, classification }: ClassifiedInteraction): EnqueueCommand {
    const arrival = event as InteractionArrivedEvent;
    // The decoder guarantees a classification on arrivals.
    const { sector, intent, emergency, possibleEmergency, confidence, evidence } = classification!;
    const tenant = arrival.tenant ?? 'default';
    const policy = this.policies.current();
    const now = Date.now();
    const decision = policy.decide(routingInputOf(arrival, { sector, intent, emergency, possibleEmergency, confidence }, new Date(now)));
    return {
      kind: 'enqueue',
      eventId: arrival.eventId,
      interactionId: arrival.interactionId,
      queue: decision.queue,
      domain: policy.domainOf(decision.queue),
      priority: decision.priority,
      // Age counts from when the customer arrived at the source, not from when we got to it.
      enqueuedAtMs: Date.parse(arrival.occurredAt),
      msPerPriorityPoint: decision.msPerPriorityPoint,
      overflow: this.policies.overflowFor(decision.queue),
      escalations: this.policies.schedule(policy, decision.escalations),
      classification: { sector, intent, emergency, confidence, evidence },
      nowMs: now,
      snapshot: {
        sector,
        intent,
        emergency,
        ...(possibleEmergency ? { possibleEmergency } : {}),
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
    return buildRoutedEvent({
      type: RoutedEventType.Queued,
      interactionId: event.interactionId,
      causationId: event.eventId,
      placement,
      // Extension: a queued event placed by surge overflow says so.
      reason: placement.overflowed ? RequeueReason.Overflow : undefined,
    });
  }
}
