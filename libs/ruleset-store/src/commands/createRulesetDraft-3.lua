--[[
  Stores a new ruleset version as a draft and records its creation in the audit stream.
  Versions are numbered without gaps: the caller reads the counter and proposes the next number,
  whose hash it declares (KEYS[2]); when another editor took that number first, nothing changes
  and the caller proposes again (-1). So two editors saving at the same moment get distinct
  versions and neither overwrites the other. Documents are immutable once stored: a change is
  always a new version.
  The audit entry refers to the version rather than copying its document: the document is
  stored once, in the version's hash, and the stream (never trimmed) stays small.
  Every key is declared, and all of them carry the {rules} hash tag: one Redis Cluster slot.
  KEYS[1] version counter    <prefix>{rules}:seq
  KEYS[2] version hash       <prefix>{rules}:v:<version>
  KEYS[3] audit stream       <prefix>{rules}:audit
  ARGV[1] version            the counter as read, plus one
  ARGV[2] document           JSON text, already serialized by the caller
  ARGV[3] author
  ARGV[4] createdAt          ISO-8601
  ARGV[5] note               may be empty
  ARGV[6] changes            JSON text (counts of what the draft changes), or 'null'
  Returns the version number, or -1 when the counter is no longer ARGV[1] - 1.
]]
local version = tonumber(ARGV[1])
if (tonumber(redis.call('GET', KEYS[1])) or 0) ~= version - 1 then return -1 end
redis.call('SET', KEYS[1], version)
redis.call('HSET', KEYS[2],
  'document', ARGV[2], 'author', ARGV[3], 'createdAt', ARGV[4], 'note', ARGV[5], 'status', 'draft')
-- Built by concatenation: `changes` is already JSON, and a cjson round trip could reorder or
-- reformat it (and turns empty arrays into objects).
local entry = '{"at":' .. cjson.encode(ARGV[4]) .. ',"actor":' .. cjson.encode(ARGV[3])
  .. ',"action":"created","version":' .. version .. ',"previousVersion":null,"changes":' .. ARGV[6] .. '}'
redis.call('XADD', KEYS[3], '*', 'entry', entry)
return version
