-- A preflight whose Access-Control-Request-Headers is 10,000 commas: bounded parsing, and the
-- trusted origin still gets the policy's own Allow-Headers (never a reflection of the request).
function request_text()
   return wrk.format("OPTIONS", "/me", {
      ["Origin"] = "http://localhost:5173",
      ["Access-Control-Request-Method"] = "PUT",
      ["Access-Control-Request-Headers"] = string.rep(",", 10000),
   })
end
expect = { statuses = { [204] = true }, allow_origin = "http://localhost:5173", max_allow_headers = 200 }
dofile(os.getenv("HOSTILE_LUA_DIR") .. "/common.lua")
