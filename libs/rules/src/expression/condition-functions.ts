/**
 * Functions a condition may call, beyond filtrex's built-ins. They never throw: filtrex turns a
 * throw into a returned error, which would only make the rule not match for an obscure reason.
 */

/**
 * `from <= value < to`, for numbers or for zero-padded text such as "HH:MM". When `from` is after
 * `to` the range wraps (`between(time, "19:00", "07:00")` is the night); equal bounds are empty.
 * Values of different types are never between.
 */
export function between(value: unknown, from: unknown, to: unknown): boolean {
  if (typeof value !== typeof from || typeof value !== typeof to) return false;
  if (typeof value !== 'number' && typeof value !== 'string') return false;
  const lower = from as typeof value;
  const upper = to as typeof value;
  return lower <= upper ? value >= lower && value < upper : value >= lower || value < upper;
}

export type ArgumentType = 'number' | 'text' | 'boolean' | 'any';

export interface FunctionSpec {
  name: string;
  /** Fixed parameter types; `variadic` repeats the last one. */
  parameters: readonly ArgumentType[];
  variadic?: boolean;
  returns: 'number' | 'boolean';
  description: string;
}

export const CONDITION_FUNCTIONS: readonly FunctionSpec[] = [
  { name: 'between', parameters: ['any', 'any', 'any'], returns: 'boolean', description: 'from <= value < to; wraps when from > to' },
  { name: 'exists', parameters: ['any'], returns: 'boolean', description: 'neither undefined nor null' },
  { name: 'empty', parameters: ['any'], returns: 'boolean', description: 'undefined, null, "" or an empty list' },
  { name: 'abs', parameters: ['number'], returns: 'number', description: 'absolute value' },
  { name: 'ceil', parameters: ['number'], returns: 'number', description: 'round up' },
  { name: 'floor', parameters: ['number'], returns: 'number', description: 'round down' },
  { name: 'round', parameters: ['number'], returns: 'number', description: 'round to nearest' },
  { name: 'sqrt', parameters: ['number'], returns: 'number', description: 'square root' },
  { name: 'log', parameters: ['number'], returns: 'number', description: 'natural logarithm' },
  { name: 'log2', parameters: ['number'], returns: 'number', description: 'binary logarithm' },
  { name: 'log10', parameters: ['number'], returns: 'number', description: 'decimal logarithm' },
  { name: 'min', parameters: ['number'], variadic: true, returns: 'number', description: 'smallest argument' },
  { name: 'max', parameters: ['number'], variadic: true, returns: 'number', description: 'largest argument' },
];

const FUNCTIONS_BY_NAME = new Map(CONDITION_FUNCTIONS.map((spec) => [spec.name, spec]));

export function functionSpec(name: string): FunctionSpec | undefined {
  return FUNCTIONS_BY_NAME.get(name);
}

/** The functions handed to filtrex in addition to its own. */
export const EXTRA_FUNCTIONS = { between } as const;

/** "HH:MM" from 00:00 to 24:00, the form `time` takes and `between` bounds on it must take. */
export const CLOCK_TIME = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;
