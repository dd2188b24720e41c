/**
 * The idiomatic NestJS baseline (stage 3) as its own process: a microservice on the built-in
 * Kafka transport with default consumer settings, reading its topic from the beginning. Prints
 * `listening` on stdout once the consumer has joined its group.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions, Transport } from '@nestjs/microservices';
import { BASELINE_CONFIG } from './baseline-config';
import { BaselineModule } from './baseline.module';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(BaselineModule, {
    logger: ['error', 'warn'],
    transport: Transport.KAFKA,
    options: {
      client: { clientId: BASELINE_CONFIG.groupId, brokers: BASELINE_CONFIG.brokers },
      consumer: { groupId: BASELINE_CONFIG.groupId, allowAutoTopicCreation: false },
      subscribe: { fromBeginning: true },
    },
  });
  app.enableShutdownHooks();
  // kafkajs' consumer.run() resolves after the group join, and so does listen().
  await app.listen();
  process.stdout.write('listening\n');
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`nest baseline failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
