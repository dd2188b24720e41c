import { loadEngineConfig } from '@conmutador/config';
import { runService } from '@conmutador/runtime';
import { EngineModule } from './engine.module';

runService({ name: 'engine', loadConfig: loadEngineConfig, module: (config) => EngineModule.forConfig(config) });
