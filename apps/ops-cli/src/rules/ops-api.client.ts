import { RulesCliConfig } from '@conmutador/config';
import { DryRunReport, RulesetIssue } from '@conmutador/rules';

/** The parts of the ops API answers the CLI reads (the API documents them at /openapi.json). */
export interface PublishedRulesetAnswer {
  version: number;
  document: unknown;
}

export interface CreatedDraftAnswer {
  version: number;
  warnings: RulesetIssue[];
}

export interface PublicationAnswer {
  version: number;
  previousVersion: number | null;
}

export interface DryRunSource {
  kind: 'interactions' | 'replay';
  interactions: number;
  replayHours?: number;
  topic?: string;
  since?: string;
  recordsRead?: number;
  otherEvents?: number;
  invalidRecords?: number;
  duplicateArrivals?: number;
}

export interface DryRunAnswer {
  draftVersion: number;
  publishedVersion: number;
  source: DryRunSource;
  report: DryRunReport;
}

/** A non-2xx answer: its status and body, which names what was wrong. */
export class OpsApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    request: string,
  ) {
    const message = typeof body === 'object' && body !== null && 'message' in body ? (body as { message: unknown }).message : body;
    super(`${request} answered ${status}: ${Array.isArray(message) ? message.join('; ') : String(message ?? '')}`);
    this.name = 'OpsApiError';
  }
}

export class OpsApiClient {
  constructor(
    private readonly config: RulesCliConfig,
    private readonly apiKey: string,
  ) {}

  /** Null when nothing has been published yet. */
  async published(): Promise<PublishedRulesetAnswer | null> {
    try {
      return await this.request<PublishedRulesetAnswer>('GET', '/v1/rulesets/published');
    } catch (error) {
      if (error instanceof OpsApiError && error.status === 404) return null;
      throw error;
    }
  }

  version(version: number): Promise<PublishedRulesetAnswer> {
    return this.request('GET', `/v1/rulesets/${version}`);
  }

  createDraft(document: unknown, note: string): Promise<CreatedDraftAnswer> {
    return this.request('POST', '/v1/rulesets', { document, note });
  }

  publish(version: number): Promise<PublicationAnswer> {
    return this.request('POST', `/v1/rulesets/${version}/publish`);
  }

  dryRun(version: number, replayHours: number): Promise<DryRunAnswer> {
    return this.request('POST', `/v1/rulesets/${version}/dry-run`, { replayHours });
  }

  private async request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.config.apiUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.apiKey}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(this.config.requestTimeoutMs),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // Not JSON (a proxy's error page, say): keep the text for the message.
    }
    if (!response.ok) throw new OpsApiError(response.status, parsed, `${method} ${path}`);
    return parsed as T;
  }
}
