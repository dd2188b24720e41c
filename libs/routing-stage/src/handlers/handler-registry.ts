import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { InboundEventType } from '@conmutador/contracts';
import { HandlesInboundEvents, InboundEventHandler } from './inbound-event-handler';

export class HandlerWiringError extends Error {}

/** Built at boot from the decorated providers, so a wiring mistake fails the start, not the first message. */
@Injectable()
export class HandlerRegistry implements OnModuleInit {
  private readonly handlers = new Map<InboundEventType, InboundEventHandler>();

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    const owners = new Map<InboundEventType, string[]>();
    for (const wrapper of this.discovery.getProviders({ metadataKey: HandlesInboundEvents.KEY })) {
      const types = this.discovery.getMetadataByDecorator(HandlesInboundEvents, wrapper) ?? [];
      for (const type of types) {
        owners.set(type, [...(owners.get(type) ?? []), wrapper.name]);
        this.handlers.set(type, wrapper.instance as InboundEventHandler);
      }
    }
    const problems: string[] = [];
    for (const type of Object.values(InboundEventType)) {
      const names = owners.get(type) ?? [];
      if (names.length === 0) problems.push(`no handler for ${type}`);
      if (names.length > 1) problems.push(`${type} has ${names.length} handlers: ${names.join(', ')}`);
    }
    if (problems.length > 0) throw new HandlerWiringError(`router handler wiring is broken: ${problems.join('; ')}`);
  }

  handlerFor(type: InboundEventType): InboundEventHandler {
    const handler = this.handlers.get(type);
    if (!handler) throw new HandlerWiringError(`no handler for ${type}`);
    return handler;
  }
}
