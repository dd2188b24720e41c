/**
 * Where a routing domain's queue state lives in Redis. Every key of one domain carries the domain
 * as its hash tag, `<prefix>{<domain>}:`, so a domain's interactions, queues, timers, traces,
 * statistics, profiles and outbox share one Redis Cluster slot: every script call stays in one
 * slot, and a cluster spreads domains over its shards.
 *
 *   <prefix>{<domain>}:i:<interactionId>   interaction hash
 *   <prefix>{<domain>}:t:<interactionId>   decision trace (list, from the second decision on)
 *   <prefix>{<domain>}:q:<queue>           skill queue (sorted set, serve order)
 *   <prefix>{<domain>}:qs:<queue>          the queue's service history (hash)
 *   <prefix>{<domain>}:queues              the domain's queue names (set)
 *   <prefix>{<domain>}:timers              escalation timers (sorted set, member <id>|<step>)
 *   <prefix>{<domain>}:outbox              fired escalations to publish (stream)
 *   <prefix>{<domain>}:profiles            routing profiles shared by interactions (hash)
 *
 * One key spans domains: `<prefix>domains`, the set of every domain that ever held an
 * interaction, which readers walk to find an interaction or a queue.
 */
export class DomainKeys {
  /** Everything before the key's own part: `<prefix>{<domain>}:`. */
  readonly base: string;

  constructor(
    readonly prefix: string,
    readonly domain: string,
  ) {
    this.base = `${prefix}{${domain}}:`;
  }

  interaction(interactionId: string): string {
    return `${this.base}i:${interactionId}`;
  }

  trace(interactionId: string): string {
    return `${this.base}t:${interactionId}`;
  }

  queue(queue: string): string {
    return `${this.base}q:${queue}`;
  }

  queueStats(queue: string): string {
    return `${this.base}qs:${queue}`;
  }

  get queueIndex(): string {
    return `${this.base}queues`;
  }

  get timers(): string {
    return `${this.base}timers`;
  }

  get outbox(): string {
    return `${this.base}outbox`;
  }

  get profiles(): string {
    return `${this.base}profiles`;
  }
}

/** The set of every routing domain that ever held an interaction. */
export function domainRegistryKey(prefix: string): string {
  return `${prefix}domains`;
}
