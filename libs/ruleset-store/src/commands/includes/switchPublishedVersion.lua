--[[
  The publication step shared by publish and rollback: retire the version in force, point at
  KEYS[2]'s version, append the audit entry (actor, time, before, after) and announce it.
  Expects `action` ('published' or 'rolled_back') in scope, and the KEYS/ARGV of its callers.
]]
local previous = redis.call('GET', KEYS[1])
local before = 'null'
if previous then
  local previousHash = ARGV[4] .. 'rules:v:' .. previous
  before = redis.call('HGET', previousHash, 'document') or 'null'
  redis.call('HSET', previousHash, 'status', 'retired', 'retiredAt', ARGV[3])
end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[2], 'status', 'published', 'publishedAt', ARGV[3], 'publishedBy', ARGV[2])
redis.call('HDEL', KEYS[2], 'retiredAt')

-- Concatenated rather than cjson-encoded: the documents are JSON already (see createRulesetDraft).
local entry = '{"at":' .. cjson.encode(ARGV[3]) .. ',"actor":' .. cjson.encode(ARGV[2])
  .. ',"action":"' .. action .. '","version":' .. ARGV[1] .. ',"previousVersion":' .. (previous or 'null')
  .. ',"before":' .. before .. ',"after":' .. redis.call('HGET', KEYS[2], 'document') .. '}'
redis.call('XADD', KEYS[3], '*', 'entry', entry)
redis.call('PUBLISH', ARGV[5], ARGV[1])
return {0, previous or ''}
