import { RecordProcessor } from '@conmutador/kafka';

export const ROUTER_CONFIG = Symbol('ROUTER_CONFIG');
export const REDIS_CLIENT = Symbol('REDIS_CLIENT');
/** The sectors a transfer may name: the default ones and the taxonomy extensions' (a ReadonlySet<string>). */
export const KNOWN_SECTORS = Symbol('KNOWN_SECTORS');
/** What the routing consumer reads and with which processor: the internal topic in the router service, the inbound topic in the one-process engine. */
export const ROUTING_SOURCE = Symbol('ROUTING_SOURCE');

export interface RoutingSource {
  topic: string;
  processor: RecordProcessor;
}
