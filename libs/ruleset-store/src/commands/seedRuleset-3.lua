--[[
  Publishes a first ruleset when none is published yet; otherwise does nothing.

  Every router calls this at start-up with its built-in ruleset. Being one script, it is atomic:
  when several routers start together exactly one seeds, and the others find the pointer set.
  An existing publication is never replaced, so a restart cannot undo what ops published.

  KEYS[1] version counter    <prefix>rules:seq
  KEYS[2] current pointer    <prefix>rules:current
  KEYS[3] audit stream       <prefix>rules:audit
  ARGV[1] key prefix         the version hash is <prefix>rules:v:<version>
  ARGV[2] document           JSON text
  ARGV[3] actor
  ARGV[4] at                 ISO-8601
  ARGV[5] note
  ARGV[6] publications channel

  Returns {seeded, version}
    seeded 1  this call stored and published `version`
    seeded 0  a ruleset was already published; `version` is the published one
]]
local current = redis.call('GET', KEYS[2])
if current then return {0, tonumber(current)} end

local version = redis.call('INCR', KEYS[1])
redis.call('HSET', ARGV[1] .. 'rules:v:' .. version,
  'document', ARGV[2], 'author', ARGV[3], 'createdAt', ARGV[4], 'note', ARGV[5],
  'status', 'published', 'publishedAt', ARGV[4], 'publishedBy', ARGV[3])
redis.call('SET', KEYS[2], version)

-- The entries refer to the version; its document is stored once, above. A seed records no
-- counts of changes: the router that seeds does not compare documents.
local head = '{"at":' .. cjson.encode(ARGV[4]) .. ',"actor":' .. cjson.encode(ARGV[3])
redis.call('XADD', KEYS[3], '*', 'entry', head
  .. ',"action":"created","version":' .. version .. ',"previousVersion":null,"changes":null}')
redis.call('XADD', KEYS[3], '*', 'entry', head
  .. ',"action":"published","version":' .. version .. ',"previousVersion":null,"changes":null}')
redis.call('PUBLISH', ARGV[6], version)
return {1, version}
