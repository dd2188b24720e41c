--[[
  Takes an interaction out of its queue because it was answered, abandoned or ended.

  Only the first terminal event has an effect: a second one (same or another event id) finds the
  interaction no longer waiting. The hash stays behind as a tombstone for a while, so late
  duplicates of the arrival cannot bring the interaction back.

  KEYS[1] interaction hash  <prefix>i:<interactionId>
  ARGV[1] eventId
  ARGV[2] interactionId
  ARGV[3] reason            answered | abandoned | ended
  ARGV[4] key prefix        the queue key is <prefix>q:<queue>, read from the hash
  ARGV[5] tombstone ttl seconds

  Returns {code, publishState, 0, <stored snapshot: q p t fq s n e c tn ch k r v>}
    code 0  applied now: the interaction left queue `q`; publishState 'a'
    code 1  this event was applied before; publishState 'a' (not yet published) or 'p'
    code 2  the interaction is not waiting (it already left): no effect
    code 3  unknown interaction: no effect
]]
local hash = KEYS[1]
local eventField = 'ev:' .. ARGV[1]
local SNAPSHOT = {'q', 'p', 't', 'fq', 's', 'n', 'e', 'c', 'tn', 'ch', 'k', 'r', 'v'}

local function reply(code, publishState)
  local result = {code, publishState, 0}
  local stored = redis.call('HMGET', hash, unpack(SNAPSHOT))
  for i = 1, #SNAPSHOT do result[#result + 1] = stored[i] or '' end
  return result
end

local seen = redis.call('HGET', hash, eventField)
if seen then return reply(1, seen) end

local stored = redis.call('HMGET', hash, 'st', 'q')
if not stored[1] then return {3, 'p', 0} end
if stored[1] ~= 'w' then return {2, 'p', 0} end

redis.call('ZREM', ARGV[4] .. 'q:' .. stored[2], ARGV[2])
redis.call('HSET', hash, 'st', 'd', 'dr', ARGV[3], eventField, 'a')
redis.call('EXPIRE', hash, tonumber(ARGV[5]))
return reply(0, 'a')
