import { DiscoveryService } from '@nestjs/core';
import { ClassifiedInteraction, InboundEventType, InteractionRoutedEvent, Rejection } from '@conmutador/contracts';
import { QueueCommand, QueuePlacement } from '@conmutador/redis-queues';

/**
 * Marks a provider as the handler of some inbound event types. The registry finds them at boot
 * and refuses to start when a type has no handler or two.
 */
export const HandlesInboundEvents = DiscoveryService.createDecorator<InboundEventType[]>();

export interface InboundEventHandler {
  /** What the event asks of the queues, or why it cannot be acted on. Pure: no I/O. */
  command(message: ClassifiedInteraction): QueueCommand | Rejection;
  /** The decision to publish once the command has had its effect. */
  routedEvent(message: ClassifiedInteraction, placement: QueuePlacement): InteractionRoutedEvent;
}
