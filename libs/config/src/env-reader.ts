export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads environment variables into typed values, collecting every problem instead of stopping at
 * the first, so one failed boot names all the bad keys at once.
 */
export class EnvReader {
  private readonly problems: string[] = [];

  constructor(private readonly env: Env) {}

  string(key: string, fallback: string): string {
    const raw = this.env[key];
    return raw === undefined || raw === '' ? fallback : raw;
  }

  optionalString(key: string): string | undefined {
    const raw = this.env[key];
    return raw === undefined || raw === '' ? undefined : raw;
  }

  /** Comma-separated values; empty entries dropped. */
  list(key: string, fallback: string[] = []): string[] {
    const raw = this.env[key];
    if (raw === undefined || raw.trim() === '') return fallback;
    return raw
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean);
  }

  integer(key: string, fallback: number, { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = {}): number {
    const raw = this.env[key];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      this.problems.push(`${key} must be an integer between ${min} and ${max}, got ${JSON.stringify(raw)}`);
      return fallback;
    }
    return value;
  }

  number(key: string, fallback: number, { min = -Infinity, max = Infinity } = {}): number {
    const raw = this.env[key];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min || value > max) {
      this.problems.push(`${key} must be a number between ${min} and ${max}, got ${JSON.stringify(raw)}`);
      return fallback;
    }
    return value;
  }

  /** `true` or `false`, nothing else: a typo must not quietly pick either. */
  boolean(key: string, fallback: boolean): boolean {
    const raw = this.env[key];
    if (raw === undefined || raw === '') return fallback;
    if (raw === 'true' || raw === 'false') return raw === 'true';
    this.problems.push(`${key} must be true or false, got ${JSON.stringify(raw)}`);
    return fallback;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
    const raw = this.env[key];
    if (raw === undefined || raw === '') return fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      this.problems.push(`${key} must be one of ${allowed.join(', ')}, got ${JSON.stringify(raw)}`);
      return fallback;
    }
    return raw as T;
  }

  /** Comma-separated `host:port` list. */
  hostPorts(key: string, fallback: string[]): string[] {
    const raw = this.env[key];
    if (raw === undefined || raw === '') return fallback;
    const entries = raw
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean);
    const bad = entries.filter((entry) => !/^[A-Za-z0-9.\-_[\]:]+:\d{1,5}$/.test(entry));
    if (entries.length === 0 || bad.length > 0) {
      this.problems.push(`${key} must be a comma-separated list of host:port, got ${JSON.stringify(raw)}`);
      return fallback;
    }
    return entries;
  }

  url(key: string, fallback: string, protocols: readonly string[]): string {
    const raw = this.string(key, fallback);
    try {
      const parsed = new URL(raw);
      if (!protocols.includes(parsed.protocol)) throw new Error('protocol');
    } catch {
      this.problems.push(`${key} must be a URL starting with ${protocols.join(' or ')}, got ${JSON.stringify(raw)}`);
      return fallback;
    }
    return raw;
  }

  /** A lower-case name safe for topic and key prefixes. */
  identifier(key: string, fallback: string): string {
    const raw = this.string(key, fallback);
    if (raw !== '' && !/^[a-z0-9][a-z0-9._-]{0,63}$/.test(raw)) {
      this.problems.push(`${key} must be lower-case letters, digits, '.', '_' or '-' (at most 64), got ${JSON.stringify(raw)}`);
      return fallback;
    }
    return raw;
  }

  /**
   * A value with a syntax of its own. `parse` receives the raw text ('' when unset) and returns the
   * value, or its problems; each problem is reported after the key's name.
   */
  parsed<T>(key: string, fallback: T, parse: (raw: string) => { value: T } | { problems: string[] }): T {
    const result = parse(this.env[key] ?? '');
    if ('problems' in result) {
      for (const problem of result.problems) this.problems.push(`${key} ${problem}`);
      return fallback;
    }
    return result.value;
  }

  /** Throws once, naming every bad key, when anything read so far was invalid. */
  assertValid(): void {
    if (this.problems.length > 0) throw new ConfigError([...this.problems]);
  }
}
