import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsObject, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { RulesetDiff } from '@conmutador/rules';

const DOCUMENT_SCHEMA = {
  type: 'object',
  additionalProperties: true,
  description: 'A ruleset document (its format is described in libs/rules); checked with validateRuleset.',
} as const;

export class CreateRulesetRequest {
  @ApiProperty(DOCUMENT_SCHEMA)
  @IsObject()
  document!: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'Why this version exists; shown in listings', maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

export class ValidateRulesetRequest {
  @ApiProperty(DOCUMENT_SCHEMA)
  @IsObject()
  document!: Record<string, unknown>;
}

export class RollbackRequest {
  @ApiProperty({ description: 'A version that was published before', minimum: 1, example: 3 })
  @IsInt()
  @Min(1)
  version!: number;
}

export class DiffQuery {
  @ApiProperty({ description: 'The version compared from', minimum: 1 })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  from!: number;

  @ApiProperty({ description: 'The version compared to', minimum: 1 })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  to!: number;
}

export class AuditQuery {
  @ApiPropertyOptional({ description: 'How many entries, newest first', minimum: 1, maximum: 500, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

/* Responses: described for the OpenAPI document. */

export class RulesetIssueView {
  @ApiProperty({ description: 'Where in the document, e.g. rules[2].when', example: 'rules[2].when' })
  path!: string;

  @ApiPropertyOptional({ description: 'The id of the rule concerned, when there is one' })
  ruleId?: string;

  @ApiProperty()
  message!: string;

  @ApiProperty({ enum: ['error', 'warning'] })
  severity!: 'error' | 'warning';
}

export class ValidationResultView {
  @ApiProperty({ description: 'True when there is no error (warnings allowed)' })
  valid!: boolean;

  @ApiProperty({ type: [RulesetIssueView] })
  issues!: RulesetIssueView[];
}

export class InvalidRulesetView {
  @ApiProperty({ example: 422 })
  statusCode!: number;

  @ApiProperty()
  message!: string;

  @ApiProperty({ type: [RulesetIssueView] })
  issues!: RulesetIssueView[];
}

export class RulesetSummaryView {
  @ApiProperty()
  version!: number;

  @ApiProperty({ enum: ['draft', 'published', 'retired'] })
  status!: string;

  @ApiProperty({ description: 'The key name that created it' })
  author!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty()
  note!: string;

  @ApiPropertyOptional({ format: 'date-time' })
  publishedAt?: string;

  @ApiPropertyOptional()
  publishedBy?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  retiredAt?: string;
}

export class RulesetView extends RulesetSummaryView {
  @ApiProperty(DOCUMENT_SCHEMA)
  document!: unknown;
}

export class PublishedRulesetView {
  @ApiProperty()
  version!: number;

  @ApiProperty(DOCUMENT_SCHEMA)
  document!: unknown;
}

export class CreatedRulesetView {
  @ApiProperty()
  version!: number;

  @ApiProperty({ enum: ['draft'] })
  status!: 'draft';

  @ApiProperty({ type: [RulesetIssueView], description: 'Warnings found; a draft with errors is refused' })
  warnings!: RulesetIssueView[];
}

export class PublicationView {
  @ApiProperty({ description: 'The version now in force' })
  version!: number;

  @ApiProperty({ type: Number, nullable: true, description: 'The version it replaced' })
  previousVersion!: number | null;
}

export class RulesetDiffView {
  @ApiProperty()
  from!: number;

  @ApiProperty()
  to!: number;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'diffRulesets of libs/rules: rulesAdded, rulesRemoved, rulesChanged, rulesMoved, queuesAdded, queuesRemoved, queuesChanged, ' +
      'fallbackChanges, descriptionChanged, and `summary`, one line per change',
  })
  diff!: RulesetDiff;
}

export class AuditChangesView {
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'The version counted from: the one in force before (for `created`, the one in force then); null when none was',
  })
  from!: number | null;

  @ApiProperty() rulesAdded!: number;
  @ApiProperty() rulesRemoved!: number;
  @ApiProperty() rulesChanged!: number;
  @ApiProperty({ description: 'Rules kept whose order relative to the other kept rules changed' }) rulesMoved!: number;
  @ApiProperty() queuesAdded!: number;
  @ApiProperty() queuesRemoved!: number;
  @ApiProperty() queuesChanged!: number;
  @ApiProperty() fallbackChanged!: boolean;
  @ApiProperty() descriptionChanged!: boolean;
}

export class AuditEntryView {
  @ApiProperty({ description: 'Redis stream id; orders the entries' })
  id!: string;

  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiProperty({ description: 'The key name that made the change' })
  actor!: string;

  @ApiProperty({ enum: ['created', 'published', 'rolled_back'] })
  action!: string;

  @ApiProperty({ description: 'The version created, or put in force: GET /v1/rulesets/{version} has its document' })
  version!: number;

  @ApiProperty({ type: Number, nullable: true, description: 'The version in force before a publish or rollback' })
  previousVersion!: number | null;

  @ApiProperty({
    type: AuditChangesView,
    nullable: true,
    description:
      'What changed, in numbers (GET /v1/rulesets/diff?from=…&to=… shows it in full); null for versions seeded by a router ' +
      'and for entries written before entries carried counts',
  })
  changes!: Readonly<Record<string, unknown>> | null;
}
