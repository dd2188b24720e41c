import { Injectable } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { InboundEventType } from '@conmutador/contracts';
import { HandlerRegistry, HandlerWiringError } from './handler-registry';
import { HandlesInboundEvents } from './inbound-event-handler';

@Injectable()
@HandlesInboundEvents([InboundEventType.Arrived, InboundEventType.Transferred])
class ArrivalsAndTransfers {}

@Injectable()
@HandlesInboundEvents([InboundEventType.Answered, InboundEventType.Abandoned, InboundEventType.Ended])
class Completions {}

@Injectable()
@HandlesInboundEvents([InboundEventType.Ended])
class AnotherEndedHandler {}

async function boot(providers: unknown[]) {
  const moduleRef = await Test.createTestingModule({ imports: [DiscoveryModule], providers: [HandlerRegistry, ...(providers as never[])] }).compile();
  return moduleRef.init();
}

describe('handler wiring is checked at boot', () => {
  it('starts when every inbound type has exactly one handler', async () => {
    const app = await boot([ArrivalsAndTransfers, Completions]);
    expect(app.get(HandlerRegistry).handlerFor(InboundEventType.Ended)).toBeInstanceOf(Completions);
    await app.close();
  });

  it('refuses to start when a type has no handler, naming it', async () => {
    await expect(boot([ArrivalsAndTransfers])).rejects.toThrow(HandlerWiringError);
    await expect(boot([ArrivalsAndTransfers])).rejects.toThrow(/no handler for interaction\.answered/);
  });

  it('refuses to start when a type has two handlers, naming both', async () => {
    await expect(boot([ArrivalsAndTransfers, Completions, AnotherEndedHandler])).rejects.toThrow(
      /interaction\.ended has 2 handlers: Completions, AnotherEndedHandler/,
    );
  });
});
