#include "visit.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <utility>

#include "plaza/core/text.h"

namespace plaza::web::storefront {
namespace {

constexpr auto kVisitCookieLifetime = std::chrono::hours(24 * 30);

// The campaign parameters in the order they are encoded.
constexpr std::pair<std::string_view, std::string orders::Attribution::*> kAttributionFields[] = {
    {"utm_source", &orders::Attribution::utm_source},
    {"utm_medium", &orders::Attribution::utm_medium},
    {"utm_campaign", &orders::Attribution::utm_campaign},
    {"utm_content", &orders::Attribution::utm_content},
    {"utm_term", &orders::Attribution::utm_term},
    {"fbclid", &orders::Attribution::fbclid},
    {"gclid", &orders::Attribution::gclid},
    {"ttclid", &orders::Attribution::ttclid},
};

http::Cookie VisitCookie(const PageServices& services, std::string_view name, std::string value) {
  http::Cookie cookie;
  cookie.name = std::string(name);
  cookie.value = std::move(value);
  cookie.secure = services.secure_cookies;
  cookie.max_age = std::chrono::duration_cast<std::chrono::seconds>(kVisitCookieLifetime);
  return cookie;
}

// Campaign parameters of this request; values that are too long or not UTF-8 are dropped
// rather than refusing the page, since they come from links the shop does not control.
orders::Attribution AttributionFromQuery(const http::Request& request) {
  orders::Attribution found;
  for (const auto& [name, field] : kAttributionFields) {
    const auto value = request.Query(name);
    if (value && !value->empty() && value->size() <= orders::kMaxAttributionLength && text::IsValidUtf8(*value)) {
      found.*field = std::string(*value);
    }
  }
  return found;
}

// The cookie is hex over a small JSON object, which keeps it within cookie-octets.
std::string EncodeAttribution(const orders::Attribution& attribution) {
  boost::json::object object;
  for (const auto& [name, field] : kAttributionFields) {
    if (!(attribution.*field).empty()) object[name] = attribution.*field;
  }
  return text::HexEncode(text::AsBytes(boost::json::serialize(object)));
}

orders::Attribution DecodeAttribution(std::string_view cookie) {
  orders::Attribution attribution;
  const auto bytes = text::HexDecode(cookie);
  if (!bytes) return attribution;
  boost::system::error_code error;
  const boost::json::value value =
      boost::json::parse(std::string_view(reinterpret_cast<const char*>(bytes->data()), bytes->size()), error);
  if (error || !value.is_object()) return attribution;
  for (const auto& [name, field] : kAttributionFields) {
    const boost::json::value* member = value.as_object().if_contains(name);
    if (member && member->is_string() && member->as_string().size() <= orders::kMaxAttributionLength) {
      attribution.*field = std::string(member->as_string());
    }
  }
  return attribution;
}

Result<identity::Shop> StorefrontShop(const PageServices& services) {
  if (services.storefront_shop.empty()) return services.identity.FirstShop();
  return services.identity.GetShopByHandle(services.storefront_shop);
}

}  // namespace

bool HasAttribution(const orders::Attribution& attribution) {
  return attribution != orders::Attribution{};
}

Result<Visit> BeginVisit(const PageServices& services, const http::Request& request) {
  Visit visit;
  PLAZA_ASSIGN_OR_RETURN(visit.shop, StorefrontShop(services));
  PLAZA_ASSIGN_OR_RETURN(visit.markets, services.pricing.ListMarkets(visit.shop.id));

  const auto market_named = [&](std::string_view handle) -> const pricing::Market* {
    for (const pricing::Market& market : visit.markets) {
      if (market.handle == handle) return &market;
    }
    return nullptr;
  };
  const pricing::Market* chosen = nullptr;
  if (const auto handle = request.Query("market")) {
    chosen = market_named(*handle);
    if (chosen && request.Cookie(kMarketCookie) != chosen->handle) {
      visit.cookies.push_back(VisitCookie(services, kMarketCookie, chosen->handle));
    }
  }
  if (!chosen) {
    if (const auto handle = request.Cookie(kMarketCookie)) chosen = market_named(*handle);
  }
  if (!chosen) {
    for (const pricing::Market& market : visit.markets) {
      if (market.is_default) chosen = &market;
    }
  }
  if (chosen) visit.market = *chosen;

  if (const auto token = request.Cookie(kCustomerCookie)) {
    auto principal = services.identity.ResolveSession(*token, request.remote_address);
    if (principal.ok() && principal->kind == identity::PrincipalKind::kCustomer &&
        principal->shop_id == visit.shop.id && principal->state == identity::AuthState::kActive) {
      visit.customer = std::move(principal).value();
    }
  }
  if (const auto token = request.Cookie(kCartCookie)) visit.cart_token = std::string(*token);

  // The latest campaign wins: a visitor who comes back through another post is credited
  // to that post.
  const orders::Attribution landing = AttributionFromQuery(request);
  if (HasAttribution(landing)) {
    visit.attribution = landing;
    visit.cookies.push_back(VisitCookie(services, kAttributionCookie, EncodeAttribution(landing)));
  } else if (const auto cookie = request.Cookie(kAttributionCookie)) {
    visit.attribution = DecodeAttribution(*cookie);
  }
  return visit;
}

void CarryCookies(const Visit& visit, http::Response& response) {
  for (const http::Cookie& cookie : visit.cookies) response.SetCookie(cookie);
}

http::Cookie CartCookie(const PageServices& services, const std::string& token) {
  return VisitCookie(services, kCartCookie, token);
}

}  // namespace plaza::web::storefront
