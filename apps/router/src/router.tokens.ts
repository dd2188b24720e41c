export const ROUTER_CONFIG = Symbol('ROUTER_CONFIG');
export const REDIS_CLIENT = Symbol('REDIS_CLIENT');
