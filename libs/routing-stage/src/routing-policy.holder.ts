import { Injectable } from '@nestjs/common';
import { DefaultRoutingPolicy, EscalationStep, RoutingPolicy } from '@conmutador/routing';
import { ScheduledEscalation } from '@conmutador/redis-queues';

export interface QueueOverflow {
  queue: string;
  maxWaiting: number;
  msPerPriorityPoint: number;
}

/**
 * The routing policy in force. Decisions read it once per event; a newly published ruleset is
 * swapped in whole, so an event is never decided by half of one version and half of another.
 */
@Injectable()
export class RoutingPolicyHolder {
  private policy: RoutingPolicy = new DefaultRoutingPolicy();
  private overflows = new Map<string, QueueOverflow>();

  current(): RoutingPolicy {
    return this.policy;
  }

  get version(): number {
    return this.policy.version;
  }

  replace(policy: RoutingPolicy, overflows: Map<string, QueueOverflow> = new Map()): void {
    this.policy = policy;
    this.overflows = overflows;
  }

  overflowFor(queue: string): QueueOverflow | undefined {
    return this.overflows.get(queue);
  }

  /** Steps as the timers need them: a move carries the ordering of the queue it moves to. */
  schedule(policy: RoutingPolicy, steps: EscalationStep[]): ScheduledEscalation[] {
    return steps.map((step) => (step.moveToQueue ? { ...step, pm: policy.msPerPriorityPoint(step.moveToQueue) } : { ...step }));
  }
}
