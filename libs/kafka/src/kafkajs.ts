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
import { ReplacedKafkajsModule } from './kafkajs-module-replacement';
import { slicedCrc32c } from './sliced-crc32c';

/** Every replacement, in the order the start-up lines give them. */
export const kafkajsModuleReplacements: readonly ReplacedKafkajsModule<unknown>[] = [linearMessageGrouping, exactSizeRecordEncoding, slicedCrc32c];

// A statement, not an import: it runs after every import above has been evaluated, so after the
// replacements were registered, whatever order a sorter puts those imports in.
export const kafkajs = require('kafkajs') as typeof KafkaJS;
