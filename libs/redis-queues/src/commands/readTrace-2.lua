--[[
  Reads an interaction's decision trace, oldest entry first, including the first decision while
  it still lives in the interaction hash (includes/firstDecision.lua builds it the same way it is
  later written to the list). Read-only; one script, so a concurrent move of the first decision
  into the list can neither hide it nor show it twice.

  KEYS[1] interaction hash   <prefix>i:<interactionId>
  KEYS[2] trace list         <prefix>t:<interactionId>
  ARGV[1] key prefix

  Returns the entries as JSON strings (empty when the interaction is unknown or forgotten).
]]
-- @include "routingProfile"
-- @include "firstDecision"

local entries = redis.call('LRANGE', KEYS[2], 0, -1)
local first = firstDecisionEntry(KEYS[1], ARGV[1])
if first then table.insert(entries, 1, first) end
return entries
