-- Shared by every Scripts/hostile/*.lua script (loaded with dofile; see hostile-clients.sh).
--
-- A script sets, before loading this file:
--   request_text(): the raw request (built once per thread)
--   expect = {
--     statuses = { [204] = true, ... },  -- statuses that are correct (nil: any)
--     allow_origin = "http://…" | false, -- the exact Access-Control-Allow-Origin, or false: none
--     max_allow_headers = N,             -- optional: Access-Control-Allow-Headers no longer than N
--   }
-- Every response is checked; `done` prints one machine-readable line:
--   HOSTILE responses=N wrong=M statuses=204:N,… first_wrong=<why>
-- Connection errors (a server closing on a request it refuses) are in wrk's own summary.

local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   responses = 0
   wrong = 0
   first_wrong = ""
   statuses = {}
   raw = request_text()
end

function request()
   return raw
end

local function header(headers, name)
   for key, value in pairs(headers) do
      if string.lower(key) == name then return value end
   end
   return nil
end

function response(status, headers, body)
   responses = responses + 1
   statuses[status] = (statuses[status] or 0) + 1
   local why = nil
   if expect.statuses and not expect.statuses[status] then
      why = "status " .. status
   end
   local allow_origin = header(headers, "access-control-allow-origin")
   if expect.allow_origin == false and allow_origin ~= nil then
      why = "unexpected Access-Control-Allow-Origin " .. string.sub(allow_origin, 1, 80)
   elseif expect.allow_origin and allow_origin ~= expect.allow_origin then
      why = "Access-Control-Allow-Origin " .. tostring(allow_origin and string.sub(allow_origin, 1, 80))
   end
   local allow_headers = header(headers, "access-control-allow-headers")
   if expect.max_allow_headers and allow_headers and #allow_headers > expect.max_allow_headers then
      why = "Access-Control-Allow-Headers of " .. #allow_headers .. " bytes (reflected?)"
   end
   if why then
      wrong = wrong + 1
      if first_wrong == "" then first_wrong = why end
   end
end

function done(summary, latency, requests)
   local total, bad, first = 0, 0, ""
   local merged = {}
   for _, thread in ipairs(threads) do
      total = total + thread:get("responses")
      bad = bad + thread:get("wrong")
      if first == "" then first = thread:get("first_wrong") end
      for status, count in pairs(thread:get("statuses")) do
         merged[status] = (merged[status] or 0) + count
      end
   end
   local parts = {}
   for status, count in pairs(merged) do table.insert(parts, status .. ":" .. count) end
   table.sort(parts)
   io.write(string.format(
      "HOSTILE responses=%d wrong=%d statuses=%s avg_us=%.0f p99_us=%.0f errors=%d first_wrong=%s\n",
      total, bad, table.concat(parts, ","), latency.mean, latency:percentile(99),
      summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
      (string.gsub(first, "%s", "_"))))
end
