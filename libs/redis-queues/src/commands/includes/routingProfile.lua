--[[
  Routing profiles: what the waiting interactions of one rule have in common, stored once.
  Sector (s), intent (n), required skills (k), rule id (r), ruleset version (v) and the rule's
  escalation steps (es, JSON, '' for none) repeat across thousands of waiting interactions, and
  together they are most of an interaction hash. They live in the domain's profiles hash
  (<prefix>{<domain>}:profiles), field = the first 16 hex digits of the SHA-1 of the profile's
  JSON array [s, n, k, r, v, es], and each interaction hash holds only that id (field pf).
  Profiles are immutable (a change makes a new one), so sharing them needs no bookkeeping; their
  number is bounded by the distinct rule outcomes of the ruleset versions ever published.

  Expects `profilesKey` (a declared key) in scope.
  readProfile(id) -> {s=, n=, k=, r=, v=, es=}   (empty strings for an unknown id)
  saveProfile(profile) -> id                     (stores it when new)
  saveEncodedProfile(json) -> id                 (same, for a JSON array the caller built)
]]
local PROFILE_FIELDS = {'s', 'n', 'k', 'r', 'v', 'es'}

local function readProfile(profileId)
  local profile = {}
  local encoded = profileId and redis.call('HGET', profilesKey, profileId)
  local values = encoded and cjson.decode(encoded) or {}
  for i = 1, #PROFILE_FIELDS do profile[PROFILE_FIELDS[i]] = values[i] or '' end
  return profile
end

local function saveEncodedProfile(encoded)
  local profileId = string.sub(redis.sha1hex(encoded), 1, 16)
  redis.call('HSETNX', profilesKey, profileId, encoded)
  return profileId
end

local function saveProfile(profile)
  local values = {}
  for i = 1, #PROFILE_FIELDS do values[i] = profile[PROFILE_FIELDS[i]] or '' end
  return saveEncodedProfile(cjson.encode(values))
end
