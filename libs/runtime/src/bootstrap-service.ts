import 'reflect-metadata';
import { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { CommonConfig, ConfigError } from '@conmutador/config';
import { maskPersonalData } from '@conmutador/contracts';

export interface ServiceDefinition<C extends CommonConfig> {
  name: string;
  loadConfig: (env: NodeJS.ProcessEnv) => C;
  module: (config: C) => DynamicModule;
  /** Runs once the app exists and before it listens: global pipes, API documentation. */
  configureApp?: (app: INestApplication, config: C) => void | Promise<void>;
}

/**
 * Boots a service and owns its process life:
 * - configuration is read and validated before anything connects; a bad key stops the boot with
 *   exit code 2 and a message naming the key;
 * - SIGTERM / SIGINT finish the in-flight chunk, commit, disconnect and exit 0; a shutdown that
 *   hangs past SHUTDOWN_TIMEOUT_MS exits 1 instead of hanging forever.
 */
export async function bootstrapService<C extends CommonConfig>(definition: ServiceDefinition<C>): Promise<INestApplication> {
  let config: C;
  try {
    config = definition.loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      // Written before the logger exists, so masked here as the logger would.
      process.stderr.write(`${definition.name}: ${maskPersonalData(error.message)}\n`);
      process.exit(2);
    }
    throw error;
  }

  const app = await NestFactory.create(definition.module(config), { bufferLogs: true });
  const logger = app.get(Logger);
  app.useLogger(logger);
  await definition.configureApp?.(app, config);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received: draining and stopping`);
    const watchdog = setTimeout(() => {
      logger.error(`shutdown took longer than ${config.shutdownTimeoutMs} ms; exiting`);
      process.exit(1);
    }, config.shutdownTimeoutMs);
    watchdog.unref();
    try {
      await app.close();
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));

  await app.listen(config.httpPort, config.httpHost);
  const address = app.getHttpServer().address();
  logger.log({ port: typeof address === 'object' && address ? address.port : config.httpPort }, `${definition.name} started`);
  return app;
}

/** Entry point helper: an error during boot is logged plainly and exits 1. */
export function runService<C extends CommonConfig>(definition: ServiceDefinition<C>): void {
  bootstrapService(definition).catch((error: unknown) => {
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`${definition.name}: failed to start: ${maskPersonalData(detail)}\n`);
    process.exit(1);
  });
}
