import { join } from 'node:path';
import { loadLuaScript } from './lua-script-loader';

describe('Lua script loading', () => {
  const commands = join(__dirname, 'commands');

  it.each(['enqueueInteraction-3.lua', 'dequeueInteraction-2.lua', 'moveInteraction-3.lua'])('splices the shared reply into %s', (file) => {
    const script = loadLuaScript(commands, file);
    expect(script).not.toContain('@include');
    expect(script.match(/local function reply\(/g)).toHaveLength(1);
    // The include relies on these locals being declared before it.
    expect(script.indexOf('local hash =')).toBeLessThan(script.indexOf('local function reply('));
    expect(script.indexOf('local prefix =')).toBeLessThan(script.indexOf('local function reply('));
  });
});
