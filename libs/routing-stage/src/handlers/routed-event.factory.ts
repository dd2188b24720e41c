import { DequeueReason, InteractionRoutedEvent, RequeueReason, RoutedEventType } from '@conmutador/contracts';
import { QueuePlacement } from '@conmutador/redis-queues';

const SUFFIX: Record<RoutedEventType, string> = {
  [RoutedEventType.Queued]: 'queued',
  [RoutedEventType.Requeued]: 'requeued',
  [RoutedEventType.Dequeued]: 'dequeued',
};

/**
 * The outbound id is derived from the cause, so if a crash makes the router publish the same
 * decision again, consumers see the same eventId and can drop the copy.
 */
export function routedEventId(causationId: string, type: RoutedEventType): string {
  return `${causationId}:${SUFFIX[type]}`;
}

export function buildRoutedEvent(options: {
  type: RoutedEventType;
  interactionId: string;
  causationId: string;
  placement: QueuePlacement;
  reason?: DequeueReason | RequeueReason;
  now?: Date;
}): InteractionRoutedEvent {
  const { placement } = options;
  const { snapshot } = placement;
  return {
    specVersion: '1',
    eventId: routedEventId(options.causationId, options.type),
    type: options.type,
    interactionId: options.interactionId,
    causationId: options.causationId,
    occurredAt: (options.now ?? new Date()).toISOString(),
    tenant: snapshot.tenant,
    channel: snapshot.channel,
    sector: snapshot.sector,
    intent: snapshot.intent,
    emergency: snapshot.emergency,
    ...(snapshot.possibleEmergency ? { possibleEmergency: true as const } : {}),
    confidence: snapshot.confidence,
    queue: placement.queue,
    priority: placement.priority,
    requiredSkills: snapshot.requiredSkills,
    ruleId: snapshot.ruleId,
    rulesetVersion: snapshot.rulesetVersion,
    ...(options.type === RoutedEventType.Dequeued ? {} : { position: placement.position }),
    estimatedWaitSeconds: options.type === RoutedEventType.Dequeued ? null : placement.estimatedWaitSeconds,
    ...(options.reason ? { reason: options.reason } : {}),
    enqueuedAt: new Date(placement.enqueuedAtMs).toISOString(),
  };
}
