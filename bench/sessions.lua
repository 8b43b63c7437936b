-- wrk: GET /auth/verify with a session cookie taken from $TOKENS (one token
-- a line). BENCH_ORDER=random (default) picks one at random per request;
-- BENCH_ORDER=walk goes through them in order from a random start (to
-- touch every session, for the memory figures).
--
-- Every request is formatted once, when a thread starts: building a request
-- per call costs wrk more CPU than a fixed request does, and on two cores
-- the load generator's CPU is taken from the server's.
local tokens = {}
for line in io.lines(os.getenv("TOKENS")) do
  tokens[#tokens + 1] = line
end
local walk = os.getenv("BENCH_ORDER") == "walk"
local requests = {}
local i = 1

function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
  local host = wrk.headers["Host"]
  for n, token in ipairs(tokens) do
    requests[n] = wrk.format("GET", "/auth/verify",
      { ["Host"] = host, ["Cookie"] = "doorman_session=" .. token })
  end
  i = math.random(#requests)
end

request = function()
  if walk then
    i = i % #requests + 1
  else
    i = math.random(#requests)
  end
  return requests[i]
end
