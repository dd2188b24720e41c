/** What the router asks of the queue store; one command per inbound event. */
export interface InteractionSnapshot {
  sector: string;
  intent: string;
  emergency: boolean;
  confidence: number;
  tenant: string;
  channel: string;
  requiredSkills: string[];
  ruleId: string;
  rulesetVersion: number;
}

export interface EnqueueCommand {
  kind: 'enqueue';
  eventId: string;
  interactionId: string;
  queue: string;
  priority: number;
  enqueuedAtMs: number;
  snapshot: InteractionSnapshot;
}

export interface DequeueCommand {
  kind: 'dequeue';
  eventId: string;
  interactionId: string;
  reason: string;
}

export interface MoveCommand {
  kind: 'move';
  eventId: string;
  interactionId: string;
  targetQueue: string;
  /** Absent: keep the current priority. */
  priority?: number;
  requiredSkills?: string[];
  ruleId?: string;
}

export type QueueCommand = EnqueueCommand | DequeueCommand | MoveCommand;

export enum QueueOutcome {
  /** The effect happened now and its decision must be published. */
  Applied = 'applied',
  /** The effect happened before but its decision was never confirmed published: publish again. */
  AppliedUnpublished = 'applied_unpublished',
  /** Already applied and published: nothing to do. */
  Duplicate = 'duplicate',
  /** The command had no effect (already finished, or known under another event). */
  NoEffect = 'no_effect',
  UnknownInteraction = 'unknown_interaction',
}

/** The interaction as Redis holds it right after the command. */
export interface QueuePlacement {
  queue: string;
  priority: number;
  enqueuedAtMs: number;
  /** 1-based; 0 when not (or no longer) waiting in `queue`. */
  position: number;
  /** The queue it left, for a move. */
  fromQueue?: string;
  snapshot: InteractionSnapshot;
}

export type QueueCommandResult =
  | { outcome: QueueOutcome.Applied | QueueOutcome.AppliedUnpublished | QueueOutcome.Duplicate; placement: QueuePlacement }
  | { outcome: QueueOutcome.NoEffect | QueueOutcome.UnknownInteraction }
  /** The command itself failed in Redis (not the connection): the event cannot be applied. */
  | { outcome: 'failed'; error: string };

/**
 * One step of an interaction's decision trace (Redis list `<prefix>t:<interactionId>`, JSON per
 * entry, oldest first): why it is where it is.
 */
export interface TraceEntry {
  at: string;
  kind: 'queued' | 'escalated' | 'transferred' | 'overflow' | 'dequeued';
  queue: string;
  fromQueue?: string;
  priority: number;
  ruleId?: string;
  rulesetVersion?: number;
  /** For `queued`: the classification and its evidence. */
  classification?: { sector: string; intent: string; emergency: boolean; confidence: number; evidence: { source: string; detail: string; weight: number }[] };
  /** For `escalated`: which step of the rule fired. */
  step?: number;
  reason?: string;
  causationId?: string;
}

/** Redis hash `<prefix>qs:<queue>`: answered (count), ewma (ms between answers), last (ms epoch). */
export interface QueueStats {
  answered: number;
  ewmaAnswerIntervalMs: number | null;
  lastAnsweredAtMs: number | null;
}
