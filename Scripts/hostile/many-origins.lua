-- A GET with two Origin headers, the trusted one first: no browser sends that, so no origin is
-- granted (a CORS layer that read the first, or the last, would be tricked).
function request_text()
   local text = wrk.format("GET", "/me", { ["Origin"] = "http://localhost:5173" })
   return string.sub(text, 1, -3) .. "Origin: https://evil.example.net\r\nOrigin: null\r\n\r\n"
end
expect = { statuses = { [200] = true }, allow_origin = false }
dofile(os.getenv("HOSTILE_LUA_DIR") .. "/common.lua")
