--[[
  Re-routes a waiting interaction to another queue (a transfer), keeping its original arrival
  time, so being moved never costs it its place in line. The new rule's escalations replace the
  old ones; steps are still counted from the original arrival, so an overdue step fires at once.
  The first decision moves from the hash to the trace list before the move is recorded.

  KEYS[1] interaction hash   <prefix>i:<interactionId>
  KEYS[2] queue index set    <prefix>queues
  KEYS[3] escalation timers  <prefix>timers
  ARGV[1] eventId            the transfer event
  ARGV[2] interactionId      ARGV[3] key prefix
  ARGV[4] target queue       ARGV[5] new priority, or '' to keep the current one
  ARGV[6] epoch ms           ARGV[7] msPerPriorityPoint of the target queue   ARGV[8] max priority
  ARGV[9] escalation steps JSON of the new rule ('[]' for none)
  ARGV[10] reason            transfer | overflow
  ARGV[11] now ms
  ARGV[12..] field, value, … routing profile fields to overwrite (r k v: rule id, skills, ruleset version)

  Returns {code, publishState, position, <snapshot: q p t fq s n e c tn ch k r v ov>, ewma, answered}
    code 0  applied now; position is 1-based in the target queue; fq is the queue it left
    code 1  this event was applied before; publishState 'a' or 'p'; position current or 0
    code 2  the interaction is not waiting: no effect
    code 3  unknown interaction: no effect
]]
local hash = KEYS[1]
local id = ARGV[2]
local prefix = ARGV[3]
local eventField = 'ev:' .. ARGV[1]
-- @include "routingProfile"
-- @include "snapshotReply"
-- @include "firstDecision"

local stored = redis.call('HMGET', hash, 'st', 'q', 'p', 't', 'pf')
local seen = redis.call('HGET', hash, eventField)
if seen then return reply(1, seen, stored[1] == 'w' and positionIn(stored[2]) or 0) end
if not stored[1] then return {3, 'p', 0} end
if stored[1] ~= 'w' then return {2, 'p', 0} end

traceFirstDecision(hash, id, prefix)
local fromQueue = stored[2]
local enqueuedAt = tonumber(stored[4])
local priority = ARGV[5] ~= '' and tonumber(ARGV[5]) or tonumber(stored[3])
local score = (tonumber(ARGV[8]) - priority) * tonumber(ARGV[7]) + (enqueuedAt - tonumber(ARGV[6]))

local profile = readProfile(prefix, stored[5])
for i = 1, (profile.es ~= '' and #cjson.decode(profile.es) or 0) do redis.call('ZREM', KEYS[3], id .. '|' .. i) end
redis.call('ZREM', prefix .. 'q:' .. fromQueue, id)
redis.call('ZADD', prefix .. 'q:' .. ARGV[4], score, id)
redis.call('SADD', KEYS[2], ARGV[4])
local steps = cjson.decode(ARGV[9])
for i, step in ipairs(steps) do
  redis.call('ZADD', KEYS[3], enqueuedAt + step.afterSeconds * 1000, id .. '|' .. i)
end

for i = 12, #ARGV, 2 do profile[ARGV[i]] = ARGV[i + 1] end
profile.es = #steps > 0 and ARGV[9] or ''
redis.call('HSET', hash, 'q', ARGV[4], 'p', tostring(priority), 'pm', ARGV[7], 'fq', fromQueue, 'pf', saveProfile(prefix, profile), eventField, 'a')

redis.call('RPUSH', prefix .. 't:' .. id, cjson.encode({
  kind = 'transferred', atMs = tonumber(ARGV[11]), queue = ARGV[4], fromQueue = fromQueue, priority = priority,
  ruleId = profile.r, rulesetVersion = tonumber(profile.v), reason = ARGV[10], causationId = ARGV[1],
}))
return reply(0, 'a', positionIn(ARGV[4]))
