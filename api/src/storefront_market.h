#pragma once
// Which market a storefront request prices in, for every storefront answer that shows
// prices (products, product tags on posts), so they all read ?market= and ?country= the
// same way.

#include <cstdint>
#include <optional>

#include "plaza/api/api.h"
#include "plaza/http/request.h"
#include "plaza/pricing/pricing.h"

namespace plaza::api {

// The shop's default market: storefront prices when no market or country is named,
// imported prices, and the prices the export shows.
Result<std::optional<pricing::Market>> DefaultMarket(const ApiServices& services, std::int64_t shop_id);

// The market a storefront request prices in: ?market=<handle>, else ?country=XX, else
// the shop's default. None when the shop has no market yet, so products show unpriced.
// REQUIRES: the route is behind ScopeToShop.
Result<std::optional<pricing::Market>> StorefrontMarket(const ApiServices& services, const http::Request& request);

}  // namespace plaza::api
