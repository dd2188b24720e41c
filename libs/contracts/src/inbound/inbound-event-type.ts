export enum InboundEventType {
  Arrived = 'interaction.arrived',
  Abandoned = 'interaction.abandoned',
  Answered = 'interaction.answered',
  Transferred = 'interaction.transferred',
  Ended = 'interaction.ended',
}

export const SUPPORTED_SPEC_VERSIONS: readonly string[] = ['1'];
export const DEFAULT_TENANT = 'default';
/** Contract: an inbound record larger than this is rejected as `too_large`. */
export const MAX_INBOUND_RECORD_BYTES = 64 * 1024;
