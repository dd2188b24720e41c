import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Cluster, Redis } from 'ioredis';

const INCLUDE = /^-- @include "([A-Za-z0-9_-]+)"\s*$/gm;

/**
 * Reads a Lua script and splices in its `-- @include "name"` lines from `includes/name.lua`.
 * Redis Lua has no modules; this keeps one copy of what several scripts share.
 */
export function loadLuaScript(directory: string, file: string): string {
  const source = readFileSync(join(directory, file), 'utf8');
  return source.replace(INCLUDE, (_line, name: string) => readFileSync(join(directory, 'includes', `${name}.lua`), 'utf8'));
}

export interface LuaScriptFile {
  file: string;
  /**
   * How many leading arguments are keys (also the number in the file's name), or 'variable'
   * (`-n` in the name) when the caller passes the key count as the first argument.
   */
  keys: number | 'variable';
}

/**
 * Registers each script as a command on the client under its (versioned) name; a client shared
 * by several stores registers each name once.
 */
export function defineLuaCommands(redis: Redis | Cluster, directory: string, scripts: Readonly<Record<string, LuaScriptFile>>): void {
  for (const [name, script] of Object.entries(scripts)) {
    if (typeof (redis as unknown as Record<string, unknown>)[name] === 'function') continue;
    const lua = loadLuaScript(directory, script.file);
    redis.defineCommand(name, script.keys === 'variable' ? { lua } : { numberOfKeys: script.keys, lua });
  }
}
