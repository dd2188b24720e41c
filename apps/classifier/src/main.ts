import { loadClassifierConfig } from '@conmutador/config';
import { runService } from '@conmutador/runtime';
import { ClassifierModule } from './classifier.module';

runService({ name: 'classifier', loadConfig: loadClassifierConfig, module: (config) => ClassifierModule.forConfig(config) });
