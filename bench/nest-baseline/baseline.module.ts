import { readFileSync } from 'node:fs';
import { Module } from '@nestjs/common';
import { ClientsModule, Transport } from '@nestjs/microservices';
import Redis from 'ioredis';
import { Partitioners } from 'kafkajs';
import { createClassifier } from '@conmutador/classification';
import { RedisQueueStore } from '@conmutador/redis-queues';
import { compileRuleset } from '@conmutador/rules';
// The stages' files themselves, not their package indexes: those load @conmutador/kafka, whose
// kafkajs module replacements the idiomatic baseline must not get.
import { ArrivalHandler } from '../../libs/routing-stage/src/handlers/arrival.handler';
import { readMappingsFile } from '../../libs/classification-stage/src/mappings-file';
import { RoutingPolicyHolder } from '../../libs/routing-stage/src/routing-policy.holder';
import { ArrivalController } from './arrival.controller';
import { BASELINE_CLASSIFIER, BASELINE_CONFIG, ROUTED_PUBLISHER } from './baseline-config';

const FINISHED_TTL_SECONDS = 7 * 24 * 3600;

@Module({
  imports: [
    ClientsModule.register([
      {
        name: ROUTED_PUBLISHER,
        transport: Transport.KAFKA,
        options: {
          client: { clientId: `${BASELINE_CONFIG.groupId}-publisher`, brokers: BASELINE_CONFIG.brokers },
          producer: { createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false },
          producerOnlyMode: true,
        },
      },
    ]),
  ],
  controllers: [ArrivalController],
  providers: [
    {
      provide: BASELINE_CLASSIFIER,
      useFactory: () => createClassifier({ mappings: readMappingsFile(BASELINE_CONFIG.mappingsFile), minConfidence: 0.2 }),
    },
    {
      provide: RoutingPolicyHolder,
      useFactory: () => {
        const holder = new RoutingPolicyHolder();
        const compiled = compileRuleset(JSON.parse(readFileSync(BASELINE_CONFIG.rulesetFile, 'utf8')) as unknown, 1);
        holder.replace(compiled, compiled.overflows());
        return holder;
      },
    },
    ArrivalHandler,
    {
      provide: RedisQueueStore,
      useFactory: () => new RedisQueueStore(new Redis(BASELINE_CONFIG.redisUrl), BASELINE_CONFIG.keyPrefix, FINISHED_TTL_SECONDS),
    },
  ],
})
export class BaselineModule {}
