--[[
  Records a transfer the engine refused (it named a queue or a sector the engine does not know):
  the interaction stays exactly where it is, and its trace says what was asked and why not. The
  event is remembered like any other (field ev:<eventId>, 'a' until the dead-letter record is
  published, then 'p'), so a re-delivery neither adds a second trace entry nor, once published,
  a second dead-letter record. A finished interaction's trace records it too (its keys keep
  their expiry). The first decision moves from the hash to the trace list first, so that it keeps
  the arrival as its cause (includes/firstDecision.lua).

  KEYS[1] interaction hash   <prefix>i:<interactionId>
  ARGV[1] eventId            the transfer event
  ARGV[2] interactionId      ARGV[3] key prefix
  ARGV[4] now ms             ARGV[5] why, for people
  ARGV[6] ruleset version in force
  ARGV[7] target queue, or ''    ARGV[8] target sector, or ''

  Returns {code, publishState, position, <snapshot: q p t fq s n e c tn ch k r v ov>, ewma, answered}
    code 0  recorded now; position is 1-based in its queue, 0 when no longer waiting
    code 1  this event was recorded before; publishState 'a' or 'p'
    code 3  unknown interaction: nothing recorded
]]
local hash = KEYS[1]
local id = ARGV[2]
local prefix = ARGV[3]
local eventField = 'ev:' .. ARGV[1]
-- @include "routingProfile"
-- @include "snapshotReply"
-- @include "firstDecision"

local stored = redis.call('HMGET', hash, 'st', 'q', 'p')
local position = stored[1] == 'w' and positionIn(stored[2]) or 0
local seen = redis.call('HGET', hash, eventField)
if seen then return reply(1, seen, position) end
if not stored[1] then return {3, 'p', 0} end

traceFirstDecision(hash, id, prefix)
local entry = {
  kind = 'transfer_refused', atMs = tonumber(ARGV[4]), queue = stored[2], priority = tonumber(stored[3]),
  rulesetVersion = tonumber(ARGV[6]), reason = ARGV[5], causationId = ARGV[1],
}
if ARGV[7] ~= '' then entry.targetQueue = ARGV[7] end
if ARGV[8] ~= '' then entry.targetSector = ARGV[8] end
redis.call('RPUSH', prefix .. 't:' .. id, cjson.encode(entry))
redis.call('HSET', hash, eventField, 'a')
return reply(0, 'a', position)
