import { DiscoveryService } from '@nestjs/core';
import { ClassifiedInteraction, InboundEventType, InteractionRoutedEvent, Rejection } from '@conmutador/contracts';
import { InteractionSnapshot, QueueCommand, QueuePlacement } from '@conmutador/redis-queues';

/**
 * Marks a provider as the handler of some inbound event types. The registry finds them at boot
 * and refuses to start when a type has no handler or two.
 */
export const HandlesInboundEvents = DiscoveryService.createDecorator<InboundEventType[]>();

/** Where a waiting interaction is now, read before deciding when a handler asks for it. */
export interface CurrentState {
  queue: string;
  priority: number;
  snapshot: InteractionSnapshot;
}

export interface InboundEventHandler {
  /** True when `command` needs the interaction's current state (one extra read per chunk). */
  readonly needsCurrentState?: boolean;
  /** What the event asks of the queues, or why it cannot be acted on. Pure: no I/O. */
  command(message: ClassifiedInteraction, current?: CurrentState): QueueCommand | Rejection;
  /** The decision to publish once the command has had its effect. */
  routedEvent(message: ClassifiedInteraction, placement: QueuePlacement): InteractionRoutedEvent;
}
