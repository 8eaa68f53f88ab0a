-- A preflight asking for 10,000 header names (20 KB): answered with the policy's Allow-Headers.
function request_text()
   return wrk.format("OPTIONS", "/me", {
      ["Origin"] = "http://localhost:5173",
      ["Access-Control-Request-Method"] = "PUT",
      ["Access-Control-Request-Headers"] = string.rep("x-a,", 10000),
   })
end
expect = { statuses = { [204] = true }, allow_origin = "http://localhost:5173", max_allow_headers = 200 }
dofile(os.getenv("HOSTILE_LUA_DIR") .. "/common.lua")
