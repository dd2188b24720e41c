/** What the router asks of the queue store; one command per inbound event. */
export interface InteractionSnapshot {
  sector: string;
  intent: string;
  emergency: boolean;
  /** The classifier was unsure: a possible emergency (never set together with `emergency`). */
  possibleEmergency?: boolean;
  confidence: number;
  tenant: string;
  channel: string;
  requiredSkills: string[];
  ruleId: string;
  rulesetVersion: number;
}

/** An escalation step as scheduled: `pm` is the ordering of the queue it may move to. */
export interface ScheduledEscalation {
  afterSeconds: number;
  raisePriorityBy?: number;
  moveToQueue?: string;
  addSkills?: string[];
  pm?: number;
}

export interface EnqueueCommand {
  kind: 'enqueue';
  eventId: string;
  interactionId: string;
  queue: string;
  /** The routing domain of `queue` (and of the overflow queue); absent: the default domain. */
  domain?: string;
  priority: number;
  enqueuedAtMs: number;
  msPerPriorityPoint: number;
  /** Surge overflow: when `queue` already holds `maxWaiting`, place the interaction here instead. */
  overflow?: { queue: string; maxWaiting: number; msPerPriorityPoint: number };
  escalations: ScheduledEscalation[];
  snapshot: InteractionSnapshot;
  /** Why: the classification evidence, recorded in the decision trace. */
  classification: TraceEntry['classification'];
  nowMs: number;
}

export interface DequeueCommand {
  kind: 'dequeue';
  eventId: string;
  interactionId: string;
  reason: string;
  /** When it happened at the source; answers feed the queue's service history. */
  occurredAtMs: number;
}

export interface MoveCommand {
  kind: 'move';
  eventId: string;
  interactionId: string;
  targetQueue: string;
  /** The routing domain of `targetQueue`; absent: the default domain. Another domain than the interaction's makes the move two steps (see handOverInteraction-n.lua). */
  domain?: string;
  /** Absent: keep the current priority. */
  priority?: number;
  msPerPriorityPoint: number;
  escalations: ScheduledEscalation[];
  reason: 'transfer' | 'overflow';
  requiredSkills?: string[];
  ruleId?: string;
  rulesetVersion?: number;
  nowMs: number;
}

/**
 * A transfer the engine cannot place (its target queue or sector is unknown): the interaction
 * stays where it is, and its trace records the refusal, once per event.
 */
export interface RefuseTransferCommand {
  kind: 'refuse-transfer';
  eventId: string;
  interactionId: string;
  /** What the transfer named, as it named it. */
  targetQueue?: string;
  targetSector?: string;
  /** Why, for people: one line per unknown target, naming it. */
  problems: string[];
  /** The ruleset in force, whose queues `targetQueue` was looked up in. */
  rulesetVersion: number;
  nowMs: number;
}

export type QueueCommand = EnqueueCommand | DequeueCommand | MoveCommand | RefuseTransferCommand;

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
  /** Placed in the overflow queue instead of the one its rule named. */
  overflowed: boolean;
  /** Position × the queue's mean time between answers; null while the queue has no history. */
  estimatedWaitSeconds: number | null;
  snapshot: InteractionSnapshot;
}

/** An escalation that fired, waiting in the outbox to be published. */
export interface FiredEscalation {
  outboxId: string;
  /** The routing domain whose outbox holds it. */
  domain: string;
  step: number;
  firedAtMs: number;
  placement: QueuePlacement & { interactionId: string };
}

export type QueueCommandResult =
  /** `domain`: the routing domain the interaction is in after the command. */
  | { outcome: QueueOutcome.Applied | QueueOutcome.AppliedUnpublished | QueueOutcome.Duplicate; placement: QueuePlacement; domain: string }
  | { outcome: QueueOutcome.NoEffect | QueueOutcome.UnknownInteraction }
  /** The command itself failed in Redis (not the connection): the event cannot be applied. */
  | { outcome: 'failed'; error: string };

/**
 * One step of an interaction's decision trace (Redis list `<prefix>{<domain>}:t:<interactionId>`, JSON per
 * entry, oldest first): why it is where it is.
 */
export interface TraceEntry {
  /** ISO-8601; stored as `atMs` in Redis. */
  at: string;
  kind: 'queued' | 'escalated' | 'transferred' | 'transfer_refused' | 'overflow' | 'dequeued';
  queue: string;
  fromQueue?: string;
  /** For a transfer across routing domains: the domain it left. */
  fromDomain?: string;
  priority: number;
  ruleId?: string;
  rulesetVersion?: number;
  /** For `queued` and `overflow`: the classification and its evidence (each signal's source, weight and headline; see decision-evidence.ts). */
  classification?: { sector: string; intent: string; emergency: boolean; confidence: number; evidence: { source: string; detail: string; weight: number }[] };
  /** For `escalated`: which step of the rule fired. */
  step?: number;
  /** For `transfer_refused`: what the transfer named (`queue` stays where the interaction is). */
  targetQueue?: string;
  targetSector?: string;
  reason?: string;
  causationId?: string;
}

/** Redis hash `<prefix>{<domain>}:qs:<queue>`: answered (count), ewma (ms between answers), last (ms epoch). */
export interface QueueStats {
  answered: number;
  ewmaAnswerIntervalMs: number | null;
  lastAnsweredAtMs: number | null;
}
