/**
 * kafkajs, for this project's code: the one module that loads it at run time, and only after
 * this package's replacements of kafkajs's internal modules are in Node's module cache
 * (kafkajs-module-replacement.ts). Elsewhere kafkajs is imported for its types only (erased
 * when compiled), so however imports are ordered, in this package or in a service, nothing of
 * the project's loads kafkajs before the replacements.
 */
import type * as KafkaJS from 'kafkajs';
import { exactSizeRecordEncoding } from './exact-size-record-encoding';
import { linearMessageGrouping } from './linear-message-grouping';
import { ReplacedKafkajsModule, StartupLogger } from './kafkajs-module-replacement';
import { slicedCrc32c } from './sliced-crc32c';

/** Every replacement, in the order the start-up lines give them. */
export const kafkajsModuleReplacements: readonly ReplacedKafkajsModule<unknown>[] = [linearMessageGrouping, exactSizeRecordEncoding, slicedCrc32c];

// A statement, not an import: it runs after every import above has been evaluated, so after the
// replacements were registered, whatever order a sorter puts those imports in.
export const kafkajs = require('kafkajs') as typeof KafkaJS;

/** Why a producing service refuses to start: the replacements that are not in effect, and what to do. */
export class KafkajsModuleReplacementsMissingError extends Error {
  constructor(readonly missing: readonly ReplacedKafkajsModule<unknown>[]) {
    super(
      `kafkajs's producers would run without ${missing.map(({ announcement }) => `${announcement.field}=${announcement.value}`).join(', ')} ` +
        `(${missing.map(({ module }) => module).join(', ')} not replaced): kafkajs was loaded before @conmutador/kafka, ` +
        `or is not the version the replacements are for. Load kafkajs only through @conmutador/kafka, ` +
        `or set KAFKA_REQUIRE_MODULE_REPLACEMENTS=false to start with kafkajs's own, slower modules`,
    );
    this.name = 'KafkajsModuleReplacementsMissingError';
  }
}

/**
 * At a producing service's start: says which replacements are in effect, and when `required`
 * (KAFKA_REQUIRE_MODULE_REPLACEMENTS) throws if any is not, before the pipeline connects. Off, the
 * service starts slower, with a warning for each one missing.
 */
export function checkKafkajsModuleReplacements(logger: StartupLogger, { required }: { required: boolean }): void {
  const missing = kafkajsModuleReplacements.filter((replaced) => !replaced.isActive());
  if (required && missing.length > 0) throw new KafkajsModuleReplacementsMissingError(missing);
  for (const replaced of kafkajsModuleReplacements) replaced.announce(logger);
}
