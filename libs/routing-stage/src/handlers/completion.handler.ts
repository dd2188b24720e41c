import { Injectable } from '@nestjs/common';
import { ClassifiedInteraction, DequeueReason, InboundEventType, InteractionRoutedEvent, RoutedEventType } from '@conmutador/contracts';
import { DequeueCommand, QueuePlacement } from '@conmutador/redis-queues';
import { buildRoutedEvent } from './routed-event.factory';
import { HandlesInboundEvents, InboundEventHandler } from './inbound-event-handler';

const REASON: Partial<Record<InboundEventType, DequeueReason>> = {
  [InboundEventType.Answered]: DequeueReason.Answered,
  [InboundEventType.Abandoned]: DequeueReason.Abandoned,
  [InboundEventType.Ended]: DequeueReason.Ended,
};

/** Answered, abandoned and ended all take the interaction out of its queue; only the first counts. */
@Injectable()
@HandlesInboundEvents([InboundEventType.Answered, InboundEventType.Abandoned, InboundEventType.Ended])
export class CompletionHandler implements InboundEventHandler {
  command({ event }: ClassifiedInteraction): DequeueCommand {
    return {
      kind: 'dequeue',
      eventId: event.eventId,
      interactionId: event.interactionId,
      reason: REASON[event.type]!,
      occurredAtMs: Date.parse(event.occurredAt),
    };
  }

  routedEvent({ event }: ClassifiedInteraction, placement: QueuePlacement): InteractionRoutedEvent {
    return buildRoutedEvent({
      type: RoutedEventType.Dequeued,
      interactionId: event.interactionId,
      causationId: event.eventId,
      placement,
      reason: REASON[event.type],
    });
  }
}
