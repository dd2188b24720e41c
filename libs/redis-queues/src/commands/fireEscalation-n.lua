--[[
  Fires one due escalation step, exactly once whichever router replica calls it: the timer is
  removed and its effect applied in the same atomic script, and the decision to publish is
  appended to the domain's outbox stream in that same step. A replica that dies after this script
  loses nothing: the outbox entry waits for any replica's relay. The caller reads the due timers
  first (ZRANGEBYSCORE), then calls this once per timer: each call declares the keys of its own
  interaction, as Redis Cluster requires.

  A step raises the priority, moves the interaction to another queue, or widens its skills.
  The interaction keeps its original arrival time, so its age is unchanged by an escalation.
  The first decision moves from the hash to the trace list before the step is recorded.

  Every key is declared and shares the domain's hash tag (queue-keys.ts). The key count varies
  with the declared queues (the `n` in the file name): the caller passes it first. The queue the
  interaction waits in and the one the step moves it to must both be declared.
  KEYS[1] escalation timers  <prefix>{<domain>}:timers (member <interactionId>|<step>, score = due ms)
  KEYS[2] outbox stream      <prefix>{<domain>}:outbox
  KEYS[3] interaction hash   <prefix>{<domain>}:i:<interactionId>
  KEYS[4] trace list         <prefix>{<domain>}:t:<interactionId>
  KEYS[5] routing profiles   <prefix>{<domain>}:profiles
  KEYS[6] queue index set    <prefix>{<domain>}:queues
  KEYS[7..] declared queues, two keys each (includes/declaredQueues.lua)
  ARGV[1] timer member <interactionId>|<step>
  ARGV[2] now ms             ARGV[3] epoch ms      ARGV[4] max priority
  ARGV[5..] the declared queues' names

  Returns {code, …}
    {1}              the step fired
    {0}              nothing to fire: the timer is gone (another replica fired it) or not due,
                     or its interaction no longer waits (the timer is dropped)
    {5, 'p', 0, queue…}  a queue it needs was not declared; nothing changed, ask again
]]
local member = ARGV[1]
local now = tonumber(ARGV[2])
local maxPriority = tonumber(ARGV[4])
local hash = KEYS[3]
local traceKey = KEYS[4]
local profilesKey = KEYS[5]
local STORED = {'q', 'p', 't', 'fq', 'e', 'c', 'tn', 'ch', 'ov'}
-- @include "routingProfile"
-- @include "declaredQueues"
-- @include "firstDecision"
declareQueues(7, {unpack(ARGV, 5)})

local due = tonumber(redis.call('ZSCORE', KEYS[1], member))
if not due or due > now then return {0} end
local separator = string.find(member, '|[^|]*$')
local id = string.sub(member, 1, separator - 1)
local stepIndex = tonumber(string.sub(member, separator + 1))
local state = redis.call('HMGET', hash, 'st', 'q', 'p', 't', 'pm', 'pf')
local profile = state[1] == 'w' and readProfile(state[6]) or {es = ''}
local step = profile.es ~= '' and cjson.decode(profile.es)[stepIndex] or nil
if not step then
  redis.call('ZREM', KEYS[1], member)
  return {0}
end
local fromQueue = state[2]
local queue = step.moveToQueue or fromQueue
local missing = undeclared(fromQueue, queue)
if #missing > 0 then return askAgain(missing) end

redis.call('ZREM', KEYS[1], member)
traceFirstDecision()
local pointMs = step.moveToQueue and (step.pm or state[5]) or state[5]
local priority = math.min(maxPriority, tonumber(state[3]) + (step.raisePriorityBy or 0))
local score = (maxPriority - priority) * tonumber(pointMs) + (tonumber(state[4]) - tonumber(ARGV[3]))

local skills = profile.k
for _, skill in ipairs(step.addSkills or {}) do
  if not string.find(',' .. skills .. ',', ',' .. skill .. ',', 1, true) then
    skills = skills == '' and skill or (skills .. ',' .. skill)
  end
end

if queue ~= fromQueue then
  redis.call('ZREM', queueKey(fromQueue), id)
  redis.call('SADD', KEYS[6], queue)
  redis.call('HSET', hash, 'fq', fromQueue)
end
redis.call('ZADD', queueKey(queue), score, id)
local profileId = state[6]
if skills ~= profile.k then
  profile.k = skills
  profileId = saveProfile(profile)
end
redis.call('HSET', hash, 'q', queue, 'p', tostring(priority), 'pm', tostring(pointMs), 'pf', profileId)

local rank = redis.call('ZRANK', queueKey(queue), id)
redis.call('RPUSH', traceKey, cjson.encode({
  kind = 'escalated', atMs = now, queue = queue, fromQueue = fromQueue, priority = priority, step = stepIndex,
}))

local stored = redis.call('HMGET', hash, unpack(STORED))
local stats = redis.call('HMGET', statsKey(queue), 'ewma', 'answered')
local entry = {interactionId = id, step = stepIndex, position = rank and (rank + 1) or 0, firedAtMs = now,
               ewma = stats[1] or '', answered = stats[2] or '0', s = profile.s, n = profile.n, k = profile.k, r = profile.r, v = profile.v}
for i = 1, #STORED do entry[STORED[i]] = stored[i] or '' end
entry.fq = fromQueue
redis.call('XADD', KEYS[2], '*', 'decision', cjson.encode(entry))
return {1}
