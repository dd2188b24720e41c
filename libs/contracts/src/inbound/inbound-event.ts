import { InteractionAbandonedEvent } from './interaction-abandoned/interaction-abandoned.event';
import { InteractionAnsweredEvent } from './interaction-answered/interaction-answered.event';
import { InteractionArrivedEvent } from './interaction-arrived/interaction-arrived.event';
import { InteractionEndedEvent } from './interaction-ended/interaction-ended.event';
import { InteractionTransferredEvent } from './interaction-transferred/interaction-transferred.event';
import { InboundEventType } from './inbound-event-type';

export type InboundEvent = InteractionArrivedEvent | InteractionAbandonedEvent | InteractionAnsweredEvent | InteractionTransferredEvent | InteractionEndedEvent;

/** One class per inbound type: the decoder validates against the class its `type` names. */
export const INBOUND_EVENT_CLASSES: Readonly<Record<InboundEventType, new () => InboundEvent>> = {
  [InboundEventType.Arrived]: InteractionArrivedEvent,
  [InboundEventType.Abandoned]: InteractionAbandonedEvent,
  [InboundEventType.Answered]: InteractionAnsweredEvent,
  [InboundEventType.Transferred]: InteractionTransferredEvent,
  [InboundEventType.Ended]: InteractionEndedEvent,
};
