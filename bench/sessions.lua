-- wrk: GET /auth/verify with a session cookie taken from $TOKENS (one token
-- a line). BENCH_ORDER=random (default) picks one at random per request;
-- BENCH_ORDER=walk goes through them in order from a random start (to
-- touch every session, for the memory figures).
local tokens = {}
for line in io.lines(os.getenv("TOKENS")) do
  tokens[#tokens + 1] = line
end
local walk = os.getenv("BENCH_ORDER") == "walk"
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
local i = math.random(#tokens)

request = function()
  if walk then
    i = i % #tokens + 1
  else
    i = math.random(#tokens)
  end
  return wrk.format("GET", "/auth/verify", { ["Cookie"] = "doorman_session=" .. tokens[i] })
end
