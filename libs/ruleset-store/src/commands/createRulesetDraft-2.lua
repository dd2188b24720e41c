--[[
  Stores a new ruleset version as a draft and records its creation in the audit stream.

  The version number comes from INCR, so two editors saving at the same moment get distinct
  versions and neither overwrites the other. Documents are immutable once stored: a change is
  always a new version.

  The audit entry refers to the version rather than copying its document: the document is
  stored once, in the version's hash, and the stream (never trimmed) stays small.

  KEYS[1] version counter    <prefix>rules:seq
  KEYS[2] audit stream       <prefix>rules:audit
  ARGV[1] key prefix         the version hash is <prefix>rules:v:<version>
  ARGV[2] document           JSON text, already serialized by the caller
  ARGV[3] author
  ARGV[4] createdAt          ISO-8601
  ARGV[5] note               may be empty
  ARGV[6] changes            JSON text (counts of what the draft changes), or 'null'

  Returns the new version number.
]]
local version = redis.call('INCR', KEYS[1])
redis.call('HSET', ARGV[1] .. 'rules:v:' .. version,
  'document', ARGV[2], 'author', ARGV[3], 'createdAt', ARGV[4], 'note', ARGV[5], 'status', 'draft')

-- Built by concatenation: `changes` is already JSON, and a cjson round trip could reorder or
-- reformat it (and turns empty arrays into objects).
local entry = '{"at":' .. cjson.encode(ARGV[4]) .. ',"actor":' .. cjson.encode(ARGV[3])
  .. ',"action":"created","version":' .. version .. ',"previousVersion":null,"changes":' .. ARGV[6] .. '}'
redis.call('XADD', KEYS[2], '*', 'entry', entry)
return version
