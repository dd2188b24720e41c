import { Inject, Injectable } from '@nestjs/common';
import {
  ClassifiedInteraction,
  InboundEventType,
  InteractionRoutedEvent,
  InteractionTransferredEvent,
  RequeueReason,
  RoutedEventType,
} from '@conmutador/contracts';
import { MoveCommand, QueuePlacement } from '@conmutador/redis-queues';
import { RoutingPolicy } from '@conmutador/routing';
import { ROUTING_POLICY } from '../router.tokens';
import { buildRoutedEvent } from './routed-event.factory';
import { HandlesInboundEvents, InboundEventHandler } from './inbound-event-handler';

/** A transfer moves the interaction to the named queue (or its sector's queue), keeping its age. */
@Injectable()
@HandlesInboundEvents([InboundEventType.Transferred])
export class TransferHandler implements InboundEventHandler {
  constructor(@Inject(ROUTING_POLICY) private readonly policy: RoutingPolicy) {}

  command({ event }: ClassifiedInteraction): MoveCommand {
    const transfer = event as InteractionTransferredEvent;
    const targetQueue =
      transfer.targetQueue ??
      this.policy.decide({ sector: transfer.targetSector!, intent: 'other', emergency: false, confidence: 1, channel: 'voice', tenant: transfer.tenant ?? 'default', at: new Date() }).queue;
    return { kind: 'move', eventId: transfer.eventId, interactionId: transfer.interactionId, targetQueue, ruleId: 'transfer' };
  }

  routedEvent({ event }: ClassifiedInteraction, placement: QueuePlacement): InteractionRoutedEvent {
    return buildRoutedEvent({
      type: RoutedEventType.Requeued,
      interactionId: event.interactionId,
      causationId: event.eventId,
      placement,
      reason: RequeueReason.Transfer,
    });
  }
}
