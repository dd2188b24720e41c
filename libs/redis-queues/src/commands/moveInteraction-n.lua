--[[
  Re-routes a waiting interaction to another queue of its domain (a transfer), keeping its
  original arrival time, so being moved never costs it its place in line. The new rule's
  escalations replace the old ones; steps are still counted from the original arrival, so an
  overdue step fires at once. The first decision moves from the hash to the trace list before
  the move is recorded.

  Every key is declared and shares the domain's hash tag (queue-keys.ts). The key count varies
  with the declared queues (the `n` in the file name): the caller passes it first. The queue the
  interaction leaves and the target queue must both be declared.
  KEYS[1] interaction hash   <prefix>{<domain>}:i:<interactionId>
  KEYS[2] queue index set    <prefix>{<domain>}:queues
  KEYS[3] escalation timers  <prefix>{<domain>}:timers
  KEYS[4] trace list         <prefix>{<domain>}:t:<interactionId>
  KEYS[5] routing profiles   <prefix>{<domain>}:profiles
  KEYS[6..] declared queues, two keys each (includes/declaredQueues.lua)
  ARGV[1] eventId            the transfer event
  ARGV[2] interactionId
  ARGV[3] target queue       ARGV[4] new priority, or '' to keep the current one
  ARGV[5] epoch ms           ARGV[6] msPerPriorityPoint of the target queue   ARGV[7] max priority
  ARGV[8] escalation steps JSON of the new rule ('[]' for none)
  ARGV[9] reason             transfer | overflow
  ARGV[10] now ms
  ARGV[11] how many queues are declared (d)
  ARGV[12..11+d] their names
  ARGV[12+d..] field, value, … routing profile fields to overwrite (r k v: rule id, skills, ruleset version)

  Returns {code, publishState, position, <snapshot: q p t fq s n e c tn ch k r v ov>, ewma, answered}
    code 0  applied now; position is 1-based in the target queue; fq is the queue it left
    code 1  this event was applied before; publishState 'a' or 'p'; position current or 0
    code 2  the interaction is not waiting: no effect
    code 3  unknown interaction: no effect
    code 5  {5, 'p', 0, queue…}: a queue it needs was not declared; nothing changed, ask again
    code 6  the interaction left for another domain (a transfer; st = m here): nothing changed,
            find it again
]]
local hash = KEYS[1]
local id = ARGV[2]
local traceKey = KEYS[4]
local profilesKey = KEYS[5]
local eventField = 'ev:' .. ARGV[1]
local target = ARGV[3]
local declaredCount = tonumber(ARGV[11])
-- @include "routingProfile"
-- @include "declaredQueues"
-- @include "snapshotReply"
-- @include "firstDecision"
-- @include "placeInTarget"
declareQueues(6, {unpack(ARGV, 12, 11 + declaredCount)})

local stored = redis.call('HMGET', hash, 'st', 'q', 'p', 't', 'pf')
local seen = redis.call('HGET', hash, eventField)
if seen then
  return reply(1, seen, stored[1] == 'w' and positionIn(stored[2]) or 0)
end
local notWaiting = notWaitingReply(stored[1])
if notWaiting then return notWaiting end
local fromQueue = stored[2]
local missing = undeclared(fromQueue, target)
if #missing > 0 then return askAgain(missing) end

traceFirstDecision()
local enqueuedAt = tonumber(stored[4])
local priority = ARGV[4] ~= '' and tonumber(ARGV[4]) or tonumber(stored[3])

local profile = readProfile(stored[5])
for i = 1, (profile.es ~= '' and #cjson.decode(profile.es) or 0) do redis.call('ZREM', KEYS[3], id .. '|' .. i) end
redis.call('ZREM', queueKey(fromQueue), id)
local steps = cjson.decode(ARGV[8])
placeInTarget(KEYS[2], KEYS[3], enqueuedAt, priority, steps)

for i = 12 + declaredCount, #ARGV, 2 do profile[ARGV[i]] = ARGV[i + 1] end
profile.es = #steps > 0 and ARGV[8] or ''
redis.call('HSET', hash, 'q', target, 'p', tostring(priority), 'pm', ARGV[6], 'fq', fromQueue, 'pf', saveProfile(profile), eventField, 'a')

redis.call('RPUSH', traceKey, cjson.encode({
  kind = 'transferred', atMs = tonumber(ARGV[10]), queue = target, fromQueue = fromQueue, priority = priority,
  ruleId = profile.r, rulesetVersion = tonumber(profile.v), reason = ARGV[9], causationId = ARGV[1],
}))
return reply(0, 'a', positionIn(target))
