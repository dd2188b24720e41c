import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { InjectThrottlerStorage, normalizeIp, ThrottlerStorage } from '@nestjs/throttler';
import { OpsApiServiceConfig } from '@conmutador/config';
import { RetryLaterException } from '../http/retry-later.exception';
import { OPS_API_CONFIG } from '../ops-api.tokens';

/** The throttler's name for failed authentications: the only thing this API throttles. */
export const FAILED_AUTHENTICATIONS = 'failed-authentications';

/** Blocked clients past this many are swept of expired blocks when one more is added. */
const SWEEP_ABOVE = 1_000;

/**
 * Holds back a client that keeps presenting wrong keys. Failed authentications are counted per
 * client (its address; an IPv6 client by its /64, which one host can rotate through) in
 * @nestjs/throttler's storage; past OPS_API_AUTH_FAILURE_LIMIT within the window, the client is
 * blocked for OPS_API_AUTH_BLOCK_MS.
 *
 * Requests with a valid key are never counted. While blocked, though, a client's every /v1
 * request answers 429, a valid key included: otherwise a guesser would still learn, at full
 * speed, which guess is right (the one that does not answer 429).
 */
@Injectable()
export class FailedAuthenticationThrottle {
  private readonly blockedUntil = new Map<string, number>();

  constructor(
    @Inject(OPS_API_CONFIG) private readonly config: OpsApiServiceConfig,
    @InjectThrottlerStorage() private readonly storage: ThrottlerStorage,
  ) {}

  /** Who is asking, as far as the throttle is concerned: the client's address (see OPS_API_TRUSTED_PROXIES). */
  clientOf(request: { ip?: string; socket?: { remoteAddress?: string } }): string {
    return normalizeIp(request.ip ?? request.socket?.remoteAddress ?? 'unknown');
  }

  /** Throws the 429 a blocked client gets, before its key is even looked at. */
  assertNotBlocked(client: string, now = Date.now()): void {
    const until = this.blockedUntil.get(client);
    if (until === undefined) return;
    if (until <= now) {
      this.blockedUntil.delete(client);
      return;
    }
    throw this.refusal((until - now) / 1000);
  }

  /** Counts a failed authentication; throws the 429 when this one is over the limit. */
  async recordFailure(client: string): Promise<void> {
    const { limit, windowMs, blockMs } = this.config.auth.failedAttempts;
    const { isBlocked, timeToBlockExpire } = await this.storage.increment(
      `${FAILED_AUTHENTICATIONS}:${client}`,
      windowMs,
      limit,
      blockMs,
      FAILED_AUTHENTICATIONS,
    );
    if (!isBlocked) return;
    const now = Date.now();
    if (this.blockedUntil.size >= SWEEP_ABOVE) {
      for (const [other, until] of this.blockedUntil) if (until <= now) this.blockedUntil.delete(other);
    }
    this.blockedUntil.set(client, now + timeToBlockExpire * 1000);
    throw this.refusal(timeToBlockExpire);
  }

  private refusal(retryAfterSeconds: number): RetryLaterException {
    const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
    return new RetryLaterException(
      HttpStatus.TOO_MANY_REQUESTS,
      `too many failed authentications from this client (more than ${this.config.auth.failedAttempts.limit} ` +
        `within ${this.config.auth.failedAttempts.windowMs / 1000} s); retry in ${seconds} s`,
      seconds,
    );
  }
}
