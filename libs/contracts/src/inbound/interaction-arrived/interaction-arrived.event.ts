import { Type } from 'class-transformer';
import {
  IsArray,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  ValidateNested,
  ValidationArguments,
  ValidatorConstraint,
  ValidatorConstraintInterface,
  Validate,
  ArrayMaxSize,
} from 'class-validator';
import { CHANNELS, Channel, CUSTOMER_SEGMENTS, CustomerSegment } from '../../sectors';
import { InboundEnvelope } from '../inbound-envelope';
import { InboundEventType } from '../inbound-event-type';

const E164 = /^\+[1-9]\d{6,14}$/;

export class CustomerDto {
  @IsOptional()
  @IsString()
  @Length(1, 128)
  id?: string;

  @IsOptional()
  // No example number: dead-letter errors mask anything shaped like one.
  @Matches(E164, { message: 'phone must be an E.164 number: "+", then the country code and number as 7 to 15 digits, no spaces' })
  phone?: string;

  @IsOptional()
  @IsIn(CUSTOMER_SEGMENTS)
  segment?: CustomerSegment;

  @IsOptional()
  @IsString()
  @MaxLength(64)
  region?: string;
}

@ValidatorConstraint({ name: 'flatAttributes' })
class FlatAttributes implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
    return Object.values(value).every((v) => ['string', 'number', 'boolean'].includes(typeof v));
  }
  defaultMessage(args: ValidationArguments): string {
    return `${args.property} must be an object whose values are strings, numbers or booleans`;
  }
}

export class InteractionArrivedEvent extends InboundEnvelope {
  @IsIn([InboundEventType.Arrived])
  type!: InboundEventType.Arrived;

  @IsIn(CHANNELS)
  channel!: Channel;

  @IsString()
  @Length(1, 256)
  entryPoint!: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(32)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  ivrPath?: string[];

  @IsOptional()
  @IsString()
  @MaxLength(4000)
  text?: string;

  @IsOptional()
  @IsString()
  @Length(2, 35)
  language?: string;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => CustomerDto)
  customer?: CustomerDto;

  @IsOptional()
  @Validate(FlatAttributes)
  attributes?: Record<string, string | number | boolean>;
}
