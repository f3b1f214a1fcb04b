-- The floor: the sign form's fields posted to bench/floor_app.py, a fresh address each time.
--
-- Like bench/sign.lua without the form token (the floor checks none): run nonce,
-- start second, thread id and a per-thread counter make every address new, so the
-- warm-up and the timed run never post the same one.
--
-- wrk ... -s bench/floor.lua http://127.0.0.1:PORT/sign -- NONCE

dofile("bench/report.lua")

local countries = {"CH", "FR", "DE", "US", "BR", "IN", "JP", "KE", "GB", "ES"}
local counter = 0
local nonce

function init(args)
  nonce = args[1] .. "-" .. string.format("%x", os.time())
end

function request()
  counter = counter + 1
  local body = "name=Floor+Signer+" .. counter ..
    "&email=floor-" .. nonce .. "-" .. id .. "-" .. counter .. "%40example.org" ..
    "&country=" .. countries[counter % #countries + 1]
  return wrk.format("POST", nil,
    {["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end
