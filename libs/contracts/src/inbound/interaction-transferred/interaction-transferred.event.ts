import { IsIn, IsOptional, IsString, Length, MaxLength, ValidateIf } from 'class-validator';
import { InboundEnvelope } from '../inbound-envelope';
import { InboundEventType } from '../inbound-event-type';

export class InteractionTransferredEvent extends InboundEnvelope {
  @IsIn([InboundEventType.Transferred])
  type!: InboundEventType.Transferred;

  // Contract: at least one of targetSector / targetQueue. Each is validated when present, and
  // required when the other is absent, so the error names the missing field.
  @ValidateIf((event: InteractionTransferredEvent) => event.targetSector !== undefined || event.targetQueue === undefined)
  @IsString({ message: 'targetSector or targetQueue is required (at least one of the two)' })
  @Length(1, 64)
  targetSector?: string;

  @ValidateIf((event: InteractionTransferredEvent) => event.targetQueue !== undefined || event.targetSector === undefined)
  @IsString({ message: 'targetQueue or targetSector is required (at least one of the two)' })
  @Length(1, 128)
  targetQueue?: string;

  @IsOptional()
  @IsString()
  @MaxLength(256)
  reason?: string;
}
