export * from './redaction';
export * from './log-masking';
export * from './logger-options';
export * from './readiness';
export * from './health.controller';
export * from './observability.module';
