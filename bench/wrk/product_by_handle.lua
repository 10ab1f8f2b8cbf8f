-- One storefront product by handle, cycling through PLAZA_HANDLES (comma-separated).
local shop = os.getenv("PLAZA_SHOP") or "aurelle"
local handles = {}
for handle in string.gmatch(os.getenv("PLAZA_HANDLES") or "", "[^,]+") do handles[#handles + 1] = handle end
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "/api/v1/shops/" .. shop .. "/storefront/products/" .. handles[(n % #handles) + 1] .. "?country=FR")
end
