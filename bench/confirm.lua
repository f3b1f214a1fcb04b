-- Confirming: the POST of the Confirm button, one pending signature per request.
--
-- bench/confirm_links.py has already done what the person's browser does
-- first: GET the link from the email, which sets the session cookie and puts
-- the session's CSRF token in the form. Each line of the file it wrote is
-- "path cookie csrf"; each thread replays its own share of the lines. If a
-- thread runs out of lines it starts again (a repeat only redirects, which
-- is cheaper), and counts the repeats in "extra" so the report can tell.
--
-- wrk -tN ... -s bench/confirm.lua http://127.0.0.1:PORT -- FILE N

dofile("bench/report.lua")

local lines = {}
local pos = 0
local wrapped = false
local repeats = 0

function init(args)
  -- wrk runs setup() and init() thread by thread, so the thread count comes as an argument.
  local nthreads = tonumber(args[2])
  local i = 0
  for line in io.lines(args[1]) do
    if i % nthreads == id - 1 then
      table.insert(lines, line)
    end
    i = i + 1
  end
end

function request()
  pos = pos + 1
  if pos > #lines then
    pos = 1
    wrapped = true
  end
  if wrapped then
    repeats = repeats + 1
    wrk.thread:set("extra", repeats)
  end
  local path, cookie, csrf = string.match(lines[pos], "^(%S+) (%S+) (%S+)$")
  return wrk.format("POST", path, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "session=" .. cookie,
  }, "csrf_token=" .. csrf .. "&submit=Confirm")
end
