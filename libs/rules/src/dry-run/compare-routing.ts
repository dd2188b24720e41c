import { RoutingInput, RoutingPolicy } from '@conmutador/routing';

export interface DryRunInteraction {
  id: string;
  input: RoutingInput;
}

export interface QueueCount {
  queue: string;
  before: number;
  after: number;
  /** after − before */
  delta: number;
}

export interface QueueMove {
  fromQueue: string;
  toQueue: string;
  count: number;
  /** Up to `EXAMPLES_PER_MOVE` interaction ids, in input order. */
  exampleIds: string[];
}

export interface RuleMatchCount {
  ruleId: string;
  before: number;
  after: number;
}

export interface DryRunReport {
  beforeVersion: number;
  afterVersion: number;
  interactions: number;
  /** Interactions whose queue changed. */
  moved: number;
  /** Interactions whose priority changed (whether or not their queue did). */
  priorityChanged: number;
  /** Interactions that kept their queue but not their priority. */
  priorityChangedInPlace: number;
  /** Every queue either version routes to, by name. */
  queues: QueueCount[];
  /** From → to pairs, most frequent first. */
  moves: QueueMove[];
  /** How often each rule decided, in either version (`fallback` included), by rule id. */
  ruleMatches: RuleMatchCount[];
}

export const EXAMPLES_PER_MOVE = 5;

/**
 * Dry run: decides every interaction with both rulesets and reports how routing would change.
 * Both are evaluated for the same `at` of each input, so time-of-day rules compare like for like.
 * Any routing policy compares (a compiled ruleset, or the built-in policy in force before the
 * first publication).
 */
export function compareRouting(before: RoutingPolicy, after: RoutingPolicy, inputs: readonly DryRunInteraction[]): DryRunReport {
  const queues = new Map<string, QueueCount>();
  const moves = new Map<string, QueueMove>();
  const ruleMatches = new Map<string, RuleMatchCount>();
  const queueCount = (queue: string): QueueCount => {
    let count = queues.get(queue);
    if (!count) queues.set(queue, (count = { queue, before: 0, after: 0, delta: 0 }));
    return count;
  };
  const ruleCount = (ruleId: string): RuleMatchCount => {
    let count = ruleMatches.get(ruleId);
    if (!count) ruleMatches.set(ruleId, (count = { ruleId, before: 0, after: 0 }));
    return count;
  };

  let moved = 0;
  let priorityChanged = 0;
  let priorityChangedInPlace = 0;
  for (const { id, input } of inputs) {
    const was = before.decide(input);
    const will = after.decide(input);
    queueCount(was.queue).before++;
    queueCount(will.queue).after++;
    ruleCount(was.ruleId).before++;
    ruleCount(will.ruleId).after++;
    if (was.priority !== will.priority) {
      priorityChanged++;
      if (was.queue === will.queue) priorityChangedInPlace++;
    }
    if (was.queue === will.queue) continue;
    moved++;
    const key = JSON.stringify([was.queue, will.queue]);
    let move = moves.get(key);
    if (!move) moves.set(key, (move = { fromQueue: was.queue, toQueue: will.queue, count: 0, exampleIds: [] }));
    move.count++;
    if (move.exampleIds.length < EXAMPLES_PER_MOVE) move.exampleIds.push(id);
  }
  for (const count of queues.values()) count.delta = count.after - count.before;

  const byName =
    <T>(key: (item: T) => string) =>
    (a: T, b: T) =>
      key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
  return {
    beforeVersion: before.version,
    afterVersion: after.version,
    interactions: inputs.length,
    moved,
    priorityChanged,
    priorityChangedInPlace,
    queues: [...queues.values()].sort(byName((count) => count.queue)),
    moves: [...moves.values()].sort((a, b) => b.count - a.count || byName<QueueMove>((move) => `${move.fromQueue}\u0000${move.toQueue}`)(a, b)),
    ruleMatches: [...ruleMatches.values()].sort(byName((count) => count.ruleId)),
  };
}
