--[[
  Second step of a transfer across routing domains (see handOverInteraction-n.lua): the
  interaction joins a queue of this domain with everything it had in the one it left, its
  original arrival time above all, so crossing domains never costs it its place in line. The
  new rule's escalations are scheduled from that arrival. Idempotent by the transfer's event id.
  A tombstone of an earlier hand-over from this domain (st = 'm') is replaced: the interaction
  is coming back, and the trace it brings already holds this domain's part of its history.

  Every key is declared and shares the domain's hash tag (queue-keys.ts). The key count varies
  with the declared queues (the `n` in the file name): the caller passes it first.
  KEYS[1] interaction hash   <prefix>{<domain>}:i:<interactionId>
  KEYS[2] trace list         <prefix>{<domain>}:t:<interactionId>
  KEYS[3] escalation timers  <prefix>{<domain>}:timers
  KEYS[4] routing profiles   <prefix>{<domain>}:profiles
  KEYS[5] queue index set    <prefix>{<domain>}:queues
  KEYS[6..] declared queues, two keys each (includes/declaredQueues.lua): the target at least
  ARGV[1] eventId            the transfer event
  ARGV[2] interactionId
  ARGV[3] target queue       ARGV[4] new priority, or '' to keep the current one
  ARGV[5] epoch ms           ARGV[6] msPerPriorityPoint of the target queue   ARGV[7] max priority
  ARGV[8] escalation steps JSON of the new rule ('[]' for none)
  ARGV[9] reason             transfer | overflow
  ARGV[10] now ms            ARGV[11] the domain it left
  ARGV[12] hash JSON, ARGV[13] profile JSON, ARGV[14] trace JSON: handOverInteraction-n.lua's reply
  ARGV[15] how many queues are declared (d)   ARGV[16..15+d] their names
  ARGV[16+d..] field, value, … routing profile fields to overwrite (r k v)

  Returns {code, publishState, position, <snapshot: q p t fq s n e c tn ch k r v ov>, ewma, answered}
    code 0  adopted now; position is 1-based in the target queue
    code 1  this event was applied here before; publishState 'a' or 'p'
    code 2  the interaction already lives in this domain: no effect
    code 5  {5, 'p', 0, queue…}: a queue it needs was not declared; nothing changed, ask again
]]
local hash = KEYS[1]
local id = ARGV[2]
local traceKey = KEYS[2]
local profilesKey = KEYS[4]
local eventField = 'ev:' .. ARGV[1]
local target = ARGV[3]
local declaredCount = tonumber(ARGV[15])
-- @include "routingProfile"
-- @include "declaredQueues"
-- @include "snapshotReply"
-- @include "placeInTarget"
declareQueues(6, {unpack(ARGV, 16, 15 + declaredCount)})

local stored = redis.call('HMGET', hash, 'st', 'q')
local seen = redis.call('HGET', hash, eventField)
if seen and stored[1] ~= 'm' then
  return reply(1, seen, stored[1] == 'w' and positionIn(stored[2]) or 0)
end
if stored[1] and stored[1] ~= 'm' then return {2, 'p', 0} end
local missing = undeclared(target)
if #missing > 0 then return askAgain(missing) end

local carried = cjson.decode(ARGV[12])
local values = cjson.decode(ARGV[13])
local profile = {}
for i = 1, #PROFILE_FIELDS do profile[PROFILE_FIELDS[i]] = values[i] or '' end
for i = 16 + declaredCount, #ARGV, 2 do profile[ARGV[i]] = ARGV[i + 1] end
local steps = cjson.decode(ARGV[8])
profile.es = #steps > 0 and ARGV[8] or ''

redis.call('DEL', hash, traceKey)
local enqueuedAt = tonumber(carried.t)
local priority = ARGV[4] ~= '' and tonumber(ARGV[4]) or tonumber(carried.p)
local fields = {}
for field, value in pairs(carried) do
  if field ~= 'st' and field ~= 'md' and field ~= 'q' and field ~= 'p' and field ~= 'pm' and field ~= 'fq' and field ~= 'pf' then
    fields[#fields + 1] = field
    fields[#fields + 1] = value
  end
end
local fromQueue = carried.q or ''
redis.call('HSET', hash, 'st', 'w', 'q', target, 'p', tostring(priority), 'pm', ARGV[6], 'fq', fromQueue, 'pf', saveProfile(profile), eventField, 'a', unpack(fields))
placeInTarget(KEYS[5], KEYS[3], enqueuedAt, priority, steps)

local entries = cjson.decode(ARGV[14])
if #entries > 0 then redis.call('RPUSH', traceKey, unpack(entries)) end
redis.call('RPUSH', traceKey, cjson.encode({
  kind = 'transferred', atMs = tonumber(ARGV[10]), queue = target, fromQueue = fromQueue, fromDomain = ARGV[11], priority = priority,
  ruleId = profile.r, rulesetVersion = tonumber(profile.v), reason = ARGV[9], causationId = ARGV[1],
}))
return reply(0, 'a', positionIn(target))
