#pragma once
// What every storefront page knows about the request before it renders: which shop,
// which market the visitor prices in, who is logged in, which cart is theirs, and the
// campaign that brought them (UTM parameters and click ids, kept for the whole visit so
// the order can credit the post or creator that started it).

#include <optional>
#include <string>
#include <vector>

#include "plaza/core/result.h"
#include "plaza/http/request.h"
#include "plaza/http/response.h"
#include "plaza/identity/identity_service.h"
#include "plaza/orders/model.h"
#include "plaza/pricing/pricing.h"
#include "plaza/social/profiles.h"
#include "plaza/web/pages.h"

namespace plaza::web::storefront {

inline constexpr std::string_view kCartCookie = "plaza_cart";
inline constexpr std::string_view kMarketCookie = "plaza_market";
inline constexpr std::string_view kAttributionCookie = "plaza_ref";
inline constexpr std::string_view kCustomerCookie = "plaza_customer";  // the API's customer session

struct Visit {
  identity::Shop shop;
  std::vector<pricing::Market> markets;
  // The visitor's market: ?market=<handle>, else the market cookie, else the default.
  // None only while the shop has no market yet (products then show without a price).
  std::optional<pricing::Market> market;
  std::optional<identity::Principal> customer;  // an active customer session
  std::string cart_token;                       // empty until the first "add to cart"
  orders::Attribution attribution;              // the latest campaign seen in this visit
  // Cookies the answer must carry: a market chosen by ?market=, a new campaign.
  std::vector<http::Cookie> cookies;
  // The customer's community profile once ViewerProfile (social_frame.h) has looked it
  // up: a product page asks from its header, community, review and question sections,
  // and each look-up is a transaction of its own.
  mutable std::optional<std::optional<social::Profile>> viewer_profile;
};

// Resolves the storefront's shop (services.storefront_shop, else the first shop) and the
// rest of the visit. kNotFound when no shop exists; an unknown ?market= is ignored.
Result<Visit> BeginVisit(const PageServices& services, const http::Request& request);

// Adds the visit's pending cookies to `response`.
void CarryCookies(const Visit& visit, http::Response& response);

// The cookie holding the visitor's cart token (HttpOnly, 30 days).
http::Cookie CartCookie(const PageServices& services, const std::string& token);

// True when the visit has any campaign parameter.
bool HasAttribution(const orders::Attribution& attribution);

}  // namespace plaza::web::storefront
