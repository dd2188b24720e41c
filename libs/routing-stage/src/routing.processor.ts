import { Inject, Injectable } from '@nestjs/common';
import { Message } from 'kafkajs';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { ClassifiedInteraction, decodeClassifiedInteraction, RejectionReason } from '@conmutador/contracts';
import { RouterServiceConfig } from '@conmutador/config';
import { ConsumedRecord, deadLetterMessage, DecodedRecord, engineTopics, ProcessingResult, RecordProcessor } from '@conmutador/kafka';
import { QueueCommand, QueueOutcome, RedisQueueStore, RefuseTransferCommand } from '@conmutador/redis-queues';
import { HandlerRegistry } from './handlers/handler-registry';
import { InboundEventHandler } from './handlers/inbound-event-handler';
import { ROUTER_CONFIG } from './router.tokens';

export const ROUTER_SERVICE_NAME = 'router';

/** A transfer the engine cannot place, for the dead-letter topic: `unroutable`, with why, and the record as it came. */
function refusedTransferDeadLetter(record: ConsumedRecord, refusal: RefuseTransferCommand): Message {
  return deadLetterMessage(record, { reason: RejectionReason.Unroutable, errors: refusal.problems }, ROUTER_SERVICE_NAME);
}

interface PlannedEffect {
  message: ClassifiedInteraction;
  handler: InboundEventHandler;
  command: QueueCommand;
}

/**
 * conmutador.interactions.classified → Redis skill queues → interactions.routed.
 * A chunk costs one Redis round trip for its effects, one produce call, and one more round trip
 * to mark the published decisions, whatever its size.
 */
@Injectable()
export class RoutingProcessor implements RecordProcessor {
  private readonly topics;
  /**
   * Decisions produced by a chunk whose publication has not ended. The consumer processes the
   * next chunk while one is in flight; the same event seen again there reads "applied,
   * unpublished" but must not be published twice.
   */
  private readonly publicationsInFlight = new Set<string>();

  constructor(
    @Inject(ROUTER_CONFIG) config: RouterServiceConfig,
    private readonly handlers: HandlerRegistry,
    private readonly store: RedisQueueStore,
    @InjectPinoLogger(RoutingProcessor.name) private readonly logger: PinoLogger,
  ) {
    this.topics = engineTopics(config.kafka);
  }

  async process(records: ConsumedRecord[]): Promise<ProcessingResult> {
    const deadLetters: Message[] = [];
    const decodedRecords: DecodedRecord<ClassifiedInteraction>[] = [];
    for (const record of records) {
      const decoded = decodeClassifiedInteraction(record.value);
      if (decoded.ok) decodedRecords.push({ record, message: decoded.event });
      else deadLetters.push(deadLetterMessage(record, decoded.rejection, ROUTER_SERVICE_NAME));
    }
    return this.route(decodedRecords, deadLetters);
  }

  /**
   * Applies a chunk of classified events to the queues and returns the decisions to publish,
   * after `deadLetters` (which it extends). The one-process engine calls it with the classifier
   * stage's output, in memory; the router service with what it decoded from the internal topic.
   */
  async route(decodedRecords: DecodedRecord<ClassifiedInteraction>[], deadLetters: Message[]): Promise<ProcessingResult> {
    // Only events whose decision depends on where the interaction is now (transfers) cost a read.
    const stateNeeded = decodedRecords
      .filter(({ message }) => this.handlers.handlerFor(message.event.type).needsCurrentState)
      .map(({ message }) => message.event.interactionId);
    const currentStates = await this.store.currentSnapshots([...new Set(stateNeeded)]);

    const planned: PlannedEffect[] = [];
    const plannedRecords: ConsumedRecord[] = [];
    for (const { record, message } of decodedRecords) {
      try {
        const handler = this.handlers.handlerFor(message.event.type);
        const command = handler.command(message, currentStates.get(message.event.interactionId));
        if (!('kind' in command)) {
          deadLetters.push(deadLetterMessage(record, command, ROUTER_SERVICE_NAME));
          continue;
        }
        planned.push({ message, handler, command });
        plannedRecords.push(record);
      } catch (error) {
        this.logger.error({ err: error, offset: record.offset, partition: record.partition }, 'routing failed');
        deadLetters.push(
          deadLetterMessage(record, { reason: RejectionReason.ProcessingFailed, errors: [`routing failed: ${(error as Error).message}`] }, ROUTER_SERVICE_NAME),
        );
      }
    }

    const results = await this.store.execute(planned.map((effect) => effect.command));

    const routed: Message[] = [];
    const published: { interactionId: string; eventId: string; domain: string }[] = [];
    const heldRefs: string[] = [];
    const collect = (result: (typeof results)[number], index: number): void => {
      const { message, handler, command } = planned[index];
      switch (result.outcome) {
        case QueueOutcome.Applied:
        case QueueOutcome.AppliedUnpublished: {
          // The same event twice, in this chunk or in the one still in flight: the second sees
          // "applied, unpublished", but the first is about to be published.
          const ref = `${command.interactionId}\u0000${command.eventId}`;
          if (this.publicationsInFlight.has(ref)) return;
          // A refused transfer's publication is its dead-letter record, marked published like a decision.
          if (command.kind === 'refuse-transfer') deadLetters.push(refusedTransferDeadLetter(plannedRecords[index], command));
          else routed.push({ key: command.interactionId, value: JSON.stringify(handler.routedEvent(message, result.placement)) });
          this.publicationsInFlight.add(ref);
          heldRefs.push(ref);
          published.push({ interactionId: command.interactionId, eventId: command.eventId, domain: result.domain });
          return;
        }
        case QueueOutcome.UnknownInteraction:
          // Unroutable whatever the interaction; with no interaction to remember it by, a re-delivery dead-letters it again.
          if (command.kind === 'refuse-transfer') deadLetters.push(refusedTransferDeadLetter(plannedRecords[index], command));
          else this.logger.debug({ interactionId: command.interactionId, type: message.event.type }, 'event for an unknown interaction; nothing to do');
          return;
        case 'failed':
          deadLetters.push(
            deadLetterMessage(
              plannedRecords[index],
              { reason: RejectionReason.ProcessingFailed, errors: [`queue update failed: ${result.error}`] },
              ROUTER_SERVICE_NAME,
            ),
          );
          return;
        default:
          return;
      }
    };
    const release = (): void => {
      for (const ref of heldRefs) this.publicationsInFlight.delete(ref);
    };
    try {
      results.forEach(collect);
    } catch (error) {
      release();
      throw error;
    }

    return {
      messages: [
        { topic: this.topics.routed, messages: routed },
        { topic: this.topics.deadLetter, messages: deadLetters },
      ],
      afterPublish: () => this.store.markPublished(published),
      release,
    };
  }
}
