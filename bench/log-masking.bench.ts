/**
 * Micro-benchmark of what content-based masking adds to a written log line, in process: the same
 * lines through pino with the field-name redaction alone (the configuration before masking) and
 * through the services' configuration (loggerOptions: redaction plus masking), alternating which
 * goes first, to a sink that drops the bytes. Reports µs per line for each and their difference.
 * Lines below the level never reach the masking hook, so debug lines are not measured.
 *
 * Run: `npm run build && node dist/bench/log-masking.bench.js`
 */
import pino from 'pino';
import { loggerOptions, REDACTED_PATHS, REDACTION_CENSOR } from '@conmutador/observability';

const LINES_PER_SAMPLE = 20_000;
const ROUNDS = 12;
const WARM_UP_ROUNDS = 2;

type LogLine = (logger: pino.Logger) => void;

const failure = new Error('Connection error: connect ECONNREFUSED 127.0.0.1:19092');

/** Lines as the services write them: a chunk-level line, a kafkajs warning, an error, one with personal data. */
const LINES: Record<string, LogLine> = {
  'chunk info line': (logger) =>
    logger.info({ topic: 'interactions.inbound', partitions: [0, 3, 5], fromOffset: '1234567', records: 500, publishedMs: 12 }, 'chunk published'),
  'kafkajs warning': (logger) =>
    logger.warn(
      { namespace: 'Connection', broker: '127.0.0.1:19092', clientId: 'conmutador-engine', correlationId: 1_234_567, size: 4_096 },
      'kafka: Response Metadata(key: 3, version: 6)',
    ),
  'error with stack': (logger) =>
    logger.error({ err: failure, topic: 'interactions.inbound', fromOffset: '1234567', attempt: 2, retryInMs: 400 }, 'publish failed; retrying the chunk'),
  'personal data': (logger) =>
    logger.warn({ interactionId: 'wa-5731-000981', attributes: { contacto: 'ana.gomez@example.com', alterno: 3_001_234_567 } }, 'llamar al +57 300 123 4567'),
};

const sink = { write: (_line: string) => undefined };
const before = pino({ level: 'info', base: { service: 'bench' }, redact: { paths: REDACTED_PATHS, censor: REDACTION_CENSOR } }, sink);
const after = pino(loggerOptions({ service: 'bench', logLevel: 'info' }), sink);

function microsPerLine(logger: pino.Logger, line: LogLine): number {
  const started = process.hrtime.bigint();
  for (let i = 0; i < LINES_PER_SAMPLE; i++) line(logger);
  return Number(process.hrtime.bigint() - started) / 1_000 / LINES_PER_SAMPLE;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export interface LogMaskingBenchResult {
  lines: Record<string, { beforeUs: number; afterUs: number; addedUs: number }>;
}

export function runLogMaskingBench(): LogMaskingBenchResult {
  const lines: LogMaskingBenchResult['lines'] = {};
  for (const [name, line] of Object.entries(LINES)) {
    const samples = { before: [] as number[], after: [] as number[] };
    for (let round = 0; round < WARM_UP_ROUNDS + ROUNDS; round++) {
      const order = round % 2 === 0 ? (['before', 'after'] as const) : (['after', 'before'] as const);
      for (const which of order) {
        const us = microsPerLine(which === 'before' ? before : after, line);
        if (round >= WARM_UP_ROUNDS) samples[which].push(us);
      }
    }
    const beforeUs = median(samples.before);
    const afterUs = median(samples.after);
    lines[name] = { beforeUs, afterUs, addedUs: afterUs - beforeUs };
  }
  return { lines };
}

if (require.main === module) {
  const { lines } = runLogMaskingBench();
  for (const [name, { beforeUs, afterUs, addedUs }] of Object.entries(lines)) {
    process.stdout.write(`${name.padEnd(18)} ${beforeUs.toFixed(2)} µs redaction only, ${afterUs.toFixed(2)} µs with masking (+${addedUs.toFixed(2)} µs)\n`);
  }
}
