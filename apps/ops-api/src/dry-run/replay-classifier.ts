import { Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { ClassifierMappings, ConfigurableClassifier, createClassifier, loadTaxonomyExtension, readMappingsFile } from '@conmutador/classification';
import { OpsApiServiceConfig } from '@conmutador/config';
import { OPS_API_CONFIG } from '../ops-api.tokens';

/**
 * The classifier replays use, configured like the classifier service. Training takes seconds, so
 * it happens once, on the first replay (most ops API processes never replay anything); the
 * mappings file is read again for every replay, as the service re-reads it when it changes.
 */
@Injectable()
export class ReplayClassifier {
  private training?: Promise<ConfigurableClassifier>;

  constructor(
    @Inject(OPS_API_CONFIG) private readonly config: OpsApiServiceConfig,
    @InjectPinoLogger(ReplayClassifier.name) private readonly logger: PinoLogger,
  ) {}

  async withCurrentMappings(): Promise<ConfigurableClassifier> {
    const mappings = this.readMappings();
    const classifier = await this.trained();
    classifier.replaceMappings(mappings);
    return classifier;
  }

  private trained(): Promise<ConfigurableClassifier> {
    if (!this.training) {
      const { minConfidence, extensionsFiles } = this.config.dryRun.classifier;
      const started = Date.now();
      this.training = Promise.resolve()
        .then(() => createClassifier({ mappings: this.readMappings(), minConfidence, extensions: extensionsFiles.map((path) => loadTaxonomyExtension(path)) }))
        .then((classifier) => {
          this.logger.info({ trainingMs: Date.now() - started }, 'replay classifier trained');
          return classifier;
        })
        .catch((error: unknown) => {
          // Not cached: the next replay tries again (after the extension file is fixed, say).
          this.training = undefined;
          throw new ServiceUnavailableException(`the replay classifier could not be built: ${(error as Error).message}`);
        });
    }
    return this.training;
  }

  private readMappings(): ClassifierMappings {
    try {
      return readMappingsFile(this.config.dryRun.classifier.mappingsFile, 'CLASSIFIER_MAPPINGS_FILE');
    } catch (error) {
      throw new ServiceUnavailableException((error as Error).message);
    }
  }
}
