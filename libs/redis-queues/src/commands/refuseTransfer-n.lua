--[[
  Records a transfer the engine refused (it named a queue or a sector the engine does not know):
  the interaction stays exactly where it is, and its trace says what was asked and why not. The
  event is remembered like any other (field ev:<eventId>, 'a' until the dead-letter record is
  published, then 'p'), so a re-delivery neither adds a second trace entry nor, once published,
  a second dead-letter record. A finished interaction's trace records it too (its keys keep
  their expiry). The first decision moves from the hash to the trace list first, so that it keeps
  the arrival as its cause (includes/firstDecision.lua).

  Every key is declared and shares the domain's hash tag (queue-keys.ts). The key count varies
  with the declared queues (the `n` in the file name): the caller passes it first. The queue the
  interaction is (or was last) in must be declared, for the reply.
  KEYS[1] interaction hash   <prefix>{<domain>}:i:<interactionId>
  KEYS[2] trace list         <prefix>{<domain>}:t:<interactionId>
  KEYS[3] routing profiles   <prefix>{<domain>}:profiles
  KEYS[4..] declared queues, two keys each (includes/declaredQueues.lua)
  ARGV[1] eventId            the transfer event
  ARGV[2] interactionId      ARGV[3] now ms
  ARGV[4] why, for people    ARGV[5] ruleset version in force
  ARGV[6] target queue, or ''    ARGV[7] target sector, or ''
  ARGV[8..] the declared queues' names

  Returns {code, publishState, position, <snapshot: q p t fq s n e c tn ch k r v ov>, ewma, answered}
    code 0  recorded now; position is 1-based in its queue, 0 when no longer waiting
    code 1  this event was recorded before; publishState 'a' or 'p'
    code 3  unknown interaction: nothing recorded
    code 5  {5, 'p', 0, queue…}: its queue was not declared; nothing changed, ask again
    code 6  the interaction left for another domain (a transfer; st = m here): nothing changed,
            find it again
]]
local hash = KEYS[1]
local id = ARGV[2]
local traceKey = KEYS[2]
local profilesKey = KEYS[3]
local eventField = 'ev:' .. ARGV[1]
-- @include "routingProfile"
-- @include "declaredQueues"
-- @include "snapshotReply"
-- @include "firstDecision"
declareQueues(4, {unpack(ARGV, 8)})

local stored = redis.call('HMGET', hash, 'st', 'q', 'p')
if not stored[1] then return {3, 'p', 0} end
if stored[1] == 'm' then return {6, 'p', 0} end
local missing = undeclared(stored[2])
if #missing > 0 then return askAgain(missing) end
local position = stored[1] == 'w' and positionIn(stored[2]) or 0
local seen = redis.call('HGET', hash, eventField)
if seen then return reply(1, seen, position) end

traceFirstDecision()
local entry = {
  kind = 'transfer_refused', atMs = tonumber(ARGV[3]), queue = stored[2], priority = tonumber(stored[3]),
  rulesetVersion = tonumber(ARGV[5]), reason = ARGV[4], causationId = ARGV[1],
}
if ARGV[6] ~= '' then entry.targetQueue = ARGV[6] end
if ARGV[7] ~= '' then entry.targetSector = ARGV[7] end
redis.call('RPUSH', traceKey, cjson.encode(entry))
redis.call('HSET', hash, eventField, 'a')
return reply(0, 'a', position)
