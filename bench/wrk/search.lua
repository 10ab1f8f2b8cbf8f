-- Storefront search with facets, cycling through a few shopper queries.
local shop = os.getenv("PLAZA_SHOP") or "aurelle"
local queries = {"serum", "cleanser", "cream", "spf", "vitamin", "oil", "mask", "toner"}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "/api/v1/shops/" .. shop .. "/storefront/search?country=FR&limit=24&q=" .. queries[(n % #queries) + 1])
end
