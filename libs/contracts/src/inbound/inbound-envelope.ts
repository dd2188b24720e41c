// class-transformer's @Type reads decorator metadata: the contracts load it themselves, wherever they are used.
import 'reflect-metadata';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { InboundEventType, SUPPORTED_SPEC_VERSIONS } from './inbound-event-type';

/** ISO-8601 date-time that names its zone (`Z` or `±hh:mm`): a bare local time is ambiguous. */
export const ISO_8601_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

export abstract class InboundEnvelope {
  @IsIn(SUPPORTED_SPEC_VERSIONS, { message: 'specVersion must be "1"' })
  specVersion!: string;

  @IsString()
  @Length(1, 128)
  eventId!: string;

  abstract type: InboundEventType;

  @IsString()
  @Length(1, 128)
  interactionId!: string;

  @Matches(ISO_8601_WITH_ZONE, { message: 'occurredAt must be an ISO-8601 timestamp with a zone, e.g. 2026-04-14T15:04:05.123-05:00' })
  occurredAt!: string;

  @IsOptional()
  @IsString()
  @Length(1, 128)
  tenant?: string;
}
