-- wrk script: POST tools/call messages to a 2024-11-05 HTTP+SSE message endpoint (202 expected; replies go to
-- the SSE stream, which the driving script drains). A reply other than 202 counts as bad.
local counter = 0
local threads = {}
bad = 0

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

function request()
  counter = counter + 1
  local body = string.format('{"jsonrpc":"2.0","id":%d,"method":"tools/call","params":{"name":"echo","arguments":{"text":"x"}}}', tid * 100000000 + counter)
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body)
end

function response(status, headers, body)
  if status ~= 202 then bad = bad + 1 end
end

function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + (t:get("bad") or 0) end
  io.write(string.format("SSE summary: requests=%d bad=%d rps=%.0f p50=%.2fms p99=%.2fms\n",
    summary.requests, total, summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
