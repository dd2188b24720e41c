export const OPS_API_CONFIG = Symbol('OPS_API_CONFIG');
export const REDIS_CLIENT = Symbol('REDIS_CLIENT');
