import { IsIn, IsString, Length } from 'class-validator';
import { InboundEnvelope } from '../inbound-envelope';
import { InboundEventType } from '../inbound-event-type';

export class InteractionAnsweredEvent extends InboundEnvelope {
  @IsIn([InboundEventType.Answered])
  type!: InboundEventType.Answered;

  @IsString()
  @Length(1, 128)
  agentId!: string;
}
