--[[
  Makes a draft the published ruleset, in one step: routers never see a half-published state.

  Sets the current pointer, marks the draft published and the version it replaces retired,
  appends an audit entry (versions, actor, time, the caller's counts of what changes), and
  announces the new version on the publications channel so routers switch at once (they also
  poll the pointer as a backstop).

  The version it replaces is declared (KEYS[4]) from the pointer as the caller read it; when the
  pointer has moved since, nothing changes and the caller reads it again (code 5).

  KEYS[1] current pointer    <prefix>{rules}:current
  KEYS[2] version hash       <prefix>{rules}:v:<version>
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

  Returns {code, previousVersion}; previousVersion is '' when nothing was published before.
    code 0  published now
    code 1  no such version: nothing changed
    code 2  the version is already the published one: nothing changed
    code 3  the version was published before and later replaced: that is a rollback, not a publish
    code 4  the version in force is not ARGV[6] (another publication came first): nothing changed
    code 5  the pointer is no longer ARGV[4]: nothing changed, read it again
]]
local status = redis.call('HGET', KEYS[2], 'status')
if not status then return {1, ''} end
if status == 'published' then return {2, redis.call('GET', KEYS[1]) or ''} end
if status == 'retired' then return {3, redis.call('GET', KEYS[1]) or ''} end

local action = 'published'
-- @include "switchPublishedVersion"
