import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { InboundEnvelope } from '../inbound-envelope';
import { InboundEventType } from '../inbound-event-type';

export class InteractionAbandonedEvent extends InboundEnvelope {
  @IsIn([InboundEventType.Abandoned])
  type!: InboundEventType.Abandoned;

  @IsOptional()
  @IsString()
  @MaxLength(256)
  reason?: string;
}
