/**
 * Personal data never reaches the logs: phone numbers, customer ids and free text (which can hold
 * anything a caller says) are replaced wherever they appear in a logged object, up to three levels deep.
 * Fields named otherwise are masked by content instead (log-masking.ts).
 */
const SENSITIVE_FIELDS = ['phone', 'text', 'customerId', 'customer.id', 'customer.phone'];

/** The fields replaced whole wherever they stand, as plain names. */
export const REDACTED_FIELD_NAMES: readonly string[] = SENSITIVE_FIELDS.filter((field) => !field.includes('.'));

export const REDACTED_PATHS: string[] = SENSITIVE_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`]);
export const REDACTION_CENSOR = '[redacted]';
