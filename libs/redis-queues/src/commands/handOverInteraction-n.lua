--[[
  First step of a transfer across routing domains: the interaction leaves its domain. Domains
  live in different Redis Cluster slots, so no script can move an interaction from one to the
  other; the move is two idempotent steps, this one in the domain it leaves and
  adoptInteraction-n.lua in the one it joins, each keyed by the transfer's event id.

  Here the interaction leaves its queue and its escalation timers, and its hash stays behind
  as a tombstone (st = 'm', md = the domain it went to, expiring like a finished one), holding
  everything the other domain needs: a re-delivered transfer event, after a crash between the
  two steps, reads it again and completes the second step. Between the steps the interaction
  waits in no queue (never in two).

  Every key is declared and shares the domain's hash tag (queue-keys.ts). The key count varies
  with the declared queues (the `n` in the file name): the caller passes it first.
  KEYS[1] interaction hash   <prefix>{<domain>}:i:<interactionId>
  KEYS[2] trace list         <prefix>{<domain>}:t:<interactionId>
  KEYS[3] escalation timers  <prefix>{<domain>}:timers
  KEYS[4] routing profiles   <prefix>{<domain>}:profiles
  KEYS[5..] declared queues, two keys each (includes/declaredQueues.lua)
  ARGV[1] eventId            the transfer event
  ARGV[2] interactionId      ARGV[3] the domain it goes to
  ARGV[4] tombstone ttl seconds
  ARGV[5..] the declared queues' names

  Returns
    {0, 'a', hash JSON, profile JSON, trace JSON}  it left now; the rest is what the other domain
        adopts: the hash's fields (object), its routing profile (array [s, n, k, r, v, es]) and
        its trace entries (array of JSON strings, the first decision included)
    {1, state, hash JSON, profile JSON, trace JSON}  it left before under this event: the same
    {1, state, position, <snapshot…>}  this event was applied here before, without leaving
        (a move inside the domain, under an earlier ruleset): the usual reply
    {2, 'p', 0}   the interaction is not waiting: no effect
    {3, 'p', 0}   unknown interaction: no effect
    {5, 'p', 0, queue…}  its queue was not declared; nothing changed, ask again
    {6, 'p', 0}   it left for another domain under another transfer: nothing changed, find it again
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
declareQueues(5, {unpack(ARGV, 5)})

local function handedOver(code, state)
  local fields = {}
  local flat = redis.call('HGETALL', hash)
  for i = 1, #flat, 2 do fields[flat[i]] = flat[i + 1] end
  local profile = readProfile(fields.pf)
  local values = {}
  for i = 1, #PROFILE_FIELDS do values[i] = profile[PROFILE_FIELDS[i]] end
  local trace = redis.call('LRANGE', traceKey, 0, -1)
  return {code, state, cjson.encode(fields), cjson.encode(values), #trace > 0 and cjson.encode(trace) or '[]'}
end

local stored = redis.call('HMGET', hash, 'st', 'q', 'pf')
local seen = redis.call('HGET', hash, eventField)
if seen then
  if stored[1] == 'm' then return handedOver(1, seen) end
  return reply(1, seen, stored[1] == 'w' and positionIn(stored[2]) or 0)
end
local notWaiting = notWaitingReply(stored[1])
if notWaiting then return notWaiting end
local missing = undeclared(stored[2])
if #missing > 0 then return askAgain(missing) end

traceFirstDecision()
redis.call('ZREM', queueKey(stored[2]), id)
local steps = readProfile(stored[3]).es
for i = 1, (steps ~= '' and #cjson.decode(steps) or 0) do redis.call('ZREM', KEYS[3], id .. '|' .. i) end
redis.call('HSET', hash, 'st', 'm', 'md', ARGV[3], eventField, 'a')
redis.call('EXPIRE', hash, tonumber(ARGV[4]))
if redis.call('EXISTS', traceKey) == 1 then redis.call('EXPIRE', traceKey, tonumber(ARGV[4])) end
return handedOver(0, 'a')
