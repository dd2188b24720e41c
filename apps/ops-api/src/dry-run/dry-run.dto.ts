import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsNumber,
  IsOptional,
  IsPositive,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  Validate,
  ValidateNested,
  ValidationArguments,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';
import { DryRunReport, QueueCount, QueueMove, RuleMatchCount } from '@conmutador/rules';

/** Beyond this, replaying from Kafka is the better tool (and the body would be megabytes). */
export const MAX_INLINE_INTERACTIONS = 5_000;

const ISO_8601_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

@ValidatorConstraint({ name: 'flatAttributes' })
class FlatAttributes implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
    return Object.values(value).every((entry) => ['string', 'number', 'boolean'].includes(typeof entry));
  }

  defaultMessage(args: ValidationArguments): string {
    return `${args.property} must be an object whose values are strings, numbers or booleans`;
  }
}

/** What routing rules look at (RoutingInput of libs/routing), with defaults for what a test case rarely cares about. */
export class DryRunInteraction {
  @ApiPropertyOptional({ description: 'Names the interaction in the report; default: its position (1-based)' })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  id?: string;

  @ApiProperty({ example: 'banking' })
  @IsString()
  @Length(1, 64)
  sector!: string;

  @ApiProperty({ example: 'financial_relief' })
  @IsString()
  @Length(1, 64)
  intent!: string;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  emergency?: boolean;

  @ApiPropertyOptional({ default: 1, minimum: 0, maximum: 1 })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1)
  confidence?: number;

  @ApiProperty({ example: 'voice' })
  @IsString()
  @Length(1, 32)
  channel!: string;

  @ApiPropertyOptional({ default: 'default' })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  tenant?: string;

  @ApiPropertyOptional({ example: 'vip' })
  @IsOptional()
  @IsString()
  @Length(1, 32)
  customerSegment?: string;

  @ApiPropertyOptional({ example: 'bogota' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  customerRegion?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] } })
  @IsOptional()
  @Validate(FlatAttributes)
  attributes?: Record<string, string | number | boolean>;

  @ApiPropertyOptional({ description: 'When the decision is for (time-of-day and holiday rules); default: now', format: 'date-time' })
  @IsOptional()
  @Matches(ISO_8601_WITH_ZONE, { message: 'at must be an ISO-8601 timestamp with a zone, e.g. 2026-04-14T15:04:05-05:00' })
  at?: string;
}

export class DryRunRequest {
  @ApiPropertyOptional({ type: [DryRunInteraction], description: 'Interactions to route; give this or replayHours' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_INLINE_INTERACTIONS)
  @ValidateNested({ each: true })
  @Type(() => DryRunInteraction)
  interactions?: DryRunInteraction[];

  @ApiPropertyOptional({
    description: 'Replay the arrivals of the last N hours of interactions.inbound (at most DRY_RUN_MAX_REPLAY_HOURS); give this or interactions',
    example: 1,
  })
  @IsOptional()
  @IsNumber()
  @IsPositive()
  replayHours?: number;
}

export class ReplaySourceView {
  @ApiProperty({ enum: ['interactions', 'replay'] })
  kind!: 'interactions' | 'replay';

  @ApiProperty({ description: 'Interactions compared' })
  interactions!: number;

  @ApiPropertyOptional() replayHours?: number;
  @ApiPropertyOptional() topic?: string;
  @ApiPropertyOptional({ format: 'date-time' }) since?: string;
  @ApiPropertyOptional({ description: 'Records read from the topic' }) recordsRead?: number;
  @ApiPropertyOptional({ description: 'Records that were not arrivals (answers, abandons, …)' }) otherEvents?: number;
  @ApiPropertyOptional({ description: 'Records the contract rejects (the classifier dead-letters them)' }) invalidRecords?: number;
  @ApiPropertyOptional({ description: 'Arrivals of an interaction already seen (the router applies the first)' }) duplicateArrivals?: number;
}

export class QueueCountView implements QueueCount {
  @ApiProperty() queue!: string;
  @ApiProperty({ description: 'Interactions the published version sends there' }) before!: number;
  @ApiProperty({ description: 'Interactions the tried version sends there' }) after!: number;
  @ApiProperty({ description: 'after − before' }) delta!: number;
}

export class QueueMoveView implements QueueMove {
  @ApiProperty() fromQueue!: string;
  @ApiProperty() toQueue!: string;
  @ApiProperty() count!: number;
  @ApiProperty({ type: [String], description: 'A few of the interactions that move' }) exampleIds!: string[];
}

export class RuleMatchCountView implements RuleMatchCount {
  @ApiProperty() ruleId!: string;
  @ApiProperty() before!: number;
  @ApiProperty() after!: number;
}

export class DryRunReportView implements DryRunReport {
  @ApiProperty({ description: 'The published version' }) beforeVersion!: number;
  @ApiProperty({ description: 'The version tried' }) afterVersion!: number;
  @ApiProperty() interactions!: number;
  @ApiProperty({ description: 'Interactions whose queue changes' }) moved!: number;
  @ApiProperty({ description: 'Interactions whose priority changes' }) priorityChanged!: number;
  @ApiProperty({ description: 'Interactions that keep their queue but not their priority' }) priorityChangedInPlace!: number;
  @ApiProperty({ type: [QueueCountView], description: 'Per queue, by name' }) queues!: QueueCountView[];
  @ApiProperty({ type: [QueueMoveView], description: 'From → to, most frequent first' }) moves!: QueueMoveView[];
  @ApiProperty({ type: [RuleMatchCountView] }) ruleMatches!: RuleMatchCountView[];
}

export class DryRunView {
  @ApiProperty({ description: 'The version tried' })
  draftVersion!: number;

  @ApiProperty({ description: 'The version compared against: the published one' })
  publishedVersion!: number;

  @ApiProperty({ type: ReplaySourceView })
  source!: ReplaySourceView;

  @ApiProperty({ type: DryRunReportView, description: 'What would change, per queue and per rule' })
  report!: DryRunReportView;
}
