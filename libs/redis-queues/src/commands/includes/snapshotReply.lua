--[[
  Shared reply of the queue scripts: {code, publishState, position, <snapshot>, ewma, answered}.
  The snapshot is the interaction as it stands after the script: q p t fq s n e c tn ch k r v ov
  (queue, priority, enqueued at, from queue, sector, intent, emergency, confidence, tenant, channel,
  skills, rule id, ruleset version, overflowed; s n k r v from its routing profile), then the
  service history of its queue.
  Also positionIn(queue): the interaction's 1-based place in a queue, 0 when not in it.
  Expects `hash` (the interaction key), `id` (the interaction id) and `prefix` (the key prefix) in
  scope, and routingProfile included before.
]]
local function reply(code, publishState, position)
  local stored = redis.call('HMGET', hash, 'q', 'p', 't', 'fq', 'e', 'c', 'tn', 'ch', 'ov', 'pf')
  local profile = readProfile(prefix, stored[10])
  local snapshot = {stored[1], stored[2], stored[3], stored[4], profile.s, profile.n, stored[5], stored[6], stored[7], stored[8], profile.k, profile.r, profile.v, stored[9]}
  local result = {code, publishState, position}
  for i = 1, 14 do result[#result + 1] = snapshot[i] or '' end
  local stats = redis.call('HMGET', prefix .. 'qs:' .. (stored[1] or ''), 'ewma', 'answered')
  result[#result + 1] = stats[1] or ''
  result[#result + 1] = stats[2] or '0'
  return result
end

local function positionIn(queue)
  local rank = redis.call('ZRANK', prefix .. 'q:' .. queue, id)
  return rank and (rank + 1) or 0
end
