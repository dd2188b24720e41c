/**
 * How a bench stage talks to the orchestrator (tools/bench.mjs): options arrive as one JSON
 * argument, progress goes to stderr as short lines, and the result is written as JSON to the file
 * the orchestrator named. A stage is its own process so that one stage's heap, JIT state and
 * sockets never colour the next stage's figures.
 */
import { writeFileSync } from 'node:fs';
import { format } from 'node:util';

/** What every stage receives; stage-specific options are added by intersection. */
export interface CommonStageOptions {
  kafkaBrokers: string[];
  redisUrl: string;
  /** Fresh per stage: topics are `<namespace>.interactions.inbound` and so on. */
  namespace: string;
  /** Fresh per stage: every Redis key the stage (or a service it starts) writes starts with it. */
  keyPrefix: string;
  quick: boolean;
  /** Where services started by the stage write `--cpu-prof` profiles; absent: no profiling. */
  profileDir?: string;
  /** The local broker's process, for its CPU time; null when the broker is not ours to see. */
  kafkaPid?: number | null;
}

export function readStageOptions<T extends CommonStageOptions>(argv: readonly string[] = process.argv.slice(2)): { options: T; resultFile: string } {
  const value = (name: string): string => {
    const prefix = `--${name}=`;
    const found = argv.find((arg) => arg.startsWith(prefix));
    if (found === undefined) throw new Error(`missing ${prefix}…`);
    return found.slice(prefix.length);
  };
  return { options: JSON.parse(value('options')) as T, resultFile: value('result') };
}

/** Progress for a person watching the terminal; the orchestrator passes stderr straight through. */
export function progress(stage: string, message: string, ...values: unknown[]): void {
  process.stderr.write(`[bench:${stage}] ${format(message, ...values)}\n`);
}

/** Calls `report` at most once per `intervalMs`, however often `tick` is called. */
export function throttled(intervalMs: number, report: () => void): { tick: () => void } {
  let last = 0;
  return {
    tick: () => {
      const now = Date.now();
      if (now - last < intervalMs) return;
      last = now;
      report();
    },
  };
}

export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/**
 * Runs a stage body and writes its result; a failure is printed and turns into exit code 1, so
 * the orchestrator can mark the stage failed and go on with the others.
 */
export function runStage<T extends CommonStageOptions, R>(stage: string, body: (options: T) => Promise<R>): void {
  let resultFile = '';
  Promise.resolve()
    .then(() => {
      const parsed = readStageOptions<T>();
      resultFile = parsed.resultFile;
      return body(parsed.options);
    })
    .then((result) => {
      writeFileSync(resultFile, `${JSON.stringify(result, null, 2)}\n`);
      // Open sockets of a half-closed client must not keep a finished stage alive.
      process.exit(0);
    })
    .catch((error: unknown) => {
      progress(stage, 'failed: %s', error instanceof Error ? (error.stack ?? error.message) : String(error));
      process.exit(1);
    });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
