-- A preflight whose Origin is the trusted one followed by bytes that are not ASCII (0x80-0xFF,
-- invalid UTF-8) and whose Access-Control-Request-Headers is made of them: no grant.
function request_text()
   return wrk.format("OPTIONS", "/me", {
      ["Origin"] = "http://localhost:5173\255\254\128",
      ["Access-Control-Request-Method"] = "PUT",
      ["Access-Control-Request-Headers"] = "\255\254,\192\128,x-\200",
   })
end
expect = { allow_origin = false }
dofile(os.getenv("HOSTILE_LUA_DIR") .. "/common.lua")
