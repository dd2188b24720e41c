import { IsIn } from 'class-validator';
import { InboundEnvelope } from '../inbound-envelope';
import { InboundEventType } from '../inbound-event-type';

export class InteractionEndedEvent extends InboundEnvelope {
  @IsIn([InboundEventType.Ended])
  type!: InboundEventType.Ended;
}
