export * from './redaction';
export * from './readiness';
export * from './health.controller';
export * from './observability.module';
