import { RecordProcessor } from '@conmutador/kafka';

export const ROUTER_CONFIG = Symbol('ROUTER_CONFIG');
export const REDIS_CLIENT = Symbol('REDIS_CLIENT');
/** What the routing consumer reads and with which processor: the internal topic in the router service, the inbound topic in the one-process engine. */
export const ROUTING_SOURCE = Symbol('ROUTING_SOURCE');

export interface RoutingSource {
  topic: string;
  processor: RecordProcessor;
}
