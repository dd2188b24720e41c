import { Injectable } from '@nestjs/common';

export type ReadinessCheck = () => boolean | Promise<boolean>;

/** The state of an optional capability, e.g. `training` / `ready` / `failed`. */
export type ReadinessDetail = () => string;

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, boolean>;
  details: Record<string, string>;
}

/**
 * Components register what they need to be ready (consumer joined, Redis answering), and may
 * describe capabilities that come later without holding the whole service back (the ops API's
 * dry-run classifier): a detail is reported, never counted against readiness.
 */
@Injectable()
export class ReadinessRegistry {
  private readonly checks = new Map<string, ReadinessCheck>();
  private readonly details = new Map<string, ReadinessDetail>();

  register(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  describe(name: string, detail: ReadinessDetail): void {
    this.details.set(name, detail);
  }

  async evaluate(): Promise<ReadinessReport> {
    const checks: Record<string, boolean> = {};
    for (const [name, check] of this.checks) {
      try {
        checks[name] = await check();
      } catch {
        checks[name] = false;
      }
    }
    const details: Record<string, string> = {};
    for (const [name, detail] of this.details) details[name] = detail();
    return { ready: this.checks.size > 0 && Object.values(checks).every(Boolean), checks, details };
  }
}
