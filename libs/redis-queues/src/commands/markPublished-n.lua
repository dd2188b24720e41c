--[[
  Records that the decisions caused by some events have been published to Kafka, so a
  re-delivery of one of those events is a no-op instead of a second publication. One call marks
  a whole chunk's decisions: a script call per decision cost more, in the client and in Redis,
  than the marking itself.

  The key count varies (the `n` in the file name): the caller passes it first.
  KEYS[i] interaction hash  <prefix>{<domain>}:i:<interactionId>, every one of the same domain
  ARGV[i] eventId of the decision published for KEYS[i]

  Returns how many were marked. An event that is not recorded is skipped: it never creates keys.
]]
local marked = 0
for i = 1, #KEYS do
  local eventField = 'ev:' .. ARGV[i]
  if redis.call('HEXISTS', KEYS[i], eventField) == 1 then
    redis.call('HSET', KEYS[i], eventField, 'p')
    marked = marked + 1
  end
end
return marked
