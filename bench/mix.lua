-- wrk script for bench/load.py: GET requests rotating over WRK_PATHS (space-separated),
-- as a browser behind the TLS proxy would send them (X-Forwarded-Proto: https);
-- paths under /staff/ but the login page carry the signed-in session cookie (WRK_COOKIE). At the end it
-- prints one line, "RESULT {json}", with the counts, the latency percentiles and the
-- status codes of every response.
local paths = {}
for path in string.gmatch(os.getenv("WRK_PATHS") or "/", "%S+") do
  table.insert(paths, path)
end
local cookie = os.getenv("WRK_COOKIE") or ""
local host = os.getenv("WRK_HOST") or "127.0.0.1"
local threads = {}

function setup(thread)
  thread:set("offset", #threads)
  table.insert(threads, thread)
end

function init(args)
  counter = offset
  codes = {}
end

function request()
  counter = counter + 1
  local path = paths[(counter % #paths) + 1]
  local headers = { ["Host"] = host, ["X-Forwarded-Proto"] = "https" }
  if string.sub(path, 1, 7) == "/staff/" and path ~= "/staff/login/" then
    headers["Cookie"] = cookie
  end
  return wrk.format("GET", path, headers)
end

function response(status, headers, body)
  codes[status] = (codes[status] or 0) + 1
end

function done(summary, latency, requests)
  local all = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("codes")) do
      all[status] = (all[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(all) do
    table.insert(parts, string.format('"%d": %d', status, count))
  end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d, "status": %d}, ' ..
    '"latency_us": {"p50": %d, "p95": %d, "p99": %d, "max": %d, "mean": %.1f}, ' ..
    '"codes": {%s}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.timeout, e.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean, table.concat(parts, ", ")))
end
