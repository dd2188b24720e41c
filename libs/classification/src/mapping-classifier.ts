import { Classification, ClassificationInput, Evidence, InteractionClassifier } from './classification';
import { ClassifierMappings, EMPTY_MAPPINGS, findEntryPointMapping, findIvrPathMapping } from './mappings';

export const UNCLASSIFIED = 'unclassified';
const OTHER_INTENT = 'other';

/**
 * Classifies from explicit ops mappings alone (IVR path first, then entry point). Anything they
 * do not cover is `unclassified` and goes to general triage. Mappings can be swapped at run time.
 */
export class MappingClassifier implements InteractionClassifier {
  private mappings: ClassifierMappings;

  constructor(mappings: ClassifierMappings = EMPTY_MAPPINGS) {
    this.mappings = mappings;
  }

  replaceMappings(mappings: ClassifierMappings): void {
    this.mappings = mappings;
  }

  classify(input: ClassificationInput): Classification {
    const ivr = findIvrPathMapping(this.mappings.ivrPaths, input.entryPoint, input.ivrPath);
    if (ivr) {
      return this.fromMapping(ivr, { source: 'ivr_path', detail: `IVR path ${ivr.path.join('>')} → ${ivr.sector}`, weight: 1 });
    }
    const entry = findEntryPointMapping(this.mappings.entryPoints, input.entryPoint, input.tenant);
    if (entry) {
      return this.fromMapping(entry, { source: 'entry_point', detail: `entry point ${entry.entryPoint} → ${entry.sector}`, weight: 1 });
    }
    return {
      sector: UNCLASSIFIED,
      intent: UNCLASSIFIED,
      emergency: false,
      confidence: 0,
      evidence: [{ source: 'fallback', detail: 'no mapping covers this entry point or IVR path', weight: 0 }],
    };
  }

  private fromMapping(
    mapping: { sector: string; intent?: string; emergency?: boolean },
    evidence: Evidence,
  ): Classification {
    return {
      sector: mapping.sector,
      intent: mapping.intent ?? OTHER_INTENT,
      emergency: mapping.emergency ?? false,
      confidence: 1,
      evidence: [evidence],
    };
  }
}
