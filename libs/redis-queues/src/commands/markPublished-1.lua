--[[
  Records that the decision caused by an event has been published to Kafka, so a re-delivery of
  that event is a no-op instead of a second publication.

  KEYS[1] interaction hash  <prefix>i:<interactionId>
  ARGV[1] eventId

  Returns 1 when marked, 0 when the event is not recorded (nothing to mark; never creates keys).
]]
local eventField = 'ev:' .. ARGV[1]
if redis.call('HEXISTS', KEYS[1], eventField) == 1 then
  redis.call('HSET', KEYS[1], eventField, 'p')
  return 1
end
return 0
