--[[
  The publication step shared by publish and rollback: check that the pointer is still the one
  the caller read (its hash is KEYS[4]) and the version the caller expects, retire it, point at
  KEYS[2]'s version, append the audit entry (actor, time, versions, the caller's counts of what
  changes; no document: both are in their versions) and announce it. Expects `action`
  ('published' or 'rolled_back') in scope, and the KEYS/ARGV of its callers.
]]
local previous = redis.call('GET', KEYS[1])
if (previous or '0') ~= ARGV[4] then return {5, previous or ''} end
if ARGV[6] ~= '' and (previous or '0') ~= ARGV[6] then return {4, previous or ''} end
if previous then
  redis.call('HSET', KEYS[4], 'status', 'retired', 'retiredAt', ARGV[3])
end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[2], 'status', 'published', 'publishedAt', ARGV[3], 'publishedBy', ARGV[2])
redis.call('HDEL', KEYS[2], 'retiredAt')

-- Concatenated rather than cjson-encoded: `changes` is JSON already (see createRulesetDraft).
local entry = '{"at":' .. cjson.encode(ARGV[3]) .. ',"actor":' .. cjson.encode(ARGV[2])
  .. ',"action":"' .. action .. '","version":' .. ARGV[1] .. ',"previousVersion":' .. (previous or 'null')
  .. ',"changes":' .. ARGV[7] .. '}'
redis.call('XADD', KEYS[3], '*', 'entry', entry)
redis.call('PUBLISH', ARGV[5], ARGV[1])
return {0, previous or ''}
