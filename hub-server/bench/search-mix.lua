-- wrk script of the search benchmark: cycles through the request mix that SearchBench wrote.
-- usage: wrk -t1 -c16 -d30s --latency -s hub-server/bench/search-mix.lua URL -- REQUESTS_FILE TOKEN
-- Each line of REQUESTS_FILE is "A<TAB>/path?query": A is 1 where the request carries the user's
-- token (Authorization: Bearer TOKEN), else 0. Requests are formatted once, at start, so that
-- the load generator spends its CPU on sending and timing rather than on building requests.
local requests = {}
local next_index = 1

function init(args)
  local file, token = args[1], args[2]
  for line in io.lines(file) do
    local auth, path = line:match("^(%d)\t(.+)$")
    if path then
      local headers = {}
      if auth == "1" then
        headers["Authorization"] = "Bearer " .. token
      end
      requests[#requests + 1] = wrk.format("GET", path, headers)
    end
  end
  if #requests == 0 then
    error("no requests in " .. tostring(file))
  end
  -- each thread starts at its own place in the list (setup set the global "offset")
  next_index = (offset or 0) % #requests + 1
end

function setup(thread)
  thread:set("offset", math.random(0, 1000000))
end

function request()
  local r = requests[next_index]
  next_index = next_index % #requests + 1
  return r
end

-- one line the benchmark reads: exact counts and percentiles in microseconds
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("quiver-wrk requests=%d duration_us=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d "
    .. "non2xx=%d socket_errors=%d\n", summary.requests, summary.duration, latency:percentile(50),
    latency:percentile(90), latency:percentile(99), latency.max, e.status,
    e.connect + e.read + e.write + e.timeout))
end
