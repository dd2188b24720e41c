--[[
  Takes an interaction out of its queue because it was answered, abandoned or ended.

  Only the first terminal event has an effect: a second one (same or another event id) finds the
  interaction no longer waiting. Pending escalations are cancelled. The hash and the trace stay
  behind for a while as a tombstone, so late duplicates of the arrival cannot bring it back and
  the trace can still be read. An answer feeds the queue's service history, from which waits are
  estimated: an exponentially weighted mean of the time between two answers. The first decision,
  kept in the hash until now, moves to the trace list first (includes/firstDecision.lua).

  KEYS[1] interaction hash   <prefix>i:<interactionId>
  KEYS[2] escalation timers  <prefix>timers
  ARGV[1] eventId            ARGV[2] interactionId
  ARGV[3] reason             answered | abandoned | ended
  ARGV[4] key prefix         ARGV[5] tombstone ttl seconds
  ARGV[6] event time ms      when the answer happened at the source (for the service history)

  Returns {code, publishState, 0, <snapshot: q p t fq s n e c tn ch k r v ov>, ewma, answered}
    code 0  applied now: the interaction left queue `q`
    code 1  this event was applied before; publishState 'a' (not yet published) or 'p'
    code 2  the interaction is not waiting (it already left): no effect
    code 3  unknown interaction: no effect
]]
local hash = KEYS[1]
local id = ARGV[2]
local prefix = ARGV[4]
local eventField = 'ev:' .. ARGV[1]
-- @include "routingProfile"
-- @include "snapshotReply"
-- @include "firstDecision"

local seen = redis.call('HGET', hash, eventField)
if seen then return reply(1, seen, 0) end

local stored = redis.call('HMGET', hash, 'st', 'q', 'p', 'pf')
if not stored[1] then return {3, 'p', 0} end
if stored[1] ~= 'w' then return {2, 'p', 0} end

traceFirstDecision(hash, id, prefix)
local queue = stored[2]
redis.call('ZREM', prefix .. 'q:' .. queue, id)
local steps = readProfile(prefix, stored[4]).es
for i = 1, (steps ~= '' and #cjson.decode(steps) or 0) do redis.call('ZREM', KEYS[2], id .. '|' .. i) end

if ARGV[3] == 'answered' then
  local statsKey = prefix .. 'qs:' .. queue
  local now = tonumber(ARGV[6])
  local history = redis.call('HMGET', statsKey, 'last', 'ewma')
  local last = tonumber(history[1])
  if last and now > last then
    local interval = now - last
    local ewma = tonumber(history[2])
    redis.call('HSET', statsKey, 'ewma', tostring(math.floor(ewma and (0.8 * ewma + 0.2 * interval) or interval)))
  end
  if not last or now > last then redis.call('HSET', statsKey, 'last', ARGV[6]) end
  redis.call('HINCRBY', statsKey, 'answered', 1)
end

redis.call('HSET', hash, 'st', 'd', 'dr', ARGV[3], eventField, 'a')
redis.call('EXPIRE', hash, tonumber(ARGV[5]))
local traceKey = prefix .. 't:' .. id
redis.call('RPUSH', traceKey, cjson.encode({kind = 'dequeued', atMs = tonumber(ARGV[6]), queue = queue, priority = tonumber(stored[3]), reason = ARGV[3], causationId = ARGV[1]}))
redis.call('EXPIRE', traceKey, tonumber(ARGV[5]))
return reply(0, 'a', 0)
