--[[
  Puts back a ruleset that was published before, in one step, with the same effects as a
  publish: current pointer, statuses, audit entry with both documents, announcement.

  Only a version that has been in force can be rolled back to: a draft was never tried in
  production, so putting it live is a publish (and goes through that script's checks).

  KEYS[1] current pointer    <prefix>rules:current
  KEYS[2] version hash       <prefix>rules:v:<version>   (the version to go back to)
  KEYS[3] audit stream       <prefix>rules:audit
  ARGV[1] version
  ARGV[2] actor
  ARGV[3] at                 ISO-8601
  ARGV[4] key prefix         the replaced version's hash is <prefix>rules:v:<previous>
  ARGV[5] publications channel

  Returns {code, previousVersion}; previousVersion is '' when nothing is published.
    code 0  rolled back now
    code 1  no such version: nothing changed
    code 2  the version is already the published one: nothing changed
    code 3  the version is a draft, never published: nothing changed
]]
local status = redis.call('HGET', KEYS[2], 'status')
if not status then return {1, ''} end
if status == 'published' then return {2, redis.call('GET', KEYS[1]) or ''} end
if status == 'draft' then return {3, redis.call('GET', KEYS[1]) or ''} end

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
  .. ',"action":"rolled_back","version":' .. ARGV[1] .. ',"previousVersion":' .. (previous or 'null')
  .. ',"before":' .. before .. ',"after":' .. redis.call('HGET', KEYS[2], 'document') .. '}'
redis.call('XADD', KEYS[3], '*', 'entry', entry)
redis.call('PUBLISH', ARGV[5], ARGV[1])
return {0, previous or ''}
