--[[
  Fires the escalation steps that are due, each exactly once whichever router replica calls it:
  the timer is removed and its effect applied in the same atomic script, and the decision to
  publish is appended to an outbox stream in that same step. A replica that dies after this
  script loses nothing: the outbox entry waits for any replica's relay.

  A step raises the priority, moves the interaction to another queue, or widens its skills.
  The interaction keeps its original arrival time, so its age is unchanged by an escalation.
  The first decision moves from the hash to the trace list before the step is recorded.

  KEYS[1] escalation timers  <prefix>timers (member <interactionId>|<step>, score = due ms)
  KEYS[2] outbox stream      <prefix>outbox
  ARGV[1] now ms             ARGV[2] how many timers at most
  ARGV[3] key prefix         ARGV[4] epoch ms      ARGV[5] max priority

  Returns the number of steps fired.
]]
local prefix = ARGV[3]
local now = tonumber(ARGV[1])
local maxPriority = tonumber(ARGV[5])
local STORED = {'q', 'p', 't', 'fq', 'e', 'c', 'tn', 'ch', 'ov'}
-- @include "routingProfile"
-- @include "firstDecision"

local fired = 0
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[2]))
for _, member in ipairs(due) do
  redis.call('ZREM', KEYS[1], member)
  local separator = string.find(member, '|[^|]*$')
  local id = string.sub(member, 1, separator - 1)
  local stepIndex = tonumber(string.sub(member, separator + 1))
  local hash = prefix .. 'i:' .. id
  local state = redis.call('HMGET', hash, 'st', 'q', 'p', 't', 'pm', 'pf')
  local profile = state[1] == 'w' and readProfile(prefix, state[6]) or {es = ''}
  local step = profile.es ~= '' and cjson.decode(profile.es)[stepIndex] or nil
  if step then
    traceFirstDecision(hash, id, prefix)
    local fromQueue = state[2]
    local queue = step.moveToQueue or fromQueue
    local pointMs = step.moveToQueue and (step.pm or state[5]) or state[5]
    local priority = math.min(maxPriority, tonumber(state[3]) + (step.raisePriorityBy or 0))
    local score = (maxPriority - priority) * tonumber(pointMs) + (tonumber(state[4]) - tonumber(ARGV[4]))

    local skills = profile.k
    for _, skill in ipairs(step.addSkills or {}) do
      if not string.find(',' .. skills .. ',', ',' .. skill .. ',', 1, true) then
        skills = skills == '' and skill or (skills .. ',' .. skill)
      end
    end

    if queue ~= fromQueue then
      redis.call('ZREM', prefix .. 'q:' .. fromQueue, id)
      redis.call('SADD', prefix .. 'queues', queue)
      redis.call('HSET', hash, 'fq', fromQueue)
    end
    redis.call('ZADD', prefix .. 'q:' .. queue, score, id)
    local profileId = state[6]
    if skills ~= profile.k then
      profile.k = skills
      profileId = saveProfile(prefix, profile)
    end
    redis.call('HSET', hash, 'q', queue, 'p', tostring(priority), 'pm', tostring(pointMs), 'pf', profileId)

    local rank = redis.call('ZRANK', prefix .. 'q:' .. queue, id)
    redis.call('RPUSH', prefix .. 't:' .. id, cjson.encode({
      kind = 'escalated', atMs = now, queue = queue, fromQueue = fromQueue, priority = priority, step = stepIndex,
    }))

    local stored = redis.call('HMGET', hash, unpack(STORED))
    local stats = redis.call('HMGET', prefix .. 'qs:' .. queue, 'ewma', 'answered')
    local entry = {interactionId = id, step = stepIndex, position = rank and (rank + 1) or 0, firedAtMs = now,
                   ewma = stats[1] or '', answered = stats[2] or '0', s = profile.s, n = profile.n, k = profile.k, r = profile.r, v = profile.v}
    for i = 1, #STORED do entry[STORED[i]] = stored[i] or '' end
    entry.fq = fromQueue
    redis.call('XADD', KEYS[2], '*', 'decision', cjson.encode(entry))
    fired = fired + 1
  end
end
return fired
