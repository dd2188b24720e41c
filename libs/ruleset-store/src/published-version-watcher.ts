import { RulesetStore } from './ruleset-store';

export interface PublishedVersionWatcherOptions {
  /** Backstop for announcements lost while disconnected: a switch is never later than this. */
  pollIntervalMs?: number;
  onError?: (error: Error) => void;
}

/**
 * Follows which ruleset version is published, for routers: an announcement on the publications
 * channel triggers an immediate check, and the pointer is polled as a backstop. `onVersion` is
 * called once per change of the published version (a rollback is a change too).
 *
 * An announcement is only a trigger: the pointer is read again rather than trusting the message,
 * because the subscription has its own connection and a late message must never switch a router
 * back to a version that has since been replaced.
 */
export class PublishedVersionWatcher {
  private lastSeen: number | null = null;
  private timer?: NodeJS.Timeout;
  private unsubscribe?: () => void;
  private checking?: Promise<void>;
  private recheckRequested = false;

  constructor(
    private readonly store: RulesetStore,
    private readonly onVersion: (version: number) => void,
    private readonly options: PublishedVersionWatcherOptions = {},
  ) {}

  /** Starts watching; resolves with the version published now (null if none), which is not reported to `onVersion`. */
  async start(): Promise<number | null> {
    this.lastSeen = await this.store.pollCurrentVersion();
    this.unsubscribe = this.store.subscribeToPublications(() => void this.check(), this.options.onError);
    this.timer = setInterval(() => void this.check(), this.options.pollIntervalMs ?? 500);
    this.timer.unref();
    return this.lastSeen;
  }

  stop(): void {
    clearInterval(this.timer);
    this.unsubscribe?.();
  }

  /** One check at a time; a trigger arriving during a check runs one more right after it. */
  private check(): Promise<void> {
    if (this.checking) {
      this.recheckRequested = true;
      return this.checking;
    }
    this.checking = (async () => {
      try {
        do {
          this.recheckRequested = false;
          const version = await this.store.pollCurrentVersion();
          if (version !== null && version !== this.lastSeen) {
            this.lastSeen = version;
            this.onVersion(version);
          }
        } while (this.recheckRequested);
      } catch (error) {
        this.options.onError?.(error as Error);
      } finally {
        this.checking = undefined;
      }
    })();
    return this.checking;
  }
}
