import { join } from 'node:path';
import { loadLuaScript } from './lua-script-loader';

describe('Lua script loading', () => {
  const commands = join(__dirname, '..', '..', 'redis-queues', 'src', 'commands');

  it.each(['enqueueInteractions-n.lua', 'dequeueInteraction-n.lua', 'moveInteraction-n.lua'])('splices the shared reply into %s', (file) => {
    const script = loadLuaScript(commands, file);
    expect(script).not.toContain('@include');
    expect(script.match(/local function reply\(/g)).toHaveLength(1);
    // The include relies on these locals being declared before it.
    expect(script.search(/^local hash\b/m)).toBeGreaterThanOrEqual(0);
    expect(script.search(/^local hash\b/m)).toBeLessThan(script.indexOf('local function reply('));
    expect(script.search(/^local profilesKey\b/m)).toBeGreaterThanOrEqual(0);
    expect(script.search(/^local profilesKey\b/m)).toBeLessThan(script.indexOf('local function readProfile('));
    expect(script.indexOf('local function undeclared(')).toBeLessThan(script.indexOf('local function reply('));
    expect(script.search(/^local id\b/m)).toBeGreaterThanOrEqual(0);
    expect(script.search(/^local id\b/m)).toBeLessThan(script.indexOf('local function positionIn('));
    expect(script.match(/local function positionIn\(/g)).toHaveLength(1);
  });
});

describe('shared publication step of the ruleset scripts', () => {
  const commands = join(__dirname, '..', '..', 'ruleset-store', 'src', 'commands');

  it.each([
    ['publishRuleset-4.lua', 'published'],
    ['rollbackRuleset-4.lua', 'rolled_back'],
  ])('splices it into %s, which names its audit action', (file, action) => {
    const script = loadLuaScript(commands, file);
    expect(script).not.toContain('@include');
    expect(script).toContain(`local action = '${action}'`);
    expect(script.indexOf(`local action = '${action}'`)).toBeLessThan(script.indexOf("redis.call('XADD'"));
  });
});
