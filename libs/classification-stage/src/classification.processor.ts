import { Inject, Injectable } from '@nestjs/common';
import { Message } from 'kafkajs';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import {
  ClassificationSummary,
  ClassifiedInteraction,
  decodeInboundEvent,
  encodeClassifiedInteraction,
  InboundEvent,
  InboundEventType,
  RejectionReason,
} from '@conmutador/contracts';
import { classificationInputOf } from '@conmutador/classification';
import { ClassifierServiceConfig } from '@conmutador/config';
import { ConsumedRecord, deadLetterMessage, DecodedRecord, engineTopics, ProcessingResult, RecordProcessor } from '@conmutador/kafka';
import { CLASSIFIER_CONFIG, INTERACTION_CLASSIFIER } from './classifier.tokens';
import { ReloadableClassifier } from './classifier.provider';

export const CLASSIFIER_SERVICE_NAME = 'classifier';

/**
 * interactions.inbound → conmutador.interactions.classified. Every valid event is forwarded
 * (arrivals with their classification) under the interaction id as key; every invalid record
 * goes to the dead-letter topic. Nothing here touches Redis: this stage is pure and stateless.
 */
@Injectable()
export class ClassificationProcessor implements RecordProcessor {
  private readonly topics;

  constructor(
    @Inject(CLASSIFIER_CONFIG) private readonly config: ClassifierServiceConfig,
    @Inject(INTERACTION_CLASSIFIER) private readonly classifier: ReloadableClassifier,
    @InjectPinoLogger(ClassificationProcessor.name) private readonly logger: PinoLogger,
  ) {
    this.topics = engineTopics(config.kafka);
  }

  async process(records: ConsumedRecord[]): Promise<ProcessingResult> {
    const { classified, deadLetters } = this.classifyRecords(records);
    return {
      messages: [
        {
          topic: this.topics.classified,
          messages: classified.map(({ record, message }) => ({
            key: message.event.interactionId,
            // Decoding accepted this value, so it is non-null.
            value: encodeClassifiedInteraction(record.value as Buffer, message.classification, message.classifiedAt),
          })),
        },
        { topic: this.topics.deadLetter, messages: deadLetters },
      ],
    };
  }

  /**
   * Decodes and classifies a chunk, in record order. The one-process engine hands the result to
   * the router's stage in memory; the classifier service publishes it on the internal topic.
   */
  classifyRecords(records: ConsumedRecord[]): { classified: DecodedRecord<ClassifiedInteraction>[]; deadLetters: Message[] } {
    const classified: DecodedRecord<ClassifiedInteraction>[] = [];
    const deadLetters: Message[] = [];
    const classifiedAt = new Date().toISOString();
    for (const record of records) {
      const decoded = decodeInboundEvent(record.value, this.config.classifier.maxRecordBytes);
      if (!decoded.ok) {
        deadLetters.push(deadLetterMessage(record, decoded.rejection, CLASSIFIER_SERVICE_NAME));
        continue;
      }
      try {
        const message: ClassifiedInteraction = {
          event: decoded.event,
          classification: this.classify(decoded.event),
          classifiedAt,
        };
        classified.push({ record, message });
      } catch (error) {
        // A classifier bug on one record must not block the partition: park the record, keep going.
        this.logger.error({ err: error, offset: record.offset, partition: record.partition }, 'classification failed');
        deadLetters.push(
          deadLetterMessage(
            record,
            { reason: RejectionReason.ProcessingFailed, errors: [`classification failed: ${(error as Error).message}`] },
            CLASSIFIER_SERVICE_NAME,
          ),
        );
      }
    }
    return { classified, deadLetters };
  }

  private classify(event: InboundEvent): ClassificationSummary | null {
    if (event.type !== InboundEventType.Arrived) return null;
    const result = this.classifier.classify(classificationInputOf(event));
    return {
      sector: result.sector,
      intent: result.intent,
      emergency: result.emergency,
      ...(result.possibleEmergency ? { possibleEmergency: true } : {}),
      confidence: result.confidence,
      evidence: result.evidence,
    };
  }
}
