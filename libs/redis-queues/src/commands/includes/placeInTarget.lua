--[[
  Where a transfer puts an interaction (moveInteraction-n.lua, adoptInteraction-n.lua): in the
  target queue at the score of its original arrival, the queue in its domain's index, and the
  new rule's escalation steps scheduled from that arrival (an overdue one fires at once).
  Expects `id` and `target` (the target queue's name, declared) in scope, declaredQueues included.
  ARGV[5] epoch ms, ARGV[6] msPerPriorityPoint of the target, ARGV[7] max priority: the same
  places in both scripts.

  placeInTarget(indexKey, timersKey, enqueuedAt, priority, steps)
]]
local function placeInTarget(indexKey, timersKey, enqueuedAt, priority, steps)
  local score = (tonumber(ARGV[7]) - priority) * tonumber(ARGV[6]) + (enqueuedAt - tonumber(ARGV[5]))
  redis.call('ZADD', queueKey(target), score, id)
  redis.call('SADD', indexKey, target)
  for i, step in ipairs(steps) do
    redis.call('ZADD', timersKey, enqueuedAt + step.afterSeconds * 1000, id .. '|' .. i)
  end
end
