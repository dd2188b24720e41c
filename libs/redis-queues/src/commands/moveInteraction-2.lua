--[[
  Moves a waiting interaction to another queue (transfer, overflow, escalation), keeping its
  original arrival time, so being moved never costs it its place in line.

  KEYS[1] interaction hash  <prefix>i:<interactionId>
  KEYS[2] queue index set   <prefix>queues
  ARGV[1] eventId           the transfer event, or the timer id of an escalation
  ARGV[2] interactionId
  ARGV[3] target queue
  ARGV[4] new priority      integer, or '' to keep the current one
  ARGV[5] key prefix
  ARGV[6] score epoch ms    ARGV[7] priority stride    ARGV[8] max priority
  ARGV[9..] field, value, … fields to overwrite on the hash (rule id, skills, …)

  Returns {code, publishState, position, <stored snapshot: q p t fq s n e c tn ch k r v>}
    code 0  applied now; position is 1-based in the target queue; fq is the queue it left
    code 1  this event was applied before; publishState 'a' or 'p'; position current or 0
    code 2  the interaction is not waiting: no effect
    code 3  unknown interaction: no effect
]]
local hash = KEYS[1]
local eventField = 'ev:' .. ARGV[1]
local prefix = ARGV[5]
local SNAPSHOT = {'q', 'p', 't', 'fq', 's', 'n', 'e', 'c', 'tn', 'ch', 'k', 'r', 'v'}

local function reply(code, publishState, position)
  local result = {code, publishState, position}
  local stored = redis.call('HMGET', hash, unpack(SNAPSHOT))
  for i = 1, #SNAPSHOT do result[#result + 1] = stored[i] or '' end
  return result
end

local function currentPosition(queue)
  local rank = redis.call('ZRANK', prefix .. 'q:' .. queue, ARGV[2])
  return rank and (rank + 1) or 0
end

local stored = redis.call('HMGET', hash, 'st', 'q', 'p', 't')
local seen = redis.call('HGET', hash, eventField)
if seen then
  return reply(1, seen, stored[1] == 'w' and currentPosition(stored[2]) or 0)
end
if not stored[1] then return {3, 'p', 0} end
if stored[1] ~= 'w' then return {2, 'p', 0} end

local fromQueue = stored[2]
local priority = ARGV[4] ~= '' and tonumber(ARGV[4]) or tonumber(stored[3])
local score = (tonumber(ARGV[8]) - priority) * tonumber(ARGV[7]) + (tonumber(stored[4]) - tonumber(ARGV[6]))

redis.call('ZREM', prefix .. 'q:' .. fromQueue, ARGV[2])
redis.call('ZADD', prefix .. 'q:' .. ARGV[3], score, ARGV[2])
redis.call('SADD', KEYS[2], ARGV[3])
local fields = {'q', ARGV[3], 'p', tostring(priority), 'fq', fromQueue, eventField, 'a'}
for i = 9, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', hash, unpack(fields))
return reply(0, 'a', currentPosition(ARGV[3]))
