-- A GET whose Origin holds control bytes (NUL, ESC, DEL): the HTTP parser refuses it or the CORS
-- layer denies it; never a grant.
function request_text()
   return wrk.format("GET", "/me", { ["Origin"] = "http://localhost:5173\0\27\127" })
end
expect = { allow_origin = false }
dofile(os.getenv("HOSTILE_LUA_DIR") .. "/common.lua")
