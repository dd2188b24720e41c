export * from './queue-ordering';
export * from './routing-decision';
export * from './default-routing.policy';
export * from './routing-input';
