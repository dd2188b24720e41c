import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const INCLUDE = /^-- @include "([A-Za-z0-9_-]+)"\s*$/gm;

/**
 * Reads a Lua script and splices in its `-- @include "name"` lines from `includes/name.lua`.
 * Redis Lua has no modules; this keeps one copy of what several scripts share.
 */
export function loadLuaScript(directory: string, file: string): string {
  const source = readFileSync(join(directory, file), 'utf8');
  return source.replace(INCLUDE, (_line, name: string) => readFileSync(join(directory, 'includes', `${name}.lua`), 'utf8'));
}
