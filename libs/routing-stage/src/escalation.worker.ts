import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Producer } from 'kafkajs';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { RequeueReason, RoutedEventType } from '@conmutador/contracts';
import { RouterServiceConfig } from '@conmutador/config';
import { createKafkaClient, createProducer, engineTopics } from '@conmutador/kafka';
import { RedisQueueStore } from '@conmutador/redis-queues';
import { buildRoutedEvent } from './handlers/routed-event.factory';
import { ROUTER_CONFIG } from './router.tokens';

/**
 * Every replica runs this loop; Redis decides which replica fires which step (atomically, once),
 * and the outbox's consumer group decides which replica publishes it. A replica killed between
 * the two leaves the decision in the outbox, where another replica claims it after a few seconds.
 */
@Injectable()
export class EscalationWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly producer: Producer;
  private readonly routedTopic: string;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    @Inject(ROUTER_CONFIG) private readonly config: RouterServiceConfig,
    private readonly store: RedisQueueStore,
    @InjectPinoLogger(EscalationWorker.name) private readonly logger: PinoLogger,
  ) {
    this.producer = createProducer(createKafkaClient(config.kafka, logger));
    this.routedTopic = engineTopics(config.kafka).routed;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.producer.connect();
    this.schedule();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    await this.producer.disconnect();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => this.schedule());
    }, this.config.router.escalationPollMs);
  }

  /** One pass: fire what is due, then publish whatever waits in the outbox. */
  async tick(): Promise<void> {
    try {
      await this.store.fireDueEscalations(Date.now());
      const fired = await this.store.readOutbox();
      if (fired.length === 0) return;
      await this.producer.send({
        topic: this.routedTopic,
        acks: -1,
        messages: fired.map(({ placement, step, firedAtMs }) => ({
          key: placement.interactionId,
          value: JSON.stringify(
            buildRoutedEvent({
              type: RoutedEventType.Requeued,
              interactionId: placement.interactionId,
              // Contract: an escalation's cause is its timer.
              causationId: `timer:${placement.interactionId}:${step}`,
              placement,
              reason: RequeueReason.Escalation,
              now: new Date(firedAtMs),
            }),
          ),
        })),
      });
      await this.store.acknowledgeOutbox(fired);
    } catch (error) {
      this.logger.error({ err: error }, 'escalation pass failed; retrying on the next tick');
    }
  }
}
