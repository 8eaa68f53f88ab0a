-- A normal credentialed GET from the trusted frontend.
function request_text()
   return wrk.format("GET", "/me", { ["Origin"] = "http://localhost:5173" })
end
expect = { statuses = { [200] = true }, allow_origin = "http://localhost:5173" }
dofile(os.getenv("HOSTILE_LUA_DIR") .. "/common.lua")
