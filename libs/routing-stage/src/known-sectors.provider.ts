import { FactoryProvider } from '@nestjs/common';
import { buildTaxonomy, loadTaxonomyExtension } from '@conmutador/classification';
import { RouterServiceConfig } from '@conmutador/config';
import { KNOWN_SECTORS, ROUTER_CONFIG } from './router.tokens';

/**
 * The sectors the classifier can produce, read from the same taxonomy extensions it reads, so
 * that both deployments accept the same transfers. Read once at boot: a bad extension file stops
 * the start, naming the problem, as it stops the classifier's.
 */
export const knownSectorsProvider: FactoryProvider<ReadonlySet<string>> = {
  provide: KNOWN_SECTORS,
  inject: [ROUTER_CONFIG],
  useFactory: ({ router }: RouterServiceConfig) => new Set(buildTaxonomy(router.taxonomyExtensionFiles.map((file) => loadTaxonomyExtension(file))).keys()),
};
