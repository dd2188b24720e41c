export enum RoutedEventType {
  Queued = 'interaction.queued',
  Requeued = 'interaction.requeued',
  Dequeued = 'interaction.dequeued',
}

export enum DequeueReason {
  Answered = 'answered',
  Abandoned = 'abandoned',
  Ended = 'ended',
}

export enum RequeueReason {
  Overflow = 'overflow',
  Transfer = 'transfer',
  Escalation = 'escalation',
}
