/**
 * kafkajs 2.2.4 reads some of its internal modules once, when the module that uses them is first
 * required. A replacement placed in Node's module cache before that moment is what kafkajs then
 * uses, for the life of the process. Each replacement in this package gives the same results as
 * the module it replaces (its spec compares the two) and costs less.
 *
 * The replacements are registered when the package index is loaded, so a service must import
 * @conmutador/kafka before kafkajs. Under jest, whose module registry is its own, kafkajs keeps
 * its own modules: the same results, only slower.
 */
import Module from 'node:module';

export interface KafkajsModuleReplacement<T> {
  /** The module replaced, e.g. `kafkajs/src/producer/groupMessagesPerPartition`. */
  module: string;
  /** The module that reads it at load time: once that is loaded, it is too late. */
  readBy: string;
  /** The replacement's exports, given kafkajs's own (to fall back on for inputs it leaves to them). */
  replacement: (original: T) => T;
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
 * Returns the exports now in place of the module, or undefined when nothing was replaced.
 */
export function replaceKafkajsModule<T>({ module, readBy, replacement }: KafkajsModuleReplacement<T>): T | undefined {
  const modulePath = resolved(module);
  const readerPath = resolved(readBy);
  if (!modulePath || !readerPath || require.cache[readerPath]) return undefined;
  // kafkajs's own module, for the replacement to fall back on: loading it loads none of its readers.
  const original = require(modulePath) as T;
  const exports = replacement(original);
  const entry = new Module(modulePath);
  entry.filename = modulePath;
  entry.loaded = true;
  entry.exports = exports;
  require.cache[modulePath] = entry;
  return exports;
}

/** Whether `exports` is what kafkajs gets, in this process, when it requires `module`. */
export function kafkajsModuleIs(module: string, exports: unknown): boolean {
  const modulePath = resolved(module);
  return exports !== undefined && modulePath !== undefined && require.cache[modulePath]?.exports === exports;
}
