--[[
  Places a new interaction in a skill queue, exactly once, and schedules its escalations.

  Idempotent twice over: by event id (a re-delivered arrival) and by interaction id (the same
  interaction announced again under a new event id). Serve order is priority, then arrival,
  folded into one score (libs/routing queue-ordering.ts; the formula must stay identical):
    score = (maxPriority - priority) * msPerPriorityPoint + (enqueuedAtMs - epochMs)
  When the target queue already holds maxWaiting interactions and an overflow queue is given,
  the interaction goes there instead (surge overflow between sites), decided atomically here.

  Memory is the budget here (one hash per waiting interaction): the decision for the trace is
  kept in the hash (fields at, x, oq; see includes/firstDecision.lua), what interactions of one
  rule share is stored once (includes/routingProfile.lua), every value stays short enough for
  Redis to keep the hash as a compact listpack, and optional fields (ov, oq, e) are written only
  when they say something.

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
  ARGV[13] the escalation steps' afterSeconds, comma-separated ('' when none), so this script needs no JSON
  ARGV[14] now ms (the decision's time, for the trace)
  ARGV[15] routing profile, JSON [sector, intent, skills csv, rule id, ruleset version, escalation steps JSON or '']
           steps: [{afterSeconds, raisePriorityBy?, moveToQueue?, addSkills?, pm?}]
  ARGV[16..] field, value, … per-interaction descriptive fields (e c tn ch x)

  Returns
    {0, 'a', position, queue, overflowed, ewma, answered}   applied now; position 1-based; queue
        is where it went (the overflow queue when overflowed = '1'); the caller has the rest
    {1, publishState, position, <snapshot: q p t fq s n e c tn ch k r v ov>, ewma, answered}
        this event was applied before; publishState 'a' (not yet published) or 'p'
    {2, 'p', 0}   the interaction is already known under another event: no effect
]]
local hash = KEYS[1]
local id = ARGV[2]
local prefix = ARGV[3]
local eventField = 'ev:' .. ARGV[1]
-- @include "routingProfile"
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
local overflowed = false
local maxWaiting = tonumber(ARGV[11])
if ARGV[10] ~= '' and maxWaiting > 0 and redis.call('ZCARD', prefix .. 'q:' .. queue) >= maxWaiting then
  queue = ARGV[10]
  pointMs = ARGV[12]
  overflowed = true
end

local priority = tonumber(ARGV[5])
local enqueuedAt = tonumber(ARGV[6])
local score = (tonumber(ARGV[9]) - priority) * tonumber(pointMs) + (enqueuedAt - tonumber(ARGV[7]))

local fields = {'st', 'w', 'q', queue, 'p', ARGV[5], 't', ARGV[6], 'pm', pointMs, 'at', tostring(tonumber(ARGV[14]) - enqueuedAt),
                'pf', saveEncodedProfile(prefix, ARGV[15]), eventField, 'a'}
if overflowed then
  fields[#fields + 1] = 'ov'
  fields[#fields + 1] = '1'
  fields[#fields + 1] = 'oq'
  fields[#fields + 1] = ARGV[4]
end
for i = 16, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', hash, unpack(fields))
redis.call('ZADD', prefix .. 'q:' .. queue, score, id)
redis.call('SADD', KEYS[2], queue)

local step = 0
for afterSeconds in string.gmatch(ARGV[13], '[^,]+') do
  step = step + 1
  redis.call('ZADD', KEYS[3], enqueuedAt + tonumber(afterSeconds) * 1000, id .. '|' .. step)
end

local stats = redis.call('HMGET', prefix .. 'qs:' .. queue, 'ewma', 'answered')
return {0, 'a', positionIn(queue), queue, overflowed and '1' or '0', stats[1] or '', stats[2] or '0'}
