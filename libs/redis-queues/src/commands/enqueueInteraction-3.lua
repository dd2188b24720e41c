--[[
  Places a new interaction in a skill queue, exactly once, and schedules its escalations.

  Idempotent twice over: by event id (a re-delivered arrival) and by interaction id (the same
  interaction announced again under a new event id). Serve order is priority, then arrival,
  folded into one score (libs/routing queue-ordering.ts; the formula must stay identical):
    score = (maxPriority - priority) * msPerPriorityPoint + (enqueuedAtMs - epochMs)
  When the target queue already holds maxWaiting interactions and an overflow queue is given,
  the interaction goes there instead (surge overflow between sites), decided atomically here.

  Queue, trace and stats keys are derived from the prefix (<prefix>q:<queue>, <prefix>t:<id>,
  <prefix>qs:<queue>): the overflow decision picks the queue inside the script. This assumes one
  Redis (or a Cluster hash tag around the prefix), as the other scripts do.

  KEYS[1] interaction hash   <prefix>i:<interactionId>
  KEYS[2] queue index set    <prefix>queues
  KEYS[3] escalation timers  <prefix>timers (member <interactionId>|<step>, score = due ms)
  ARGV[1] eventId            de-duplication key of the arrival
  ARGV[2] interactionId
  ARGV[3] key prefix
  ARGV[4] queue              ARGV[5] priority (0..max)   ARGV[6] enqueuedAtMs (original arrival)
  ARGV[7] epoch ms           ARGV[8] msPerPriorityPoint of the queue     ARGV[9] max priority
  ARGV[10] overflow queue or ''   ARGV[11] maxWaiting (0: none)   ARGV[12] msPerPriorityPoint of the overflow queue
  ARGV[13] escalation steps JSON: [{afterSeconds, raisePriorityBy?, moveToQueue?, addSkills?, pm?}]
  ARGV[14] trace entry JSON (classification, rule); the script adds queue, priority, atMs
  ARGV[15] now ms
  ARGV[16..] field, value, … descriptive fields (s n e c tn ch k r v)

  Returns {code, publishState, position, <snapshot: q p t fq s n e c tn ch k r v ov>, ewma, answered}
    code 0  applied now; position 1-based; ov = '1' when placed in the overflow queue
    code 1  this event was applied before; publishState 'a' (not yet published) or 'p'
    code 2  the interaction is already known under another event: no effect
]]
local hash = KEYS[1]
local id = ARGV[2]
local prefix = ARGV[3]
local eventField = 'ev:' .. ARGV[1]
-- @include "snapshotReply"

local seen = redis.call('HGET', hash, eventField)
if seen then
  local stored = redis.call('HMGET', hash, 'st', 'q')
  return reply(1, seen, stored[1] == 'w' and positionIn(stored[2]) or 0)
end
if redis.call('EXISTS', hash) == 1 then
  return {2, 'p', 0}
end

local queue = ARGV[4]
local pointMs = ARGV[8]
local overflowed = '0'
local maxWaiting = tonumber(ARGV[11])
if ARGV[10] ~= '' and maxWaiting > 0 and redis.call('ZCARD', prefix .. 'q:' .. queue) >= maxWaiting then
  queue = ARGV[10]
  pointMs = ARGV[12]
  overflowed = '1'
end

local priority = tonumber(ARGV[5])
local enqueuedAt = tonumber(ARGV[6])
local score = (tonumber(ARGV[9]) - priority) * tonumber(pointMs) + (enqueuedAt - tonumber(ARGV[7]))

local fields = {'st', 'w', 'q', queue, 'p', ARGV[5], 't', ARGV[6], 'pm', pointMs, 'es', ARGV[13], 'ov', overflowed, eventField, 'a'}
for i = 16, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', hash, unpack(fields))
redis.call('ZADD', prefix .. 'q:' .. queue, score, id)
redis.call('SADD', KEYS[2], queue)

local steps = cjson.decode(ARGV[13])
for i, step in ipairs(steps) do
  redis.call('ZADD', KEYS[3], enqueuedAt + step.afterSeconds * 1000, id .. '|' .. i)
end

local entry = cjson.decode(ARGV[14])
entry.kind = overflowed == '1' and 'overflow' or 'queued'
entry.queue = queue
entry.priority = priority
entry.atMs = tonumber(ARGV[15])
if overflowed == '1' then entry.fromQueue = ARGV[4] end
redis.call('RPUSH', prefix .. 't:' .. id, cjson.encode(entry))

return reply(0, 'a', positionIn(queue))
