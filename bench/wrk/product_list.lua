-- Storefront product list, first page, as a shopper in France sees it.
-- wrk -s bench/wrk/product_list.lua http://HOST:PORT  (PLAZA_SHOP, default aurelle)
local shop = os.getenv("PLAZA_SHOP") or "aurelle"
wrk.path = "/api/v1/shops/" .. shop .. "/storefront/products?country=FR&limit=24"
