-- A normal preflight from the trusted frontend: the baseline every hostile run is compared with.
function request_text()
   return wrk.format("OPTIONS", "/me", {
      ["Origin"] = "http://localhost:5173",
      ["Access-Control-Request-Method"] = "PUT",
      ["Access-Control-Request-Headers"] = "authorization,content-type",
   })
end
expect = { statuses = { [204] = true }, allow_origin = "http://localhost:5173" }
dofile(os.getenv("HOSTILE_LUA_DIR") .. "/common.lua")
