-- A GET from a 64 KB origin (under the server's header limit, so the CORS layer sees it):
-- answered, without any Access-Control-Allow-Origin.
function request_text()
   return wrk.format("GET", "/me", { ["Origin"] = "https://" .. string.rep("a", 65536) .. ".example.com" })
end
expect = { statuses = { [200] = true }, allow_origin = false }
dofile(os.getenv("HOSTILE_LUA_DIR") .. "/common.lua")
