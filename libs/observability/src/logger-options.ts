import { IncomingMessage, ServerResponse } from 'node:http';
import pino, { LoggerOptions } from 'pino';
import { maskLogArguments, maskLogValue } from './log-masking';
import { REDACTED_PATHS, REDACTION_CENSOR } from './redaction';

export interface LoggerSettings {
  service: string;
  logLevel: string;
}

/**
 * Every service's pino configuration (ObservabilityModule hands it to nestjs-pino). Personal data is
 * kept out of the lines twice over: the fields named for it are censored whole, and phone numbers,
 * ids and e-mail addresses are masked in the message, in every other field at any depth and in
 * errors (docs/personal-data.md). Only lines at an enabled level reach the hook, so a disabled
 * debug line costs nothing more than before.
 */
export function loggerOptions(settings: LoggerSettings): LoggerOptions {
  return {
    level: settings.logLevel,
    base: { service: settings.service },
    redact: { paths: REDACTED_PATHS, censor: REDACTION_CENSOR },
    hooks: {
      logMethod(args, method) {
        method.apply(this, maskLogArguments(args));
      },
    },
    // Requests and responses are built by these serializers rather than walked by the hook. Under
    // pino-http they receive what its own serializers built; under plain pino, Node's objects.
    serializers: {
      req: (req: unknown) => maskLogValue(req instanceof IncomingMessage ? pino.stdSerializers.req(req) : req),
      res: (res: unknown) => maskLogValue(res instanceof ServerResponse ? pino.stdSerializers.res(res) : res),
    },
  };
}
