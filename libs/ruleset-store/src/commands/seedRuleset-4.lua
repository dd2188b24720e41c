--[[
  Publishes a first ruleset when none is published yet; otherwise does nothing.
  Every router calls this at start-up with its built-in ruleset. Being one script, the check and
  the write are atomic: when several routers start together exactly one seeds, and the others
  find the pointer set. An existing publication is never replaced, so a restart cannot undo what
  ops published. The version number is proposed by the caller from the counter it read, as in
  createRulesetDraft-3.lua, so that its hash is declared.
  KEYS[1] version counter    <prefix>{rules}:seq
  KEYS[2] current pointer    <prefix>{rules}:current
  KEYS[3] version hash       <prefix>{rules}:v:<version>
  KEYS[4] audit stream       <prefix>{rules}:audit
  ARGV[1] version            the counter as read, plus one
  ARGV[2] document           JSON text
  ARGV[3] actor
  ARGV[4] at                 ISO-8601
  ARGV[5] note
  ARGV[6] publications channel
  Returns {seeded, version}
    seeded 1   this call stored and published `version`
    seeded 0   a ruleset was already published; `version` is the published one
    seeded -1  the counter is no longer ARGV[1] - 1: nothing changed, propose again
]]
local current = redis.call('GET', KEYS[2])
if current then return {0, tonumber(current)} end
local version = tonumber(ARGV[1])
if (tonumber(redis.call('GET', KEYS[1])) or 0) ~= version - 1 then return {-1, 0} end
redis.call('SET', KEYS[1], version)
redis.call('HSET', KEYS[3],
  'document', ARGV[2], 'author', ARGV[3], 'createdAt', ARGV[4], 'note', ARGV[5],
  'status', 'published', 'publishedAt', ARGV[4], 'publishedBy', ARGV[3])
redis.call('SET', KEYS[2], version)
-- The entries refer to the version; its document is stored once, above. A seed records no
-- counts of changes: the router that seeds does not compare documents.
local head = '{"at":' .. cjson.encode(ARGV[4]) .. ',"actor":' .. cjson.encode(ARGV[3])
redis.call('XADD', KEYS[4], '*', 'entry', head
  .. ',"action":"created","version":' .. version .. ',"previousVersion":null,"changes":null}')
redis.call('XADD', KEYS[4], '*', 'entry', head
  .. ',"action":"published","version":' .. version .. ',"previousVersion":null,"changes":null}')
redis.call('PUBLISH', ARGV[6], version)
return {1, version}
