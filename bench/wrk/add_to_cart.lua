-- Add one unit of PLAZA_VARIANT to a cart picked from PLAZA_CARTS (comma-separated
-- tokens, one per connection or more, so requests do not all serialise on one cart).
local shop = os.getenv("PLAZA_SHOP") or "aurelle"
local carts = {}
for token in string.gmatch(os.getenv("PLAZA_CARTS") or "", "[^,]+") do carts[#carts + 1] = token end
local body = '{"variant_id":' .. (os.getenv("PLAZA_VARIANT") or "0") .. ',"quantity":1}'
local n = 0
request = function()
  n = n + 1
  return wrk.format("POST", "/api/v1/shops/" .. shop .. "/carts/" .. carts[(n % #carts) + 1] .. "/lines",
                    {["Content-Type"] = "application/json"}, body)
end
