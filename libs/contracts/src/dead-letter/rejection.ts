/** Machine-readable reasons a record is dead-lettered. Extend, never rename: consumers alert on them. */
export enum RejectionReason {
  EmptyRecord = 'empty_record',
  TooLarge = 'too_large',
  InvalidEncoding = 'invalid_encoding',
  InvalidJson = 'invalid_json',
  UnsupportedVersion = 'unsupported_version',
  UnknownType = 'unknown_type',
  ValidationFailed = 'validation_failed',
  /** A well-formed event that the engine cannot act on (for example a transfer to an unknown queue). */
  Unroutable = 'unroutable',
  /** The engine failed on this one record (a defect, not the input's fault); kept for replay. */
  ProcessingFailed = 'processing_failed',
}

export interface Rejection {
  reason: RejectionReason;
  /** Human-readable, one entry per problem, naming the field. */
  errors: string[];
}
