--[[
  Places new interactions in skill queues, each exactly once, and schedules their escalations.
  One call takes a run of arrivals: per call, the client builds, sends and settles one command
  instead of one per interaction, and Redis sets up one script run. The caller keeps runs short
  (RedisQueueStore.ENQUEUE_BATCH), since other clients wait while a script runs.

  Each interaction is placed as if alone, in the order given: a later one sees the effects of
  the earlier ones (queue length for overflow, position). A Redis error on one interaction
  (a key of the wrong type, say) is caught and answered for that interaction alone; the others
  still apply.

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

  Every key is declared and shares the domain's hash tag (queue-keys.ts); the caller declares
  every queue the run may place an interaction in (its rule's queue and overflow queue).
  The key count varies (the `n` in the file name): the caller passes it first.
  KEYS[1]   queue index set    <prefix>{<domain>}:queues
  KEYS[2]   escalation timers  <prefix>{<domain>}:timers (member <interactionId>|<step>, score = due ms)
  KEYS[3]   routing profiles   <prefix>{<domain>}:profiles
  KEYS[4..3+2d] the d declared queues, two keys each (includes/declaredQueues.lua)
  KEYS[3+2d+i]  interaction hash <prefix>{<domain>}:i:<interactionId> of the i-th interaction
  ARGV[1] epoch ms   ARGV[2] max priority   ARGV[3] d, how many queues are declared
  ARGV[4..3+d] their names
  Then ARGUMENTS_PER_INTERACTION values per interaction, the i-th from ARGV[4 + d + (i-1)*17]:
    +0 eventId (de-duplication key of the arrival)   +1 interactionId
    +2 queue   +3 priority (0..max)   +4 enqueuedAtMs (original arrival)   +5 msPerPriorityPoint of the queue
    +6 overflow queue or ''   +7 maxWaiting (0: none)   +8 msPerPriorityPoint of the overflow queue
    +9 the escalation steps' afterSeconds, comma-separated ('' when none), so this script needs no JSON
    +10 now ms (the decision's time, for the trace)
    +11 routing profile, JSON [sector, intent, skills csv, rule id, ruleset version, escalation steps JSON or '']
        steps: [{afterSeconds, raisePriorityBy?, moveToQueue?, addSkills?, pm?}]
    +12 emergency level: '1' an emergency, 'p' a possible one, or '' (the field e is then not written)
    +13..+16 descriptive fields c tn ch x (confidence, tenant, channel, compact evidence)

  Returns one reply per interaction, in order:
    {0, 'a', position, queue, overflowed, ewma, answered}   applied now; position 1-based; queue
        is where it went (the overflow queue when overflowed = '1'); the caller has the rest
    {1, publishState, position, <snapshot: q p t fq s n e c tn ch k r v ov>, ewma, answered}
        this event was applied before; publishState 'a' (not yet published) or 'p'
    {2, 'p', 0}   the interaction is already known under another event: no effect
    {5, 'p', 0, queue…}  this event was applied before, and the interaction now waits in a queue
        that was not declared: nothing changed, ask again for this interaction
    {-1, message} a Redis error stopped this interaction (its earlier writes stay, as they would
        have in a script of its own)
]]
local ARGUMENTS_PER_INTERACTION = 17
local DESCRIPTIVE_FIELDS = {'c', 'tn', 'ch', 'x'}
local indexKey = KEYS[1]
local timersKey = KEYS[2]
local profilesKey = KEYS[3]
local epochMs = tonumber(ARGV[1])
local maxPriority = tonumber(ARGV[2])
local declaredCount = tonumber(ARGV[3])
-- Assigned per interaction before anything reads them: the shared reply reads them as upvalues.
local hash
local id
-- @include "routingProfile"
-- @include "declaredQueues"
-- @include "snapshotReply"
declareQueues(4, {unpack(ARGV, 4, 3 + declaredCount)})

-- What the arrivals of one call share, looked up or written once per call: the arrivals of a run
-- mostly come from a few rules and go to a few queues. Nothing in this script changes a queue's
-- service history, and profiles and the queue index only grow, so a value kept here stays true
-- for the whole call.
local profileIdOf = {}
local indexedQueue = {}
local queueStats = {}

local function profileIdFor(encoded)
  local profileId = profileIdOf[encoded]
  if not profileId then
    profileId = saveEncodedProfile(encoded)
    profileIdOf[encoded] = profileId
  end
  return profileId
end

local function enqueue(base)
  local eventField = 'ev:' .. ARGV[base]
  local seen = redis.call('HGET', hash, eventField)
  if seen then
    local stored = redis.call('HMGET', hash, 'st', 'q')
    return reply(1, seen, stored[1] == 'w' and positionIn(stored[2]) or 0)
  end
  if redis.call('EXISTS', hash) == 1 then
    return {2, 'p', 0}
  end

  local requestedQueue = ARGV[base + 2]
  -- The caller declares both queues of every arrival; the check stays off the common path's cost.
  local overflowQueue = ARGV[base + 6]
  if not declaredQueues[requestedQueue] or (overflowQueue ~= '' and not declaredQueues[overflowQueue]) then
    return askAgain(undeclared(requestedQueue, overflowQueue))
  end
  local queue = requestedQueue
  local pointMs = ARGV[base + 5]
  local overflowed = false
  local maxWaiting = tonumber(ARGV[base + 7])
  if ARGV[base + 6] ~= '' and maxWaiting > 0 and redis.call('ZCARD', queueKey(queue)) >= maxWaiting then
    queue = ARGV[base + 6]
    pointMs = ARGV[base + 8]
    overflowed = true
  end

  local priority = tonumber(ARGV[base + 3])
  local enqueuedAt = tonumber(ARGV[base + 4])
  local score = (maxPriority - priority) * tonumber(pointMs) + (enqueuedAt - epochMs)

  local fields = {'st', 'w', 'q', queue, 'p', ARGV[base + 3], 't', ARGV[base + 4], 'pm', pointMs,
                  'at', tostring(tonumber(ARGV[base + 10]) - enqueuedAt),
                  'pf', profileIdFor(ARGV[base + 11]), eventField, 'a'}
  if overflowed then
    fields[#fields + 1] = 'ov'
    fields[#fields + 1] = '1'
    fields[#fields + 1] = 'oq'
    fields[#fields + 1] = requestedQueue
  end
  if ARGV[base + 12] ~= '' then
    fields[#fields + 1] = 'e'
    fields[#fields + 1] = ARGV[base + 12]
  end
  for field = 1, #DESCRIPTIVE_FIELDS do
    fields[#fields + 1] = DESCRIPTIVE_FIELDS[field]
    fields[#fields + 1] = ARGV[base + 12 + field]
  end
  redis.call('HSET', hash, unpack(fields))
  redis.call('ZADD', queueKey(queue), score, id)
  if not indexedQueue[queue] then
    redis.call('SADD', indexKey, queue)
    indexedQueue[queue] = true
  end

  local step = 0
  for afterSeconds in string.gmatch(ARGV[base + 9], '[^,]+') do
    step = step + 1
    redis.call('ZADD', timersKey, enqueuedAt + tonumber(afterSeconds) * 1000, id .. '|' .. step)
  end

  local stats = queueStats[queue]
  if not stats then
    local stored = redis.call('HMGET', statsKey(queue), 'ewma', 'answered')
    stats = {stored[1] or '', stored[2] or '0'}
    queueStats[queue] = stats
  end
  return {0, 'a', positionIn(queue), queue, overflowed and '1' or '0', stats[1], stats[2]}
end

local replies = {}
local firstHash = 4 + 2 * declaredCount
for i = 1, #KEYS - firstHash + 1 do
  local base = 4 + declaredCount + (i - 1) * ARGUMENTS_PER_INTERACTION
  hash = KEYS[firstHash + i - 1]
  id = ARGV[base + 1]
  local ok, result = pcall(enqueue, base)
  if ok then
    replies[i] = result
  else
    -- A failed redis.call raises its error reply (a string in Redis 7.0, a table {err = ...} in
    -- later versions), which starts with its code (WRONGTYPE, OOM, READONLY…); a fault of the
    -- script itself raises a message without one, reported as Redis reports a failed script: ERR.
    local message = type(result) == 'table' and result.err or tostring(result)
    replies[i] = {-1, string.find(message, '^%u+ ') and message or ('ERR ' .. message)}
  end
end
return replies
