#include "storefront_market.h"

#include "context.h"

namespace plaza::api {

Result<std::optional<pricing::Market>> DefaultMarket(const ApiServices& services, std::int64_t shop_id) {
  PLAZA_ASSIGN_OR_RETURN(auto markets, services.pricing.ListMarkets(shop_id));
  for (pricing::Market& market : markets) {
    if (market.is_default) return std::optional<pricing::Market>(std::move(market));
  }
  return std::optional<pricing::Market>();
}

Result<std::optional<pricing::Market>> StorefrontMarket(const ApiServices& services, const http::Request& request) {
  const std::int64_t shop_id = ShopOf(request);
  if (const auto handle = request.Query("market")) {
    PLAZA_ASSIGN_OR_RETURN(auto markets, services.pricing.ListMarkets(shop_id));
    for (pricing::Market& market : markets) {
      if (market.handle == *handle) return std::optional<pricing::Market>(std::move(market));
    }
    return Error::NotFound("no market with this handle");
  }
  const auto country = request.Query("country");
  if (!country) return DefaultMarket(services, shop_id);
  auto market = services.pricing.MarketForCountry(shop_id, *country);
  if (!market.ok()) {
    if (market.error().code == ErrorCode::kNotFound) return std::optional<pricing::Market>();
    Error error = market.error();
    error.field = "country";
    return error;
  }
  return std::optional<pricing::Market>(std::move(market).value());
}

}  // namespace plaza::api
