import type { Kafka, LogEntry } from 'kafkajs';
import { PinoLogger } from 'nestjs-pino';
import { kafkajs } from './kafkajs';

const { Kafka: KafkaClient, logLevel: KafkaLogLevel } = kafkajs;

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [KafkaLogLevel.ERROR]: 'error',
  [KafkaLogLevel.WARN]: 'warn',
  [KafkaLogLevel.INFO]: 'info',
  [KafkaLogLevel.DEBUG]: 'debug',
};

/** kafkajs logs through the service's pino logger, so every line is JSON with the same redaction. */
export function createKafkaClient(options: { brokers: string[]; clientId: string }, logger: PinoLogger): Kafka {
  return new KafkaClient({
    clientId: options.clientId,
    brokers: options.brokers,
    logLevel: KafkaLogLevel.WARN,
    retry: { initialRetryTime: 200, retries: 10 },
    logCreator: () => (entry: LogEntry) => {
      const { message, ...extra } = entry.log;
      logger[LEVELS[entry.level] ?? 'info']({ namespace: entry.namespace, ...extra }, `kafka: ${message}`);
    },
  });
}
