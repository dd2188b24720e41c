/**
 * kafkajs 2.2.4 reads some of its internal modules once, when the module that uses them is first
 * required. A replacement placed in Node's module cache before that moment is what kafkajs then
 * uses, for the life of the process. Each replacement in this package gives the same results as
 * the module it replaces (its spec compares the two) and costs less.
 *
 * Each replacement is registered when its module is loaded, and kafkajs.ts, the one module that
 * loads kafkajs, imports all of them first. What can still defeat them is kafkajs loaded some
 * other way before that (or another kafkajs version): the pipeline services then refuse to start
 * unless KAFKA_REQUIRE_MODULE_REPLACEMENTS is false (kafkajs.ts). Under jest, whose module
 * registry is its own, kafkajs keeps its own modules: the same results, only slower.
 */
import Module from 'node:module';

export interface KafkajsModuleReplacement<T> {
  /** The module replaced, e.g. `kafkajs/src/producer/groupMessagesPerPartition`. */
  module: string;
  /** The module that reads it at load time: once that is loaded, it is too late. */
  readBy: string;
  /** The replacement's exports, given kafkajs's own (to fall back on for inputs it leaves to them). */
  replacement: (original: T) => T;
  /**
   * The start-up line: its field (`recordEncoding`), the field's value when the replacement is in
   * effect (`exact-size`; `kafkajs` when not), and what the producers do with it and without it.
   */
  announcement: { field: string; value: string; inEffect: string; without: string };
}

/** What a service's start-up says through. */
export interface StartupLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

/** A kafkajs module and what this process put in its place, if anything. */
export interface ReplacedKafkajsModule<T> {
  /** The module replaced. */
  readonly module: string;
  /** What the start-up line says (its field and the value when in effect). */
  readonly announcement: KafkajsModuleReplacement<T>['announcement'];
  /** Whether kafkajs's producers, in this process, use the replacement. */
  isActive(): boolean;
  /** kafkajs's own exports, replaced or not (for the benches that compare both). */
  kafkajsOwn(): T;
  /**
   * Says whether the replacement is in effect: at every start, since a service that imported
   * kafkajs too early is slower, not broken, and nothing else would tell.
   */
  announce(logger: StartupLogger): void;
}

function resolved(request: string): string | undefined {
  try {
    return require.resolve(request);
  } catch {
    return undefined;
  }
}

/**
 * Registers the replacement unless the module that reads it is already loaded (it would keep
 * what it read) or this kafkajs has no such module (another version: nothing to replace).
 */
export function replaceKafkajsModule<T>({ module, readBy, replacement, announcement }: KafkajsModuleReplacement<T>): ReplacedKafkajsModule<T> {
  const modulePath = resolved(module);
  const readerPath = resolved(readBy);
  let original: T | undefined;
  let exports: T | undefined;
  if (modulePath && readerPath && !require.cache[readerPath]) {
    // kafkajs's own module, for the replacement to fall back on: loading it loads none of its readers.
    original = require(modulePath) as T;
    exports = replacement(original);
    const entry = new Module(modulePath);
    entry.filename = modulePath;
    entry.loaded = true;
    entry.exports = exports;
    require.cache[modulePath] = entry;
  }
  const isActive = (): boolean => exports !== undefined && modulePath !== undefined && require.cache[modulePath]?.exports === exports;
  return {
    module,
    announcement,
    isActive,
    kafkajsOwn: () => original ?? (require(module) as T),
    announce: (logger) => {
      if (isActive()) logger.info({ [announcement.field]: announcement.value }, `producers ${announcement.inEffect}`);
      else {
        logger.warn(
          { [announcement.field]: 'kafkajs' },
          `kafkajs was loaded before @conmutador/kafka, or has no ${module} (another version): ` +
            `its producers ${announcement.without}; load kafkajs only through @conmutador/kafka`,
        );
      }
    },
  };
}
