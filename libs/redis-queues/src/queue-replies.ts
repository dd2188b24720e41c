import { clampPriority } from '@conmutador/routing';
import { EnqueueCommand, InteractionSnapshot, QueuePlacement, ScheduledEscalation } from './queue-commands';

/*
 * How the queue scripts' replies and hash fields translate to and from the store's types (field
 * names and reply layouts: see the scripts' headers in ./commands).
 */

/** The interaction hash's `e` field: its emergency level, absent when routine. */
const EMERGENCY_FIELD = '1';
const POSSIBLE_EMERGENCY_FIELD = 'p';

export function emergencyLevelField(snapshot: InteractionSnapshot): string {
  if (snapshot.emergency) return EMERGENCY_FIELD;
  return snapshot.possibleEmergency ? POSSIBLE_EMERGENCY_FIELD : '';
}

/** What interactions of one rule share, stored once (includes/routingProfile.lua): [s, n, k, r, v, es]. */
export const PROFILE_FIELDS = ['s', 'n', 'k', 'r', 'v', 'es'] as const;

export function routingProfile(snapshot: InteractionSnapshot, escalations: ScheduledEscalation[]): string {
  const steps = escalations.length > 0 ? JSON.stringify(escalations) : '';
  return JSON.stringify([snapshot.sector, snapshot.intent, snapshot.requiredSkills.join(','), snapshot.ruleId, String(snapshot.rulesetVersion), steps]);
}

/** The enqueue script's short reply `{0, 'a', position, queue, overflowed, ewma, answered}`, completed from the command. */
export function enqueuedPlacement(command: EnqueueCommand, reply: unknown[]): QueuePlacement {
  const position = Number(reply[2]);
  return {
    queue: String(reply[3]),
    priority: clampPriority(command.priority),
    enqueuedAtMs: Math.floor(command.enqueuedAtMs),
    position,
    overflowed: reply[4] === '1',
    estimatedWaitSeconds: estimatedWait(position, String(reply[5] ?? ''), String(reply[6] ?? '0')),
    snapshot: { ...command.snapshot, requiredSkills: [...command.snapshot.requiredSkills] },
  };
}

export function estimatedWait(position: number, ewmaMs: string, answered: string): number | null {
  // Two answers make one interval: fewer is no history, and the contract says null, not a guess.
  if (position <= 0 || ewmaMs === '' || Number(answered) < 2) return null;
  return Math.round((position * Number(ewmaMs)) / 1000);
}

/** Decodes `{code, publishState, position, q p t fq s n e c tn ch k r v ov, ewma, answered}` (see the scripts' headers). */
export function toPlacement(reply: unknown[]): QueuePlacement {
  const [
    ,
    ,
    position,
    queue,
    priority,
    enqueuedAt,
    fromQueue,
    sector,
    intent,
    emergency,
    confidence,
    tenant,
    channel,
    skills,
    ruleId,
    version,
    overflowed,
    ewma,
    answered,
  ] = reply.map((value) => (value === null || value === undefined ? '' : String(value)));
  return {
    queue,
    priority: Number(priority),
    enqueuedAtMs: Number(enqueuedAt),
    position: Number(position),
    ...(fromQueue ? { fromQueue } : {}),
    overflowed: overflowed === '1',
    estimatedWaitSeconds: estimatedWait(Number(position), ewma, answered),
    snapshot: {
      sector,
      intent,
      emergency: emergency === EMERGENCY_FIELD,
      ...(emergency === POSSIBLE_EMERGENCY_FIELD ? { possibleEmergency: true } : {}),
      confidence: Number(confidence),
      tenant,
      channel,
      requiredSkills: skills ? skills.split(',') : [],
      ruleId,
      rulesetVersion: Number(version),
    },
  };
}
