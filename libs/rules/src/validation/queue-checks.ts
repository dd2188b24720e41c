import { didYouMean } from '../closest-name';
import { DEFAULT_ROUTING_DOMAIN } from '../ruleset-document';
import { IssueCollector, isRecord } from './issue-collector';

export interface QueueTable {
  /** Queue name → index of its first definition. */
  byName: ReadonlyMap<string, number>;
  /** Queue name → its routing domain. */
  domainOf: ReadonlyMap<string, string>;
}

/** Duplicate names, overflow targets (in the same routing domain), thresholds and overflow cycles. */
export function checkQueues(queues: readonly unknown[], issues: IssueCollector): QueueTable {
  const byName = new Map<string, number>();
  queues.forEach((queue, index) => {
    if (!isRecord(queue) || typeof queue.name !== 'string') return;
    const first = byName.get(queue.name);
    if (first !== undefined) issues.error(`queues[${index}].name`, `queue "${queue.name}" is already defined at queues[${first}]`);
    else byName.set(queue.name, index);
  });

  const domainOf = new Map<string, string>();
  queues.forEach((queue, index) => {
    if (!isRecord(queue) || typeof queue.name !== 'string' || byName.get(queue.name) !== index) return;
    domainOf.set(queue.name, typeof queue.domain === 'string' ? queue.domain : DEFAULT_ROUTING_DOMAIN);
  });

  const overflowOf = new Map<string, string>();
  queues.forEach((queue, index) => {
    if (!isRecord(queue) || typeof queue.name !== 'string' || byName.get(queue.name) !== index) return;
    const target = queue.overflowTo;
    const hasThreshold = typeof queue.maxWaiting === 'number';
    if (typeof target === 'string') {
      if (!byName.has(target)) {
        issues.error(`queues[${index}].overflowTo`, `unknown queue "${target}"${didYouMean(target, byName.keys())}`);
      } else {
        overflowOf.set(queue.name, target);
        const [from, to] = [domainOf.get(queue.name), domainOf.get(target)];
        if (from !== to) {
          issues.error(
            `queues[${index}].overflowTo`,
            `overflows from domain "${from}" into "${to}": overflow stays inside a routing domain (its queues share one Redis slot)`,
          );
        }
      }
      if (!hasThreshold) issues.error(`queues[${index}].overflowTo`, 'overflowTo needs maxWaiting, the number waiting from which new arrivals overflow');
    } else if (hasThreshold) {
      issues.warn(`queues[${index}].maxWaiting`, 'maxWaiting has no effect without overflowTo');
    }
  });

  // Each cycle is reported once, at its first queue in document order.
  const reported = new Set<string>();
  for (const [start] of [...byName].sort((a, b) => a[1] - b[1])) {
    const chain = [start];
    for (let next = overflowOf.get(start); next !== undefined; next = overflowOf.get(next)) {
      const repeatAt = chain.indexOf(next);
      if (repeatAt >= 0) {
        const cycle = chain.slice(repeatAt);
        if (repeatAt === 0 && !cycle.some((name) => reported.has(name))) {
          cycle.forEach((name) => reported.add(name));
          const description = cycle.length === 1 ? `queue "${start}" overflows into itself` : `overflow cycle ${[...cycle, start].join(' → ')}`;
          issues.error(`queues[${byName.get(start)}].overflowTo`, `${description}: a surge would bounce between these queues instead of settling`);
        }
        break;
      }
      chain.push(next);
    }
  }
  return { byName, domainOf };
}

export function checkQueueReference(name: unknown, path: string, queues: QueueTable, issues: IssueCollector): void {
  if (typeof name === 'string' && !queues.byName.has(name)) {
    issues.error(path, `unknown queue "${name}"${didYouMean(name, queues.byName.keys())}; define it under queues`);
  }
}

/** Queues nothing sends interactions to: harmless, but usually a leftover or a typo elsewhere. */
export function checkUnusedQueues(queues: readonly unknown[], referenced: ReadonlySet<string>, issues: IssueCollector): void {
  queues.forEach((queue, index) => {
    if (isRecord(queue) && typeof queue.name === 'string' && !referenced.has(queue.name)) {
      issues.warn(`queues[${index}].name`, `no rule, escalation or overflow sends interactions to queue "${queue.name}"; only a transfer can reach it`);
    }
  });
}
