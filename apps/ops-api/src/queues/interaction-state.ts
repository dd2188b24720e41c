import { TraceEntry } from '@conmutador/redis-queues';
import { secondsSince } from './wait-estimate';

/** A scheduled escalation step, as the router stored it on the interaction. */
export interface EscalationPlanStep {
  step: number;
  afterSeconds: number;
  dueAt: string;
  raisePriorityBy?: number;
  moveToQueue?: string;
  addSkills?: string[];
  /** Seen in the trace as `escalated`. */
  fired: boolean;
}

export interface InteractionState {
  interactionId: string;
  /** `waiting` in a queue, `finished` (answered, abandoned or ended), or `unknown` when only the trace is left. */
  state: 'waiting' | 'finished' | 'unknown';
  queue: string | null;
  /** The queue it was in before its last move (transfer, overflow, escalation). */
  previousQueue: string | null;
  priority: number | null;
  /** Original arrival at the source: waits count from here, moves do not reset it. */
  enqueuedAt: string | null;
  waitedSeconds: number | null;
  /** 1-based, in serve order; null when not waiting. */
  position: number | null;
  estimatedWaitSeconds: number | null;
  finishedReason: string | null;
  overflowed: boolean;
  classification: { sector: string; intent: string; emergency: boolean; confidence: number } | null;
  tenant: string | null;
  channel: string | null;
  requiredSkills: string[];
  ruleId: string | null;
  rulesetVersion: number | null;
  escalations: EscalationPlanStep[];
  /** Inbound events applied to it, and whether the decision each caused has been published. */
  events: { eventId: string; published: boolean }[];
  trace: TraceEntry[];
}

interface StoredEscalationStep {
  afterSeconds: number;
  raisePriorityBy?: number;
  moveToQueue?: string;
  addSkills?: string[];
}

const STATES: Record<string, InteractionState['state']> = { w: 'waiting', d: 'finished' };
const EVENT_FIELD = 'ev:';

function numberOrNull(raw: string | undefined): number | null {
  if (raw === undefined || raw === '') return null;
  const value = Number(raw);
  return Number.isFinite(value) ? value : null;
}

function escalationSteps(raw: string | undefined): StoredEscalationStep[] {
  if (!raw) return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    // cjson writes an empty Lua table as {}, not []
    return Array.isArray(parsed) ? (parsed as StoredEscalationStep[]) : [];
  } catch {
    return [];
  }
}

/**
 * Reads the interaction hash written by the queue scripts (field names: see the headers of
 * libs/redis-queues/src/commands/*.lua and snapshotFields in redis-queue-store.ts):
 *   st state (w|d)  q queue  fq previous queue  p priority  t arrival ms  pm ms per priority point
 *   es escalation steps JSON (from the profile)  ov overflowed (1)  dr finished reason
 *   s sector  n intent  e emergency (1)  c confidence  tn tenant  ch channel  k skills (csv)
 *   r rule id  v ruleset version  ev:<eventId> a (applied) | p (published)
 *   at, x, oq: the first decision, until it moves to the trace list (includes/firstDecision.lua)
 *   s n k r v es come from the interaction's routing profile (RedisQueueStore.interaction merges them)
 */
export function readInteractionState(
  interactionId: string,
  hash: Record<string, string>,
  trace: TraceEntry[],
  live: { nowMs: number; position: number | null; estimatedWaitSeconds: number | null },
): InteractionState {
  const state = STATES[hash.st] ?? 'unknown';
  const enqueuedAtMs = numberOrNull(hash.t);
  const firedSteps = new Set(trace.filter((entry) => entry.kind === 'escalated' && entry.step !== undefined).map((entry) => entry.step));
  return {
    interactionId,
    state,
    queue: hash.q || null,
    previousQueue: hash.fq || null,
    priority: numberOrNull(hash.p),
    enqueuedAt: enqueuedAtMs === null ? null : new Date(enqueuedAtMs).toISOString(),
    waitedSeconds: state === 'waiting' && enqueuedAtMs !== null ? secondsSince(enqueuedAtMs, live.nowMs) : null,
    position: state === 'waiting' ? live.position : null,
    estimatedWaitSeconds: state === 'waiting' ? live.estimatedWaitSeconds : null,
    finishedReason: hash.dr || null,
    overflowed: hash.ov === '1',
    classification: hash.s ? { sector: hash.s, intent: hash.n ?? '', emergency: hash.e === '1', confidence: numberOrNull(hash.c) ?? 0 } : null,
    tenant: hash.tn || null,
    channel: hash.ch || null,
    requiredSkills: hash.k ? hash.k.split(',') : [],
    ruleId: hash.r || null,
    rulesetVersion: numberOrNull(hash.v),
    escalations: escalationSteps(hash.es).map((step, index) => ({
      step: index + 1,
      afterSeconds: step.afterSeconds,
      dueAt: enqueuedAtMs === null ? '' : new Date(enqueuedAtMs + step.afterSeconds * 1000).toISOString(),
      ...(step.raisePriorityBy !== undefined ? { raisePriorityBy: step.raisePriorityBy } : {}),
      ...(step.moveToQueue !== undefined ? { moveToQueue: step.moveToQueue } : {}),
      ...(step.addSkills !== undefined ? { addSkills: step.addSkills } : {}),
      fired: firedSteps.has(index + 1),
    })),
    events: Object.entries(hash)
      .filter(([field]) => field.startsWith(EVENT_FIELD))
      .map(([field, publishState]) => ({ eventId: field.slice(EVENT_FIELD.length), published: publishState === 'p' }))
      .sort((a, b) => a.eventId.localeCompare(b.eventId)),
    trace,
  };
}
