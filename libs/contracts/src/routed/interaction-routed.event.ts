import { DequeueReason, RequeueReason, RoutedEventType } from './routed-event-type';

/** A routing decision or queue change, published to `interactions.routed` once per effect. */
export interface InteractionRoutedEvent {
  specVersion: '1';
  /** Deterministic per effect, so a re-publication after a crash carries the same id. */
  eventId: string;
  type: RoutedEventType;
  interactionId: string;
  causationId: string;
  occurredAt: string;
  tenant: string;
  channel: string;
  sector: string;
  intent: string;
  emergency: boolean;
  /**
   * Extension: the classifier could not rule an emergency out (`emergency` is then false). Present
   * only when true, so consumers that know version 1 alone read the same events.
   */
  possibleEmergency?: true;
  confidence: number;
  queue: string;
  priority: number;
  requiredSkills: string[];
  ruleId: string;
  rulesetVersion: number;
  position?: number;
  estimatedWaitSeconds: number | null;
  reason?: DequeueReason | RequeueReason;
  /** Extension: when the interaction first entered a queue; moves keep it. */
  enqueuedAt: string;
}
