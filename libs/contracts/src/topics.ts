/**
 * Every Kafka topic the engine touches. The first three are the public contract
 * (interaction-events.md) and never change name; the internal hop is the engine's own.
 */
export enum Topic {
  Inbound = 'interactions.inbound',
  Routed = 'interactions.routed',
  DeadLetter = 'interactions.dlq',
  /** Classifier → router hop. Same key as inbound, so per-interaction order is kept end to end. */
  Classified = 'conmutador.interactions.classified',
}

/**
 * A namespace isolates a deployment (or a test) on a shared broker: `ns.interactions.inbound`.
 * Production runs with no namespace, so the public names are exactly the contract's.
 */
export function topicName(topic: Topic, namespace = ''): string {
  return namespace ? `${namespace}.${topic}` : topic;
}
