-- wrk script for the soak: 2026-07-28 `tools/call` POSTs, nine in ten to Pier's echo tool and one in ten to an
-- upstream's tool through the gateway, each connection pausing DELAY_MS between requests (0: as fast as it can),
-- which holds the load at a chosen rate. Counts any reply that is not 200 with a result as bad.
-- usage: wrk -t2 -c64 -d30s --latency -s soak_tools_call.lua URL -- DELAY_MS UPSTREAM_TOOL UPSTREAM_ARGS_JSON

local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

local pause, upstream, upstream_args
local sent = 0
bad = 0

function init(args)
  pause = tonumber(args[1] or "0")
  upstream = args[2] or "time__get_current_time"
  upstream_args = args[3] or '{"timezone":"UTC"}'
end

local function call(tool, arguments)
  sent = sent + 1
  local body = string.format(
    '{"jsonrpc":"2.0","id":%d,"method":"tools/call","params":{"name":"%s","arguments":%s,' ..
    '"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}}',
    id * 100000000 + sent, tool, arguments)
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/json", ["Accept"] = "application/json, text/event-stream",
    ["MCP-Protocol-Version"] = "2026-07-28", ["Mcp-Method"] = "tools/call", ["Mcp-Name"] = tool,
  }, body)
end

function request()
  if sent % 10 == 9 then return call(upstream, upstream_args) end
  return call("echo", '{"text":"soak"}')
end

function delay() return pause end

function response(status, headers, body)
  if status ~= 200 or not string.find(body, '"result"', 1, true) or string.find(body, '"isError":true', 1, true) then
    bad = bad + 1
    if bad == 1 then io.stderr:write("first bad reply: " .. status .. " " .. string.sub(body or "", 1, 200) .. "\n") end
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + (t:get("bad") or 0) end
  io.write(string.format("SOAK requests=%d bad=%d errors=%d rps=%.0f p50=%.2fms p99=%.2fms\n",
    summary.requests, total, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
