import { Inject, Injectable } from '@nestjs/common';
import {
  ClassifiedInteraction,
  InboundEventType,
  InteractionRoutedEvent,
  InteractionTransferredEvent,
  RequeueReason,
  RoutedEventType,
} from '@conmutador/contracts';
import { MoveCommand, QueuePlacement, RefuseTransferCommand } from '@conmutador/redis-queues';
import { RoutingPolicy } from '@conmutador/routing';
import { KNOWN_SECTORS } from '../router.tokens';
import { RoutingPolicyHolder } from '../routing-policy.holder';
import { buildRoutedEvent } from './routed-event.factory';
import { CurrentState, HandlesInboundEvents, InboundEventHandler } from './inbound-event-handler';

/**
 * A transfer re-routes the interaction by the rules in force, as if it had arrived for the target
 * sector (COVID-19 triage → online doctor, say), keeping its original age. A named target queue
 * wins over the rules' choice of queue.
 *
 * A transfer naming a queue the ruleset in force does not define, or a sector the engine does not
 * know, is refused rather than placed in a queue no rule, skill or aging describes: the
 * interaction stays where it is, its trace records the refusal, and the event goes to the
 * dead-letter topic as `unroutable`.
 */
@Injectable()
@HandlesInboundEvents([InboundEventType.Transferred])
export class TransferHandler implements InboundEventHandler {
  readonly needsCurrentState = true;

  constructor(
    private readonly policies: RoutingPolicyHolder,
    @Inject(KNOWN_SECTORS) private readonly knownSectors: ReadonlySet<string>,
  ) {}

  command({ event }: ClassifiedInteraction, current?: CurrentState): MoveCommand | RefuseTransferCommand {
    const transfer = event as InteractionTransferredEvent;
    const policy = this.policies.current();
    const now = Date.now();
    const problems = this.unknownTargets(transfer, policy);
    if (problems.length > 0) {
      return {
        kind: 'refuse-transfer',
        eventId: transfer.eventId,
        interactionId: transfer.interactionId,
        targetQueue: transfer.targetQueue,
        targetSector: transfer.targetSector,
        problems,
        rulesetVersion: policy.version,
        nowMs: now,
      };
    }
    const known = current?.snapshot;
    const sector = transfer.targetSector ?? known?.sector ?? 'unclassified';
    const decision = policy.decide({
      sector,
      // A new sector means the old intent no longer applies.
      intent: known && known.sector === sector ? known.intent : 'other',
      emergency: known?.emergency ?? false,
      possibleEmergency: known?.possibleEmergency,
      confidence: known?.confidence ?? 1,
      channel: known?.channel ?? 'voice',
      tenant: transfer.tenant ?? known?.tenant ?? 'default',
      at: new Date(now),
    });
    const targetQueue = transfer.targetQueue ?? decision.queue;
    const ruleApplies = targetQueue === decision.queue;
    return {
      kind: 'move',
      eventId: transfer.eventId,
      interactionId: transfer.interactionId,
      targetQueue,
      domain: policy.domainOf(targetQueue),
      priority: ruleApplies ? decision.priority : undefined,
      msPerPriorityPoint: policy.msPerPriorityPoint(targetQueue),
      escalations: ruleApplies ? this.policies.schedule(policy, decision.escalations) : [],
      reason: 'transfer',
      ruleId: ruleApplies ? decision.ruleId : `transfer:${targetQueue}`,
      requiredSkills: ruleApplies ? decision.requiredSkills : undefined,
      rulesetVersion: policy.version,
      nowMs: now,
    };
  }

  /** One line per target the interaction cannot be placed by, naming it; none when the transfer can be placed. */
  private unknownTargets({ targetQueue, targetSector }: InteractionTransferredEvent, policy: RoutingPolicy): string[] {
    const problems: string[] = [];
    if (targetQueue !== undefined && !policy.hasQueue(targetQueue)) {
      problems.push(`targetQueue "${targetQueue}" is not a queue of the ruleset in force (version ${policy.version})`);
    }
    if (targetSector !== undefined && !this.knownSectors.has(targetSector)) {
      problems.push(`targetSector "${targetSector}" is not a known sector (known: ${[...this.knownSectors].sort().join(', ')})`);
    }
    return problems;
  }

  routedEvent({ event }: ClassifiedInteraction, placement: QueuePlacement): InteractionRoutedEvent {
    return buildRoutedEvent({
      type: RoutedEventType.Requeued,
      interactionId: event.interactionId,
      causationId: event.eventId,
      placement,
      reason: RequeueReason.Transfer,
    });
  }
}
