#pragma once
// Route registration, one function per area; RegisterApiRoutes (api.cpp) calls them all.

#include "context.h"
#include "plaza/http/json.h"
#include "plaza/social/posts.h"
#include "plaza/social/profiles.h"

namespace plaza::api {

// Log-in, log-out, sign-up, password reset, second factor: routes that create or end
// sessions. `shop` is the public "/api/v1/shops/{shop}" group (ScopeToShop applied),
// `v1` the "/api/v1" group.
void RegisterSessionRoutes(http::RouteGroup shop, http::RouteGroup v1, const ApiServices& services);

// Staff, customers, API tokens, shop settings and the audit log. `admin` is the
// "/api/v1/shops/{shop}" group behind staff-or-token authentication.
void RegisterAccountRoutes(http::RouteGroup admin, const ApiServices& services);

// Webhook subscriptions, their deliveries and the outbox's dead letters.
void RegisterChannelRoutes(http::RouteGroup admin, const ApiServices& services);

// Shipping zones, rates, fulfilment settings and holidays (`admin`), and the public
// storefront quote with its delivery promises (`shop`).
void RegisterShippingRoutes(http::RouteGroup admin, const ApiServices& services);
void RegisterShippingStorefrontRoutes(http::RouteGroup shop, const ApiServices& services);

// A payment's record (`admin`) and the test provider's signed webhook (`shop`, no session).
void RegisterPaymentRoutes(http::RouteGroup admin, const ApiServices& services);
void RegisterPaymentWebhookRoutes(http::RouteGroup shop, const ApiServices& services);

// Markets, variant prices and tax rates (`admin`), and the public list of markets (`shop`).
void RegisterPricingRoutes(http::RouteGroup admin, const ApiServices& services);
void RegisterPricingStorefrontRoutes(http::RouteGroup shop, const ApiServices& services);

// Promotions, discount codes, usage counts and the redemption policy.
void RegisterPromotionRoutes(http::RouteGroup admin, const ApiServices& services);

// Inventory locations, items, levels, movements, buffers, pre-orders, variant
// composition, the ledger and availability.
void RegisterInventoryRoutes(http::RouteGroup admin, const ApiServices& services);

// Storefront carts and checkout (`shop`, public, addressed by cart token); the signed-in
// customer's orders, returns and addresses (`customer`); the staff's orders and returns
// desk (`admin`).
void RegisterCartRoutes(http::RouteGroup shop, const ApiServices& services);
void RegisterCustomerOrderRoutes(http::RouteGroup customer, const ApiServices& services);
void RegisterOrderRoutes(http::RouteGroup admin, const ApiServices& services);

// Products, collections, attribute definitions and the Shopify CSV import/export
// (`admin`), and the public storefront reads with the market's prices and stock (`shop`).
void RegisterCatalogRoutes(http::RouteGroup admin, const ApiServices& services);
void RegisterCatalogStorefrontRoutes(http::RouteGroup shop, const ApiServices& services);

// Social profiles: public reads (`shop`), the signed-in customer's profile, follows,
// follow requests, blocks and mutes (`customer`), and brand and creator profiles (`admin`).
void RegisterSocialRoutes(http::RouteGroup admin, const ApiServices& services);
void RegisterSocialStorefrontRoutes(http::RouteGroup shop, const ApiServices& services);
void RegisterCustomerSocialRoutes(http::RouteGroup customer, const ApiServices& services);
// ?cursor= and ?limit= of a social list, checked by the module.
Result<social::PageRequest> ReadSocialPage(const http::Request& request);
// The signed-in customer's own profile id; "social/no-profile" (404) until they make one.
Result<std::int64_t> MyProfile(const ApiServices& services, const http::Request& request);

// Posts, likes, saves, shares, comments and hashtag pages: public reads (`shop`,
// anonymous viewer) and the signed-in customer's (`customer`).
void RegisterPostStorefrontRoutes(http::RouteGroup shop, const ApiServices& services);
void RegisterCustomerPostRoutes(http::RouteGroup customer, const ApiServices& services);
// A page of posts as every post list answers it: {posts, next_cursor}, each product tag
// with its live price and availability in the request's storefront market.
Result<http::Response> PostPageResponse(const ApiServices& services, const http::Request& request,
                                        Result<social::PostPage> page);

// Discovery and product feeds (`shop`, anonymous viewer); the signed-in customer's
// timeline, feeds, notifications, purchase sharing and followed buyers (`customer`).
void RegisterFeedStorefrontRoutes(http::RouteGroup shop, const ApiServices& services);
void RegisterCustomerFeedRoutes(http::RouteGroup customer, const ApiServices& services);

// Moderation: the signed-in customer's reports (`customer`); keyword rules, the queue and
// its actions, bans and warnings for staff with moderation.act (`admin`).
void RegisterCustomerModerationRoutes(http::RouteGroup customer, const ApiServices& services);
void RegisterModerationRoutes(http::RouteGroup admin, const ApiServices& services);

// Community groups: public reads (`shop`), the signed-in customer's groups, membership
// and moderation (`customer`), every group and the VIP rules for staff (`admin`).
void RegisterGroupStorefrontRoutes(http::RouteGroup shop, const ApiServices& services);
void RegisterCustomerGroupRoutes(http::RouteGroup customer, const ApiServices& services);
void RegisterGroupRoutes(http::RouteGroup admin, const ApiServices& services);

// The idea board: public reads (`shop`), the customer's ideas and supports (`customer`),
// staff review, decisions and the support threshold (`admin`).
void RegisterIdeaStorefrontRoutes(http::RouteGroup shop, const ApiServices& services);
void RegisterCustomerIdeaRoutes(http::RouteGroup customer, const ApiServices& services);
void RegisterIdeaRoutes(http::RouteGroup admin, const ApiServices& services);

// Image uploads: renditions by the path an answer linked (`shop`, public), the signed-in
// customer's uploads as their profile (`customer`), staff uploads and reads (`admin`).
void RegisterMediaStorefrontRoutes(http::RouteGroup shop, const ApiServices& services);
void RegisterCustomerMediaRoutes(http::RouteGroup customer, const ApiServices& services);
void RegisterMediaRoutes(http::RouteGroup admin, const ApiServices& services);

// Product reviews: a product's reviews and rating (`shop`), the signed-in customer's own
// review (`customer`), the staff list and merchant replies under /care (`admin`).
void RegisterReviewStorefrontRoutes(http::RouteGroup shop, const ApiServices& services);
void RegisterCustomerReviewRoutes(http::RouteGroup customer, const ApiServices& services);
void RegisterReviewRoutes(http::RouteGroup admin, const ApiServices& services);

// Product questions: reads (`shop`); asking, owners' answers, upvotes and acceptance
// (`customer`); unanswered questions, brand answers and acceptance under /care (`admin`).
void RegisterQuestionStorefrontRoutes(http::RouteGroup shop, const ApiServices& services);
void RegisterCustomerQuestionRoutes(http::RouteGroup customer, const ApiServices& services);
void RegisterQuestionRoutes(http::RouteGroup admin, const ApiServices& services);

// Reads a JSON array of strings at `key` (at most `max_items`), with per-element pointers.
Result<std::vector<std::string>> ReadStringArray(const http::JsonReader& reader, std::string_view key,
                                                 std::size_t max_items);

}  // namespace plaza::api
