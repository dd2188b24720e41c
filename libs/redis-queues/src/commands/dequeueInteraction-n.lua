--[[
  Takes an interaction out of its queue because it was answered, abandoned or ended.

  Only the first terminal event has an effect: a second one (same or another event id) finds the
  interaction no longer waiting. Pending escalations are cancelled. The hash and the trace stay
  behind for a while as a tombstone, so late duplicates of the arrival cannot bring it back and
  the trace can still be read. An answer feeds the queue's service history, from which waits are
  estimated: an exponentially weighted mean of the time between two answers. The first decision,
  kept in the hash until now, moves to the trace list first (includes/firstDecision.lua).

  Every key is declared and shares the domain's hash tag (queue-keys.ts). The key count varies
  with the declared queues (the `n` in the file name): the caller passes it first.
  KEYS[1] interaction hash   <prefix>{<domain>}:i:<interactionId>
  KEYS[2] trace list         <prefix>{<domain>}:t:<interactionId>
  KEYS[3] escalation timers  <prefix>{<domain>}:timers
  KEYS[4] routing profiles   <prefix>{<domain>}:profiles
  KEYS[5..] declared queues, two keys each (includes/declaredQueues.lua)
  ARGV[1] eventId            ARGV[2] interactionId
  ARGV[3] reason             answered | abandoned | ended
  ARGV[4] tombstone ttl seconds
  ARGV[5] event time ms      when the answer happened at the source (for the service history)
  ARGV[6..] the declared queues' names

  Returns {code, publishState, 0, <snapshot: q p t fq s n e c tn ch k r v ov>, ewma, answered}
    code 0  applied now: the interaction left queue `q`
    code 1  this event was applied before; publishState 'a' (not yet published) or 'p'
    code 2  the interaction is not waiting (it already left): no effect
    code 3  unknown interaction: no effect
    code 5  {5, 'p', 0, queue…}: its queue was not declared; nothing changed, ask again
    code 6  the interaction left for another domain (a transfer; st = m here): nothing changed,
            find it again
]]
local hash = KEYS[1]
local id = ARGV[2]
local traceKey = KEYS[2]
local profilesKey = KEYS[4]
local eventField = 'ev:' .. ARGV[1]
-- @include "routingProfile"
-- @include "declaredQueues"
-- @include "snapshotReply"
-- @include "firstDecision"
declareQueues(5, {unpack(ARGV, 6)})

local seen = redis.call('HGET', hash, eventField)
if seen then return reply(1, seen, 0) end

local stored = redis.call('HMGET', hash, 'st', 'q', 'p', 'pf')
local notWaiting = notWaitingReply(stored[1])
if notWaiting then return notWaiting end
local queue = stored[2]
local missing = undeclared(queue)
if #missing > 0 then return askAgain(missing) end

traceFirstDecision()
redis.call('ZREM', queueKey(queue), id)
local steps = readProfile(stored[4]).es
for i = 1, (steps ~= '' and #cjson.decode(steps) or 0) do redis.call('ZREM', KEYS[3], id .. '|' .. i) end

if ARGV[3] == 'answered' then
  local stats = statsKey(queue)
  local now = tonumber(ARGV[5])
  local history = redis.call('HMGET', stats, 'last', 'ewma')
  local last = tonumber(history[1])
  if last and now > last then
    local interval = now - last
    local ewma = tonumber(history[2])
    redis.call('HSET', stats, 'ewma', tostring(math.floor(ewma and (0.8 * ewma + 0.2 * interval) or interval)))
  end
  if not last or now > last then redis.call('HSET', stats, 'last', ARGV[5]) end
  redis.call('HINCRBY', stats, 'answered', 1)
end

redis.call('HSET', hash, 'st', 'd', 'dr', ARGV[3], eventField, 'a')
redis.call('EXPIRE', hash, tonumber(ARGV[4]))
redis.call('RPUSH', traceKey, cjson.encode({kind = 'dequeued', atMs = tonumber(ARGV[5]), queue = queue, priority = tonumber(stored[3]), reason = ARGV[3], causationId = ARGV[1]}))
redis.call('EXPIRE', traceKey, tonumber(ARGV[4]))
return reply(0, 'a', 0)
