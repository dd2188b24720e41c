import { RejectionReason } from './rejection';

export interface OriginalRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  headers: Record<string, string>;
  /** The raw bytes as UTF-8 text, or base64 when `valueEncoding` says so. */
  value: string | null;
  valueEncoding?: 'base64';
}

/** What the engine writes to `interactions.dlq`, keyed by the original record's key. */
export interface DeadLetterRecord {
  failedAt: string;
  service: string;
  reason: RejectionReason;
  /** Human-readable, with phone numbers, ids and e-mail addresses masked; `original` keeps the input as it came. */
  errors: string[];
  original: OriginalRecord;
}
