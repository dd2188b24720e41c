import { ClassifierServiceConfig, readClassifierServiceSection } from './classifier.config';
import { readCommonConfig } from './common.config';
import { EnvReader } from './env-reader';
import { readRouterServiceSections, RouterServiceConfig } from './router.config';

/**
 * The one-process engine: classifier and router in one consumer of `interactions.inbound`, with
 * the same settings (and variables) as the two services, under the service name `engine`.
 */
export type EngineServiceConfig = ClassifierServiceConfig & RouterServiceConfig;

export function loadEngineConfig(env: Readonly<Record<string, string | undefined>>): EngineServiceConfig {
  const reader = new EnvReader(env);
  const config: EngineServiceConfig = {
    ...readCommonConfig(reader, 'engine', 8083),
    classifier: readClassifierServiceSection(reader),
    ...readRouterServiceSections(reader),
  };
  reader.assertValid();
  return config;
}
