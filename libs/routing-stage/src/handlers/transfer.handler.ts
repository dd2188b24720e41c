import { Injectable } from '@nestjs/common';
import {
  ClassifiedInteraction,
  InboundEventType,
  InteractionRoutedEvent,
  InteractionTransferredEvent,
  RequeueReason,
  RoutedEventType,
} from '@conmutador/contracts';
import { MoveCommand, QueuePlacement } from '@conmutador/redis-queues';
import { RoutingPolicyHolder } from '../routing-policy.holder';
import { buildRoutedEvent } from './routed-event.factory';
import { CurrentState, HandlesInboundEvents, InboundEventHandler } from './inbound-event-handler';

/**
 * A transfer re-routes the interaction by the rules in force, as if it had arrived for the target
 * sector (COVID-19 triage → online doctor, say), keeping its original age. A named target queue
 * wins over the rules' choice of queue.
 */
@Injectable()
@HandlesInboundEvents([InboundEventType.Transferred])
export class TransferHandler implements InboundEventHandler {
  readonly needsCurrentState = true;

  constructor(private readonly policies: RoutingPolicyHolder) {}

  command({ event }: ClassifiedInteraction, current?: CurrentState): MoveCommand {
    const transfer = event as InteractionTransferredEvent;
    const policy = this.policies.current();
    const now = Date.now();
    const known = current?.snapshot;
    const sector = transfer.targetSector ?? known?.sector ?? 'unclassified';
    const decision = policy.decide({
      sector,
      // A new sector means the old intent no longer applies.
      intent: known && known.sector === sector ? known.intent : 'other',
      emergency: known?.emergency ?? false,
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
