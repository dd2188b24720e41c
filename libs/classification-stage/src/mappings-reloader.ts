import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { ClassifierServiceConfig } from '@conmutador/config';
import { CLASSIFIER_CONFIG, INTERACTION_CLASSIFIER } from './classifier.tokens';
import { ReloadableClassifier } from './classifier.provider';
import { modificationTime, readMappingsFile } from './mappings-file';

/**
 * Ops edit the mappings file and the change applies within a poll interval, without a restart.
 * A broken edit is logged and ignored: the last good mappings stay in force.
 */
@Injectable()
export class MappingsReloader implements OnModuleInit, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private loadedAt = -1;

  constructor(
    @Inject(CLASSIFIER_CONFIG) private readonly config: ClassifierServiceConfig,
    @Inject(INTERACTION_CLASSIFIER) private readonly classifier: ReloadableClassifier,
    @InjectPinoLogger(MappingsReloader.name) private readonly logger: PinoLogger,
  ) {}

  onModuleInit(): void {
    const { mappingsFile, mappingsPollMs } = this.config.classifier;
    this.loadedAt = modificationTime(mappingsFile);
    this.timer = setInterval(() => this.reloadIfChanged(), mappingsPollMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  reloadIfChanged(): void {
    const { mappingsFile } = this.config.classifier;
    const changedAt = modificationTime(mappingsFile);
    if (changedAt === this.loadedAt) return;
    this.loadedAt = changedAt;
    try {
      const mappings = readMappingsFile(mappingsFile);
      this.classifier.replaceMappings(mappings);
      this.logger.info({ entryPoints: mappings.entryPoints.length, ivrPaths: mappings.ivrPaths.length }, 'classifier mappings reloaded');
    } catch (error) {
      this.logger.error({ err: error }, 'classifier mappings not reloaded; keeping the previous ones');
    }
  }
}
