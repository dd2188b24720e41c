import { Controller, Inject, OnModuleInit } from '@nestjs/common';
import { ClientKafka, EventPattern, Payload } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { classificationInputOf, InteractionClassifier } from '@conmutador/classification';
import { DEFAULT_TENANT, InboundEventType, InteractionArrivedEvent } from '@conmutador/contracts';
import { QueueOutcome, RedisQueueStore } from '@conmutador/redis-queues';
// The handler's file, not the stage's index, which loads @conmutador/kafka (see baseline.module.ts).
import { ArrivalHandler } from '../../libs/routing-stage/src/handlers/arrival.handler';
import { BASELINE_CLASSIFIER, BASELINE_CONFIG, ROUTED_PUBLISHER } from './baseline-config';

/**
 * The handler a NestJS user writes first: one message at a time from the built-in Kafka
 * transport, validated with class-validator, classified, then each Redis call and the publication
 * awaited in turn. It does the engine's work for an arrival (same classifier, same rules, same
 * Lua enqueue, same routed event, same "mark published" for idempotency), in one hop.
 */
@Controller()
export class ArrivalController implements OnModuleInit {
  constructor(
    @Inject(BASELINE_CLASSIFIER) private readonly classifier: InteractionClassifier,
    private readonly arrivals: ArrivalHandler,
    private readonly store: RedisQueueStore,
    @Inject(ROUTED_PUBLISHER) private readonly routed: ClientKafka,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.routed.connect();
  }

  @EventPattern(BASELINE_CONFIG.inboundTopic)
  async onInbound(@Payload() payload: unknown): Promise<void> {
    // class-validator as a ValidationPipe would run it, per message (not the engine's compiled check).
    if ((payload as { type?: unknown } | null)?.type !== InboundEventType.Arrived) return;
    const event = plainToInstance(InteractionArrivedEvent, payload);
    if (validateSync(event, { forbidUnknownValues: false }).length > 0) return;
    event.tenant ??= DEFAULT_TENANT;
    const result = this.classifier.classify(classificationInputOf(event));
    const message = {
      event,
      classification: { sector: result.sector, intent: result.intent, emergency: result.emergency, confidence: result.confidence, evidence: result.evidence },
      classifiedAt: new Date().toISOString(),
    };
    const command = this.arrivals.command(message);
    const [outcome] = await this.store.execute([command]);
    if (outcome.outcome !== QueueOutcome.Applied && outcome.outcome !== QueueOutcome.AppliedUnpublished) return;
    const routedEvent = this.arrivals.routedEvent(message, outcome.placement);
    await lastValueFrom(this.routed.emit(BASELINE_CONFIG.routedTopic, { key: event.interactionId, value: JSON.stringify(routedEvent) }));
    await this.store.markPublished([{ interactionId: event.interactionId, eventId: event.eventId }]);
  }
}
