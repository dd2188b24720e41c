// Decorator metadata (emitDecoratorMetadata) needs the Reflect API before the classes load.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { MAX_PRIORITY, MIN_PRIORITY } from '@conmutador/routing';
import type { EscalationStep } from '@conmutador/routing';
import type { QueueDefinition, RuleAction, RuleDefinition, RulesetDocument } from './ruleset-document';

/**
 * The structure of a ruleset, for class-validator. Semantic checks (queues that exist, rules that
 * can match, cycles) come after, in validate-ruleset.ts.
 */

// Names end up in Redis keys and log lines: no spaces, no separators of their own.
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/;
const NAME_MESSAGE = '$property must start with a letter or digit and contain only letters, digits, _ . : -';
const MAX_ESCALATION_DELAY_SECONDS = 7 * 24 * 3600;
const MAX_AGING_POINTS_PER_MINUTE = 60_000;
const MAX_CONDITION_LENGTH = 4000;
// A domain is the hash tag of every key of its queues: short, since every key repeats it.
const MAX_DOMAIN_LENGTH = 64;

export class EscalationStepSchema implements EscalationStep {
  @IsInt()
  @Min(1)
  @Max(MAX_ESCALATION_DELAY_SECONDS)
  afterSeconds!: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_PRIORITY)
  raisePriorityBy?: number;

  @IsOptional()
  @IsString()
  @Matches(NAME, { message: NAME_MESSAGE })
  moveToQueue?: string;

  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  addSkills?: string[];
}

export class RuleActionSchema implements RuleAction {
  @IsString()
  @Matches(NAME, { message: NAME_MESSAGE })
  queue!: string;

  @IsInt()
  @Min(MIN_PRIORITY)
  @Max(MAX_PRIORITY)
  priority!: number;

  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  requiredSkills?: string[];

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => EscalationStepSchema)
  escalations?: EscalationStepSchema[];
}

export class RuleDefinitionSchema implements RuleDefinition {
  @IsString()
  @MaxLength(100)
  @Matches(NAME, { message: NAME_MESSAGE })
  id!: string;

  @IsOptional()
  @IsString()
  description?: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_CONDITION_LENGTH)
  when!: string;

  @IsObject()
  @ValidateNested()
  @Type(() => RuleActionSchema)
  then!: RuleActionSchema;

  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class QueueDefinitionSchema implements QueueDefinition {
  @IsString()
  @MaxLength(100)
  @Matches(NAME, { message: NAME_MESSAGE })
  name!: string;

  @IsOptional()
  @IsString()
  description?: string;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(MAX_AGING_POINTS_PER_MINUTE)
  agingPointsPerMinute?: number;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  site?: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  maxWaiting?: number;

  @IsOptional()
  @IsString()
  @Matches(NAME, { message: NAME_MESSAGE })
  overflowTo?: string;

  @IsOptional()
  @IsString()
  @MaxLength(MAX_DOMAIN_LENGTH)
  @Matches(NAME, { message: NAME_MESSAGE })
  domain?: string;
}

export class RulesetDocumentSchema implements RulesetDocument {
  @IsOptional()
  @IsString()
  description?: string;

  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => QueueDefinitionSchema)
  queues!: QueueDefinitionSchema[];

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => RuleDefinitionSchema)
  rules!: RuleDefinitionSchema[];

  @IsObject()
  @ValidateNested()
  @Type(() => RuleActionSchema)
  fallback!: RuleActionSchema;
}
