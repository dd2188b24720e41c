--[[
  The first decision of an interaction (queued, or placed by overflow) stays in its hash rather
  than in the trace list: most interactions are answered before anything else happens to them,
  and a list key per waiting interaction costs more memory than the decision itself. Before a
  script changes where an interaction is (answer, move, escalation), it calls
  traceFirstDecision, which writes that decision as the first entry of the trace list, from the
  hash fields as they still stand, and drops the fields that only the trace needed:
    at  when it was decided, in ms after the arrival time t
    x   the classification evidence, compact (see decision-evidence.ts)
    oq  the queue the rule named, when overflow placed the interaction elsewhere
  The causation id is the arrival's event id: the only `ev:` field of the hash at that point.
  firstDecisionEntry builds the entry (JSON) without writing it, for readers of the trace.
  Expects `hash` and `traceKey` (declared keys) in scope; needs routingProfile included before.
]]
local function firstDecisionEntry()
  local first = redis.call('HMGET', hash, 'at', 'x', 'q', 'p', 't', 'pf', 'e', 'c', 'ov', 'oq')
  if not first[1] then return nil end
  local profile = readProfile(first[6])
  local causationId = ''
  for _, field in ipairs(redis.call('HKEYS', hash)) do
    if string.sub(field, 1, 3) == 'ev:' then
      causationId = string.sub(field, 4)
      break
    end
  end
  local overflowed = first[9] == '1'
  local entry = {
    kind = overflowed and 'overflow' or 'queued', atMs = tonumber(first[5]) + tonumber(first[1]), queue = first[3], priority = tonumber(first[4]),
    ruleId = profile.r, rulesetVersion = tonumber(profile.v), causationId = causationId,
    classification = {sector = profile.s, intent = profile.n, emergency = first[7] == '1', confidence = tonumber(first[8]), evidence = first[2] or ''},
  }
  if overflowed then entry.fromQueue = first[10] end
  return cjson.encode(entry)
end

local function traceFirstDecision()
  local entry = firstDecisionEntry()
  if not entry then return end
  redis.call('RPUSH', traceKey, entry)
  redis.call('HDEL', hash, 'at', 'x', 'oq')
end
