--[[
  Places a new interaction in a skill queue, exactly once.

  Idempotent twice over: by event id (a re-delivered arrival) and by interaction id (the same
  interaction announced again under a new event id). Serve order is priority, then arrival,
  folded into one score (see libs/routing queue-ordering.ts; the formula must stay identical).

  KEYS[1] interaction hash  <prefix>i:<interactionId>
  KEYS[2] queue sorted set  <prefix>q:<queue>
  KEYS[3] queue index set   <prefix>queues
  ARGV[1] eventId           de-duplication key of the arrival
  ARGV[2] interactionId
  ARGV[3] queue
  ARGV[4] priority          integer, already clamped to 0..max
  ARGV[5] enqueuedAtMs      arrival time; the score's age component
  ARGV[6] score epoch ms    ARGV[7] priority stride    ARGV[8] max priority
  ARGV[9..] field, value, … descriptive fields stored on the hash (sector, intent, …)

  Returns {code, publishState, position, <stored snapshot: q p t fq s n e c tn ch k r v>}
    code 0  applied now; position is 1-based; publishState 'a'
    code 1  this event was applied before; publishState 'a' (decision not yet published) or 'p';
            position is the current one, or 0 when it is no longer waiting in that queue
    code 2  the interaction is already known under another event: no effect, nothing to publish
]]
local hash = KEYS[1]
local eventField = 'ev:' .. ARGV[1]
local SNAPSHOT = {'q', 'p', 't', 'fq', 's', 'n', 'e', 'c', 'tn', 'ch', 'k', 'r', 'v'}

local function reply(code, publishState, position)
  local result = {code, publishState, position}
  local stored = redis.call('HMGET', hash, unpack(SNAPSHOT))
  for i = 1, #SNAPSHOT do result[#result + 1] = stored[i] or '' end
  return result
end

local seen = redis.call('HGET', hash, eventField)
if seen then
  local stored = redis.call('HMGET', hash, 'st', 'q')
  local position = 0
  -- a moved interaction is no longer in KEYS[2]; its position there would mean nothing
  if stored[1] == 'w' and stored[2] == ARGV[3] then
    local rank = redis.call('ZRANK', KEYS[2], ARGV[2])
    if rank then position = rank + 1 end
  end
  return reply(1, seen, position)
end

if redis.call('EXISTS', hash) == 1 then
  return {2, 'p', 0}
end

local priority = tonumber(ARGV[4])
local enqueuedAt = tonumber(ARGV[5])
local score = (tonumber(ARGV[8]) - priority) * tonumber(ARGV[7]) + (enqueuedAt - tonumber(ARGV[6]))

local fields = {'st', 'w', 'q', ARGV[3], 'p', ARGV[4], 't', ARGV[5], eventField, 'a'}
for i = 9, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', hash, unpack(fields))
redis.call('ZADD', KEYS[2], score, ARGV[2])
redis.call('SADD', KEYS[3], ARGV[3])
return reply(0, 'a', redis.call('ZRANK', KEYS[2], ARGV[2]) + 1)
