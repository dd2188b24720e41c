--[[
  Shared reply of the queue scripts: {code, publishState, position, <snapshot>, ewma, answered}.
  The snapshot is the interaction as it stands after the script: q p t fq s n e c tn ch k r v ov
  (queue, priority, enqueued at, from queue, sector, intent, emergency, confidence, tenant, channel,
  skills, rule id, ruleset version, overflowed; s n k r v from its routing profile), then the
  service history of its queue.
  Also positionIn(queue): the interaction's 1-based place in a queue, 0 when not in it, and
  notWaitingReply(state): the reply for an interaction that does not wait here, nil when it does
  (code 3 unknown, 6 left for another domain (st = m), 2 no longer waiting).
  Expects `hash` (the interaction key) and `id` (the interaction id) in scope, and routingProfile
  and declaredQueues included before. A reply about a queue nobody declared asks again (code 5):
  it is only ever built before any write, or about a queue the script just wrote to.
]]
local function reply(code, publishState, position)
  local stored = redis.call('HMGET', hash, 'q', 'p', 't', 'fq', 'e', 'c', 'tn', 'ch', 'ov', 'pf')
  local missing = undeclared(stored[1])
  if #missing > 0 then return askAgain(missing) end
  local profile = readProfile(stored[10])
  local snapshot = {stored[1], stored[2], stored[3], stored[4], profile.s, profile.n, stored[5], stored[6], stored[7], stored[8], profile.k, profile.r, profile.v, stored[9]}
  local result = {code, publishState, position}
  for i = 1, 14 do result[#result + 1] = snapshot[i] or '' end
  local stats = stored[1] and redis.call('HMGET', statsKey(stored[1]), 'ewma', 'answered') or {}
  result[#result + 1] = stats[1] or ''
  result[#result + 1] = stats[2] or '0'
  return result
end

local function positionIn(queue)
  local key = queueKey(queue)
  local rank = key and redis.call('ZRANK', key, id)
  return rank and (rank + 1) or 0
end

local function notWaitingReply(state)
  if not state then return {3, 'p', 0} end
  if state == 'm' then return {6, 'p', 0} end
  if state ~= 'w' then return {2, 'p', 0} end
  return nil
end
