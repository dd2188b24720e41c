import { basename } from 'node:path';
import { OPS_API_LIMIT_KEYS, RulesCliConfig } from '@conmutador/config';
import {
  checkRulesetBounds,
  describeBoundViolation,
  diffRulesets,
  hasErrors,
  isValidRulesetDocument,
  RulesetDocument,
  RulesetIssue,
  validateRuleset,
} from '@conmutador/rules';
import { OpsApiClient, OpsApiError } from './ops-api.client';
import { RulesCommand } from './rules-arguments';
import { readRulesetFile, RulesetFileError, sameDocument } from './ruleset-file';
import { formatDiff, formatDryRun, formatIssues } from './rules-output';

export interface CliOutput {
  /** Results: human text, or with --json exactly one JSON document. */
  out(text: string): void;
  /** Progress, warnings and failures. */
  err(text: string): void;
}

/** 0 done; 1 refused (invalid ruleset, the API said no, the API unreachable); 2 usage or configuration. */
export type ExitCode = 0 | 1 | 2;

type ApiCommand = Exclude<RulesCommand, { command: 'help' } | { command: 'validate' }>;

class Refusal extends Error {}

export class RulesCommands {
  constructor(
    private readonly config: RulesCliConfig,
    private readonly output: CliOutput,
  ) {}

  async run(command: Exclude<RulesCommand, { command: 'help' }>): Promise<ExitCode> {
    try {
      if (command.command === 'validate') return this.validate(command.file, command.json);
      if (!this.config.apiKey) {
        this.output.err(`${command.command} talks to the ops API: set OPS_API_KEY (and OPS_API_URL, now ${this.config.apiUrl})`);
        return 2;
      }
      const client = new OpsApiClient(this.config, this.config.apiKey);
      const document = this.checkedDocument(command);
      switch (command.command) {
        case 'diff':
          return await this.diff(client, command, document);
        case 'apply':
          return await this.apply(client, command, document);
        case 'dry-run':
          return await this.dryRun(client, command, document);
      }
    } catch (error) {
      return this.failure(error);
    }
  }

  private validate(file: string, json: boolean): ExitCode {
    const document = readRulesetFile(file);
    this.assertWithinBounds(file, document);
    const issues = validateRuleset(document);
    this.output.out(json ? JSON.stringify({ file, valid: !hasErrors(issues), issues }, null, 2) : formatIssues(file, issues));
    return hasErrors(issues) ? 1 : 0;
  }

  /** Every API command checks the file first: a broken file never reaches the API. */
  private checkedDocument(command: ApiCommand): RulesetDocument {
    const document = readRulesetFile(command.file);
    this.assertWithinBounds(command.file, document);
    const issues = validateRuleset(document);
    if (!isValidRulesetDocument(document)) {
      this.reportIssues(command, issues);
      throw new Refusal(`${command.file} has errors; nothing was sent`);
    }
    if (issues.length > 0) this.output.err(formatIssues(command.file, issues));
    return document;
  }

  /** The API's bounds (same variables, same defaults): a file over one would be refused there. */
  private assertWithinBounds(file: string, document: unknown): void {
    const { limits } = this.config;
    const problems = checkRulesetBounds(document, limits).map((violation) => describeBoundViolation(violation, OPS_API_LIMIT_KEYS[violation.bound]));
    const bytes = Buffer.byteLength(JSON.stringify(document));
    if (bytes > limits.maxBodyBytes) problems.push(`the document has ${bytes} bytes; the bound ${OPS_API_LIMIT_KEYS.maxBodyBytes} is ${limits.maxBodyBytes}`);
    if (problems.length > 0) throw new Refusal(`${file}: ${problems.join('; ')}`);
  }

  private async diff(client: OpsApiClient, command: Extract<RulesCommand, { command: 'diff' }>, document: RulesetDocument): Promise<ExitCode> {
    const stored = command.against === 'published' ? await client.published() : await client.version(command.against);
    if (!stored) throw new Refusal('nothing is published yet: diff against a version number, or apply the file');
    if (!isValidRulesetDocument(stored.document)) throw new Refusal(`version ${stored.version} does not pass validation any more; compare by hand`);
    const diff = diffRulesets(stored.document, document);
    const against = command.against === 'published' ? `published version ${stored.version}` : `version ${stored.version}`;
    this.output.out(
      command.json ? JSON.stringify({ file: command.file, againstVersion: stored.version, diff }, null, 2) : formatDiff(command.file, against, diff),
    );
    return 0;
  }

  /** Idempotent, for pipelines: applying what is already published creates no version. */
  private async apply(client: OpsApiClient, command: Extract<RulesCommand, { command: 'apply' }>, document: RulesetDocument): Promise<ExitCode> {
    const published = await client.published();
    if (published && sameDocument(published.document, document)) {
      this.output.out(
        command.json
          ? JSON.stringify({ version: published.version, previousVersion: null, changed: false })
          : `${command.file} is already published as version ${published.version}; nothing to do`,
      );
      return 0;
    }
    const draft = await client.createDraft(document, command.note ?? `applied from ${basename(command.file)}`);
    const publication = await client.publish(draft.version);
    this.output.out(
      command.json
        ? JSON.stringify({ version: publication.version, previousVersion: publication.previousVersion, changed: true })
        : `published version ${publication.version}${publication.previousVersion === null ? '' : ` (replacing version ${publication.previousVersion})`}`,
    );
    return 0;
  }

  private async dryRun(client: OpsApiClient, command: Extract<RulesCommand, { command: 'dry-run' }>, document: RulesetDocument): Promise<ExitCode> {
    // The API compares stored versions, so the file is saved as a draft first (and stays one).
    const draft = await client.createDraft(document, `dry run of ${basename(command.file)}`);
    this.output.err(`saved as draft version ${draft.version}; replaying ${command.hours} h of arrivals…`);
    const answer = await client.dryRun(draft.version, command.hours);
    this.output.out(command.json ? JSON.stringify(answer, null, 2) : formatDryRun(command.file, answer));
    return 0;
  }

  private reportIssues(command: ApiCommand, issues: RulesetIssue[]): void {
    if (command.json) this.output.out(JSON.stringify({ file: command.file, valid: false, issues }, null, 2));
    else this.output.err(formatIssues(command.file, issues));
  }

  private failure(error: unknown): ExitCode {
    if (error instanceof Refusal || error instanceof RulesetFileError) {
      this.output.err(error.message);
      return 1;
    }
    if (error instanceof OpsApiError) {
      this.output.err(error.message);
      const issues = (error.body as { issues?: RulesetIssue[] } | null)?.issues;
      if (Array.isArray(issues)) this.output.err(formatIssues('the stored ruleset', issues));
      return 1;
    }
    if (error instanceof TypeError && error.message === 'fetch failed') {
      const cause = (error.cause as Error | undefined)?.message ?? 'no answer';
      this.output.err(`cannot reach the ops API at ${this.config.apiUrl} (${cause}); check OPS_API_URL`);
      return 1;
    }
    if (error instanceof DOMException && error.name === 'TimeoutError') {
      this.output.err(`the ops API did not answer within ${this.config.requestTimeoutMs} ms (OPS_API_TIMEOUT_MS)`);
      return 1;
    }
    throw error;
  }
}
