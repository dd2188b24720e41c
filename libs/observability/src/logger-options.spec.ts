import fc from 'fast-check';
import { Logger, PinoLogger } from 'nestjs-pino';
import { Writable } from 'node:stream';
import pino from 'pino';
import { PERSONAL_DATA_MASKS } from '@conmutador/contracts';
import { maskLogValue } from './log-masking';
import { loggerOptions } from './logger-options';
import { REDACTION_CENSOR } from './redaction';

/** The services' pino configuration, writing to a string instead of stdout. */
function capturedLogger(): { logger: pino.Logger; output: () => string; sink: Writable } {
  let output = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      output += chunk.toString();
      done();
    },
  });
  return { logger: pino(loggerOptions({ service: 'logger-options-spec', logLevel: 'info' }), sink), output: () => output, sink };
}

// ---- Personal data as people write it, embedded in random text ----

const digits = (count: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: count, maxLength: count }).map((d) => d.join(''));

/** Colombian mobiles (3xx) and landlines (60x), split as [area, 3 digits, 4 digits]. */
const tenDigitNumber = fc.oneof(
  fc.tuple(digits(2), digits(3), digits(4)).map(([area, middle, last]) => [`3${area}`, middle, last]),
  fc.tuple(fc.integer({ min: 1, max: 8 }), digits(3), digits(4)).map(([area, middle, last]) => [`60${area}`, middle, last]),
);
const phone = fc.oneof(
  tenDigitNumber.chain(([a, b, c]) =>
    fc.constantFrom(
      `+57${a}${b}${c}`,
      `+57 ${a} ${b} ${c}`,
      `+57-${a}-${b}-${c}`,
      `+57 (${a}) ${b}-${c}`,
      `${a}${b}${c}`,
      `${a} ${b} ${c}`,
      `${a}.${b}.${c}`,
      `${a}-${b}-${c}`,
      `(${a}) ${b} ${c}`,
      `${a} ${b}${c}`,
      `${a} ${b} ${c.slice(0, 2)} ${c.slice(2)}`,
      `57${a}${b}${c}`,
      `0057 ${a} ${b} ${c}`,
    ),
  ),
  fc
    .tuple(fc.integer({ min: 2, max: 8 }), digits(2), digits(4))
    .chain(([first, rest, last]) =>
      fc.constantFrom(`${first}${rest} ${last}`, `${first}${rest}-${last.slice(0, 2)}-${last.slice(2)}`, `(4) ${first}${rest} ${last}`),
    ),
  fc.tuple(fc.integer({ min: 1, max: 999 }), fc.integer({ min: 7, max: 12 }).chain(digits)).map(([country, number]) => `+${country} ${number}`),
);
const withThousandsDots = (number: string) => number.replace(/\B(?=(\d{3})+$)/g, '.');
const cedula = fc
  .integer({ min: 6, max: 10 })
  .chain((length) => fc.tuple(fc.integer({ min: 1, max: 9 }), digits(length - 1)))
  .chain(([first, rest]) => {
    const number = `${first}${rest}`;
    return number.length >= 7 ? fc.constantFrom(number, withThousandsDots(number), `CC${number}`) : fc.constant(number);
  });
const email = fc
  .tuple(fc.stringMatching(/^[a-z0-9][a-z0-9._+-]{0,10}$/), fc.stringMatching(/^[a-z0-9]{1,10}$/), fc.stringMatching(/^[a-z]{2,4}$/))
  .map(([local, domain, tld]) => `${local}@${domain}.${tld}`);

const filler = fc.oneof(fc.string({ maxLength: 16 }), fc.string({ unit: 'grapheme', maxLength: 8 }));
/** What sets a number apart from the text around it. Not `.`, `,` or `-`: next to digits they make it a decimal or part of an identifier, which is not masked by design. */
const delimiter = fc.constantFrom(' ', '\n', '\t', '(', ')', ':', ';', '"', "'", '=', '/', '[', ']', '<', '>', '¿', '¡', '!', '?', '*', '|', '#');

interface Sample {
  value: unknown;
  /** The personal data in `value`, each of which must not appear in the output. */
  secrets: string[];
}

/** The two contexts that keep a number by design (docs/personal-data.md): a Kafka label before it, a unit after it. */
const LABEL_BEFORE = /\b(?:offsets?|partitions?|port|pid|attempt|generation(?:Id)?)\b[ :=#"']{0,4}$/i;
const UNIT_AFTER = /^ ?(?:ms|µs|ns|sec|seconds|segundos|bytes|KiB|MiB|GiB|KB|MB|GB)(?![\p{L}\p{N}_])/iu;
const text: fc.Arbitrary<{ text: string; secrets: string[] }> = fc
  .tuple(filler, delimiter, fc.oneof(phone, cedula, email), delimiter, filler)
  .filter(([before, left, , right, after]) => !LABEL_BEFORE.test(before + left) && !UNIT_AFTER.test(right + after))
  .map(([before, left, secret, right, after]) => ({ text: `${before}${left}${secret}${right}${after}`, secrets: [secret] }));
/** `attributes` may carry a phone number or a cédula as a JSON number. */
const integer: fc.Arbitrary<Sample> = fc
  .oneof(
    tenDigitNumber.map((parts) => Number(parts.join(''))),
    cedula.filter((id) => /^\d+$/.test(id)).map(Number),
  )
  .map((value) => ({ value, secrets: [String(value)] }));
/** Field names; the operational ones (offset, time, …) are left out: they are exempt by design and tested apart. */
const fieldName = fc
  .stringMatching(/^[a-z]{1,10}$/)
  .filter((name) => !['offset', 'offsets', 'partition', 'partitions', 'time', 'timestamp', 'pid', 'port', 'hostname'].includes(name));

const entries = (node: fc.Arbitrary<Sample>, maxLength: number) => fc.array(fc.tuple(fieldName, node), { maxLength });
const samples = fc.letrec<{ node: Sample; object: Sample; array: Sample; error: Sample }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small' },
    text.map(({ text, secrets }) => ({ value: text, secrets })),
    integer,
    tie('object'),
    tie('array'),
    tie('error'),
  ),
  object: entries(tie('node'), 4).map((fields) => ({
    value: Object.fromEntries(fields.map(([name, sample]) => [name, sample.value])),
    secrets: fields.flatMap(([, sample]) => sample.secrets),
  })),
  array: fc.array(tie('node'), { maxLength: 4 }).map((items) => ({ value: items.map((item) => item.value), secrets: items.flatMap((item) => item.secrets) })),
  error: fc
    .tuple(text, entries(tie('node'), 2), fc.option(tie('error'), { nil: undefined }), fc.constantFrom(Error, TypeError, RangeError))
    .map(([message, fields, cause, ErrorClass]) => {
      const error = new ErrorClass(message.text, cause ? { cause: cause.value } : undefined);
      for (const [name, sample] of fields) Object.assign(error, { [name]: sample.value });
      return { value: error, secrets: [...message.secrets, ...fields.flatMap(([, sample]) => sample.secrets), ...(cause?.secrets ?? [])] };
    }),
}));

/** One logger call, in each of the shapes the code base uses. */
const logCall = fc.record({
  level: fc.constantFrom('info' as const, 'warn' as const, 'error' as const),
  shape: fc.constantFrom('fields and message', 'error alone', 'error field', 'message only', 'interpolated'),
  fields: samples.object,
  error: samples.error,
  message: text,
  argument: text,
});

describe('logger configuration: content-based masking', () => {
  it('writes none of the phone numbers, cédulas and e-mail addresses embedded anywhere in a log call', () => {
    fc.assert(
      fc.property(logCall, ({ level, shape, fields, error, message, argument }) => {
        const { logger, output } = capturedLogger();
        let secrets: string[];
        switch (shape) {
          case 'fields and message':
            logger[level](fields.value as object, message.text);
            secrets = [...fields.secrets, ...message.secrets];
            break;
          case 'error alone':
            logger[level](error.value as Error);
            secrets = error.secrets;
            break;
          case 'error field':
            logger[level]({ ...(fields.value as object), err: error.value }, message.text);
            secrets = [...fields.secrets, ...error.secrets, ...message.secrets];
            break;
          case 'message only':
            logger[level](message.text);
            secrets = message.secrets;
            break;
          default:
            logger[level]({}, `${message.text} %s %o`, argument.text, fields.value as object);
            secrets = [...message.secrets, ...argument.secrets, ...fields.secrets];
        }
        // The line's own clock could hold any short digit run by chance.
        const written = output().replace(/"time":\d+/, '');
        const leaked = secrets.filter((secret) => written.includes(secret));
        if (leaked.length > 0) throw new Error(`leaked ${JSON.stringify(leaked)} in ${written}`);
      }),
      // The run's seed, printed once and replayable with FC_SEED (test/support/unit-setup.ts).
      { numRuns: 400 },
    );
  });

  it('keeps operational fields as they are, and still masks the others', () => {
    const { logger, output } = capturedLogger();
    logger.warn(
      {
        topic: 'interactions.inbound',
        partition: 4,
        partitions: [0, 1, 2],
        offset: '1234567',
        fromOffset: '1023456789',
        attempt: 3,
        retryInMs: 1_600_000,
        failedAt: '2026-04-14T15:04:05.123-05:00',
        enqueuedAtMs: 1_776_197_045_123,
        interactionId: 'wa-5731-000981',
        eventId: 'evt-1023456789',
        queued: 12_345,
        attributes: { cedula: 1_023_456_789, otro: 3_001_234_567, nota: 'escribir a ana@example.com' },
      },
      'offset commit failed at offset 1234567; retrying in 1600000 ms',
    );
    const line = JSON.parse(output());
    expect(line).toMatchObject({
      partition: 4,
      partitions: [0, 1, 2],
      offset: '1234567',
      fromOffset: '1023456789',
      retryInMs: 1_600_000,
      enqueuedAtMs: 1_776_197_045_123,
      interactionId: 'wa-5731-000981',
      eventId: 'evt-1023456789',
      queued: 12_345,
      attributes: { cedula: PERSONAL_DATA_MASKS.id, otro: PERSONAL_DATA_MASKS.phone, nota: `escribir a ${PERSONAL_DATA_MASKS.email}` },
      msg: 'offset commit failed at offset 1234567; retrying in 1600000 ms',
    });
    expect(typeof line.time).toBe('number');
  });

  it('masks an error message, stack and cause and still names the error type', () => {
    class KafkaJSConnectionError extends Error {
      broker = '10.20.30.40:9092';
    }
    const { logger, output } = capturedLogger();
    logger.error({ err: new KafkaJSConnectionError('no route for 3001234567', { cause: new Error('ana@example.com') }) }, 'routing failed');
    const { err } = JSON.parse(output());
    expect(err.type).toBe('KafkaJSConnectionError');
    expect(err.message).toBe(`no route for ${PERSONAL_DATA_MASKS.phone}: ${PERSONAL_DATA_MASKS.email}`);
    expect(err.stack).toContain(`no route for ${PERSONAL_DATA_MASKS.phone}`);
    expect(err.stack).not.toMatch(/3001234567|ana@example\.com/);
    expect(err.broker).toBe('10.20.30.40:9092');
  });

  it('still censors the fields named for personal data whole', () => {
    const { logger, output } = capturedLogger();
    logger.info({ event: { text: 'me llamo Ana', customer: { id: 'C-99', phone: '+573105550101', region: 'medellin' } } }, 'event');
    const line = JSON.parse(output());
    expect(line.event).toEqual({ text: REDACTION_CENSOR, customer: { id: REDACTION_CENSOR, phone: REDACTION_CENSOR, region: 'medellin' } });
  });

  it('leaves the caller’s objects as they were: masking copies', () => {
    const { logger } = capturedLogger();
    const error = new Error('llamar al 3001234567');
    const event = { attributes: { contacto: 'ana@example.com' }, errors: [error] };
    logger.info({ event }, 'logged');
    expect(event.attributes.contacto).toBe('ana@example.com');
    expect(error.message).toBe('llamar al 3001234567');
    expect(event.errors[0]).toBe(error);
  });

  it('returns a value with nothing to mask as the same reference, and survives a cycle', () => {
    const clean = { topic: 'interactions.inbound', nested: { count: 3, names: ['a', 'b'] } };
    expect(maskLogValue(clean)).toBe(clean);
    const cyclic: Record<string, unknown> = { contacto: '3001234567' };
    cyclic.self = cyclic;
    expect(maskLogValue(cyclic)).toEqual({ contacto: PERSONAL_DATA_MASKS.phone, self: '[Circular]' });
  });

  it('masks through nestjs-pino too: PinoLogger with a context, and Nest’s own logger calls', () => {
    const { output, sink } = capturedLogger();
    const pinoLogger = new PinoLogger({ pinoHttp: [loggerOptions({ service: 'logger-options-spec', logLevel: 'info' }), sink] });
    pinoLogger.setContext('RoutingProcessor');
    pinoLogger.error({ err: new Error('queue for ana@example.com') }, 'routing failed for 3001234567');
    const nestLogger = new Logger(pinoLogger, {});
    // The shape Nest's ExceptionsHandler uses: message, stack, context.
    nestLogger.error('unhandled: 1.023.456.789', 'Error: unhandled: 1.023.456.789\n    at handler (main.js:1:1)', 'ExceptionsHandler');
    const lines = output()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines[0]).toMatchObject({
      context: 'RoutingProcessor',
      msg: `routing failed for ${PERSONAL_DATA_MASKS.phone}`,
      err: { message: `queue for ${PERSONAL_DATA_MASKS.email}` },
    });
    expect(lines[1].err.message).toBe(`unhandled: ${PERSONAL_DATA_MASKS.id}`);
    expect(output()).not.toMatch(/ana@example\.com|3001234567|1\.023\.456\.789/);
  });
});
