--[[
  Queues whose keys the caller declared. Redis Cluster requires every key a script touches to be
  passed in KEYS, but which queue an interaction waits in is only known inside the script. So the
  caller declares the queues it expects (from a read just before, or from its own command), as
  names in ARGV and as pairs of keys in KEYS, in the same order:
    KEYS[first + 2(i-1)]      <prefix>{<domain>}:q:<name i>    the queue (sorted set)
    KEYS[first + 2(i-1) + 1]  <prefix>{<domain>}:qs:<name i>   its service history (hash)
  A script that needs a queue nobody declared changes nothing and answers
  {5, 'p', 0, name, …}: the queues to declare on the next attempt ("moved: ask again").

  declareQueues(firstKey, names)   names: the ARGV values, in KEYS order
  queueKey(name), statsKey(name)   the declared keys, or nil
  undeclared(names…)               the names among those given that were not declared
  askAgain(names)                  the reply asking for them
]]
local declaredQueues = {}

local function declareQueues(firstKey, names)
  for i = 1, #names do
    declaredQueues[names[i]] = {KEYS[firstKey + 2 * (i - 1)], KEYS[firstKey + 2 * (i - 1) + 1]}
  end
end

local function queueKey(name)
  local keys = declaredQueues[name]
  return keys and keys[1]
end

local function statsKey(name)
  local keys = declaredQueues[name]
  return keys and keys[2]
end

local function undeclared(...)
  local missing = {}
  for i = 1, select('#', ...) do
    local name = select(i, ...)
    if name and name ~= '' and not declaredQueues[name] then missing[#missing + 1] = name end
  end
  return missing
end

local function askAgain(names)
  local result = {5, 'p', 0}
  for i = 1, #names do result[#result + 1] = names[i] end
  return result
end
