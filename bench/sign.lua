-- Signing: the full form post, as a browser sends it.
--
-- Each thread first GETs the petition page to take a fresh form token from it
-- (tokens are stateless and reusable until SIGN_FORM_MAX_AGE_SECONDS), then
-- posts the form with a new email address every request: run nonce, thread
-- id and a per-thread counter. The first GETs (one per connection, before the
-- first response arrives) are counted in "extra" so they can be set apart.
--
-- wrk ... -s bench/sign.lua http://127.0.0.1:PORT -- /petitions/SLUG NONCE

dofile("bench/report.lua")

local countries = {"CH", "FR", "DE", "US", "BR", "IN", "JP", "KE", "GB", "ES"}
local token = nil
local counter = 0
local gets = 0
local page, action, nonce

function init(args)
  page = args[1]
  action = page .. "/sign"
  -- The warm-up and the timed run get the same arguments; the start second keeps their
  -- addresses apart, or the timed run would begin by re-posting the warm-up's addresses
  -- (a resubmission takes another path). A warm-up lasts a second or more.
  nonce = args[2] .. "-" .. string.format("%x", os.time())
end

function request()
  if token == nil then
    gets = gets + 1
    wrk.thread:set("extra", gets)
    return wrk.format("GET", page)
  end
  counter = counter + 1
  local body = "name=Bench+Signer+" .. counter ..
    "&email=bench-" .. nonce .. "-" .. id .. "-" .. counter .. "%40example.org" ..
    "&country=" .. countries[counter % #countries + 1] ..
    "&consent=y&public=y&form_token=" .. token
  return wrk.format("POST", action,
    {["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end

function response(status, headers, body)
  if token == nil and status == 200 then
    token = string.match(body, 'name="form_token" type="hidden" value="([^"]+)"')
  end
end
