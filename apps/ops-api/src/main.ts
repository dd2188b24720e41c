import { loadOpsApiConfig } from '@conmutador/config';
import { runService } from '@conmutador/runtime';
import { configureOpsApi } from './ops-api.setup';
import { OpsApiModule } from './ops-api.module';

runService({
  name: 'ops-api',
  loadConfig: loadOpsApiConfig,
  module: (config) => OpsApiModule.forConfig(config),
  configureApp: configureOpsApi,
});
