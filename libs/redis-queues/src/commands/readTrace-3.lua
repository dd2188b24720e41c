--[[
  Reads an interaction's decision trace, oldest entry first, including the first decision while
  it still lives in the interaction hash (includes/firstDecision.lua builds it the same way it is
  later written to the list). Read-only; one script, so a concurrent move of the first decision
  into the list can neither hide it nor show it twice.

  KEYS[1] interaction hash   <prefix>{<domain>}:i:<interactionId>
  KEYS[2] trace list         <prefix>{<domain>}:t:<interactionId>
  KEYS[3] routing profiles   <prefix>{<domain>}:profiles

  Returns the entries as JSON strings (empty when the interaction is unknown or forgotten).
]]
local hash = KEYS[1]
local traceKey = KEYS[2]
local profilesKey = KEYS[3]
-- @include "routingProfile"
-- @include "firstDecision"

local entries = redis.call('LRANGE', traceKey, 0, -1)
local first = firstDecisionEntry()
if first then table.insert(entries, 1, first) end
return entries
