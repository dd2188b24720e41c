import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { TraceEntry } from '@conmutador/redis-queues';
import { EscalationPlanStep, InteractionState } from './interaction-state';
import { QueueOverview, WaitingInteraction } from './queue-views.service';

export class WaitingListQuery {
  @ApiPropertyOptional({ description: 'How many, from the head of the queue', minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

/* Responses: the classes implement the service's types, so the document cannot drift from them. */

export class QueueOverviewView implements QueueOverview {
  @ApiProperty() queue!: string;
  @ApiProperty({ description: 'Interactions waiting' }) depth!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'The longest current wait' }) oldestWaitSeconds!: number | null;
  @ApiProperty({ description: 'False when the queue was too long to scan whole: the oldest wait covers its head only' }) oldestWaitExact!: boolean;
  @ApiProperty({ type: Number, nullable: true, description: 'For an interaction joining at the back now; null without answer history' })
  estimatedWaitSeconds!: number | null;
  @ApiProperty({ description: 'Answers recorded for the queue' }) answered!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Recent mean time between two answers' }) meanAnswerIntervalSeconds!: number | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) lastAnsweredAt!: string | null;
}

export class WaitingInteractionView implements WaitingInteraction {
  @ApiProperty({ description: '1-based, in serve order' }) position!: number;
  @ApiProperty() interactionId!: string;
  @ApiProperty() priority!: number;
  @ApiProperty({ format: 'date-time', description: 'Original arrival at the source' }) enqueuedAt!: string;
  @ApiProperty() waitedSeconds!: number;
  @ApiProperty({ type: Number, nullable: true }) estimatedWaitSeconds!: number | null;
  @ApiProperty() sector!: string;
  @ApiProperty() intent!: string;
  @ApiProperty() emergency!: boolean;
  @ApiProperty({ type: [String] }) requiredSkills!: string[];
  @ApiProperty() ruleId!: string;
  @ApiProperty({ type: Number, nullable: true }) rulesetVersion!: number | null;
  @ApiProperty({ description: 'Placed here by surge overflow' }) overflowed!: boolean;
}

export class WaitingListView {
  @ApiProperty() queue!: string;
  @ApiProperty({ description: 'Interactions waiting in all (the list may show fewer)' }) depth!: number;
  @ApiProperty({ type: [WaitingInteractionView] }) interactions!: WaitingInteractionView[];
}

export class EscalationPlanStepView implements EscalationPlanStep {
  @ApiProperty() step!: number;
  @ApiProperty() afterSeconds!: number;
  @ApiProperty({ format: 'date-time' }) dueAt!: string;
  @ApiPropertyOptional() raisePriorityBy?: number;
  @ApiPropertyOptional() moveToQueue?: string;
  @ApiPropertyOptional({ type: [String] }) addSkills?: string[];
  @ApiProperty({ description: 'The trace shows it fired' }) fired!: boolean;
}

class ClassificationView {
  @ApiProperty() sector!: string;
  @ApiProperty() intent!: string;
  @ApiProperty() emergency!: boolean;
  @ApiProperty() confidence!: number;
}

class EventApplicationView {
  @ApiProperty() eventId!: string;
  @ApiProperty({ description: 'The decision it caused has been published to interactions.routed' }) published!: boolean;
}

export class InteractionView implements InteractionState {
  @ApiProperty() interactionId!: string;
  @ApiProperty({ enum: ['waiting', 'finished', 'unknown'] }) state!: 'waiting' | 'finished' | 'unknown';
  @ApiProperty({ type: String, nullable: true }) queue!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The queue before its last move' }) previousQueue!: string | null;
  @ApiProperty({ type: Number, nullable: true }) priority!: number | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) enqueuedAt!: string | null;
  @ApiProperty({ type: Number, nullable: true }) waitedSeconds!: number | null;
  @ApiProperty({ type: Number, nullable: true }) position!: number | null;
  @ApiProperty({ type: Number, nullable: true }) estimatedWaitSeconds!: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'answered, abandoned or ended' }) finishedReason!: string | null;
  @ApiProperty() overflowed!: boolean;
  @ApiProperty({ type: ClassificationView, nullable: true }) classification!: ClassificationView | null;
  @ApiProperty({ type: String, nullable: true }) tenant!: string | null;
  @ApiProperty({ type: String, nullable: true }) channel!: string | null;
  @ApiProperty({ type: [String] }) requiredSkills!: string[];
  @ApiProperty({ type: String, nullable: true }) ruleId!: string | null;
  @ApiProperty({ type: Number, nullable: true }) rulesetVersion!: number | null;
  @ApiProperty({ type: [EscalationPlanStepView] }) escalations!: EscalationPlanStepView[];
  @ApiProperty({ type: [EventApplicationView] }) events!: EventApplicationView[];
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true }, description: 'Decision trace, oldest first: why it is where it is' })
  trace!: TraceEntry[];
}
