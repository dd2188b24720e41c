import { loadRouterConfig } from '@conmutador/config';
import { runService } from '@conmutador/runtime';
import { RouterModule } from './router.module';

runService({ name: 'router', loadConfig: loadRouterConfig, module: (config) => RouterModule.forConfig(config) });
