-- tools/call of the echo tool as a 2026-07-28 stateless request, with `Authorization: Bearer TOKEN` when a token is
-- given (none: the same request without it), for Benchmarks/auth.sh.
--   wrk -s Benchmarks/bearer_tools_call.lua http://127.0.0.1:PORT/mcp -- [TOKEN]
local headers
local body = '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"text":"x"},'
  .. '"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}}'
local failures = 0

function init(args)
  headers = {
    ["Content-Type"] = "application/json",
    ["Accept"] = "application/json, text/event-stream",
    ["MCP-Protocol-Version"] = "2026-07-28",
    ["Mcp-Method"] = "tools/call",
    ["Mcp-Name"] = "echo",
  }
  if args[1] and args[1] ~= "" then headers["Authorization"] = "Bearer " .. args[1] end
end

function request()
  return wrk.format("POST", nil, headers, body)
end

function response(status, _, _)
  if status ~= 200 then failures = failures + 1 end
end

function done(summary, latency, _)
  local seconds = summary.duration / 1e6
  io.write(string.format("bearer summary: requests=%d non200=%d rps=%d p50=%.2fms p99=%.2fms\n",
    summary.requests, summary.errors.status, summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
