--[[
  Puts back a ruleset that was published before, in one step, with the same effects as a
  publish: current pointer, statuses, audit entry, announcement.
  Only a version that has been in force can be rolled back to: a draft was never tried in
  production, so putting it live is a publish (and goes through that script's checks).
  The version it replaces is declared as in publishRuleset-4.lua.
  KEYS[1] current pointer    <prefix>{rules}:current
  KEYS[2] version hash       <prefix>{rules}:v:<version>   (the version to go back to)
  KEYS[3] audit stream       <prefix>{rules}:audit
  KEYS[4] replaced version   <prefix>{rules}:v:<the pointer as read> (v:0 when none is published)
  ARGV[1] version
  ARGV[2] actor
  ARGV[3] at                 ISO-8601
  ARGV[4] pointer as read    the version KEYS[4] is the hash of, '0' for none
  ARGV[5] publications channel
  ARGV[6] expected previous  the version the caller believes is in force ('0' for none), or ''
                             not to check; `changes` were counted from it
  ARGV[7] changes            JSON text (counts of what changes), or 'null'
  Returns {code, previousVersion}; previousVersion is '' when nothing is published.
    code 0  rolled back now
    code 1  no such version: nothing changed
    code 2  the version is already the published one: nothing changed
    code 3  the version is a draft, never published: nothing changed
    code 4  the version in force is not ARGV[6] (another publication came first): nothing changed
    code 5  the pointer is no longer ARGV[4]: nothing changed, read it again
]]
local status = redis.call('HGET', KEYS[2], 'status')
if not status then return {1, ''} end
if status == 'published' then return {2, redis.call('GET', KEYS[1]) or ''} end
if status == 'draft' then return {3, redis.call('GET', KEYS[1]) or ''} end
local action = 'rolled_back'
-- @include "switchPublishedVersion"
