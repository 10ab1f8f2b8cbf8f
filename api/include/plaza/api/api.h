#pragma once
// The REST API under /api/v1: thin handlers that decode a request, call one module
// service and encode its result. Rules (who may do what, what is valid) live in the
// modules; errors are the modules' Errors rendered as problem+json by http/.
//
// Authentication: staff and customers use cookie sessions ("plaza_staff",
// "plaza_customer"; HttpOnly, SameSite=Lax, Secure with secure_cookies); a
// cookie-authenticated POST/PUT/PATCH/DELETE must carry the session's CSRF token in the
// X-CSRF-Token header. Integrations use "Authorization: Bearer plz_…" API tokens with
// scopes and need no CSRF token. docs/api.md lists the routes.

#include <boost/json/value.hpp>

#include "plaza/catalog/catalog.h"
#include "plaza/channels/webhooks.h"
#include "plaza/community/groups.h"
#include "plaza/community/ideas.h"
#include "plaza/core/clock.h"
#include "plaza/core/mailer.h"
#include "plaza/http/router.h"
#include "plaza/identity/identity_service.h"
#include "plaza/inventory/inventory.h"
#include "plaza/media/media.h"
#include "plaza/moderation/moderation.h"
#include "plaza/orders/order_service.h"
#include "plaza/payments/payment_service.h"
#include "plaza/pricing/pricing.h"
#include "plaza/promotions/promotions.h"
#include "plaza/reviews/questions.h"
#include "plaza/reviews/reviews.h"
#include "plaza/shipping/shipping_service.h"
#include "plaza/social/comments.h"
#include "plaza/social/feeds.h"
#include "plaza/social/notifications.h"
#include "plaza/social/posts.h"
#include "plaza/social/profiles.h"
#include "plaza/store/database.h"

namespace plaza::api {

// What the handlers need; every reference must outlive the router.
struct ApiServices {
  store::Database& db;
  identity::IdentityService& identity;
  channels::WebhookService& webhooks;
  Mailer& mailer;
  const Clock& clock;
  // Mark session cookies Secure (set when Plaza is served over HTTPS).
  bool secure_cookies = false;
  // Where links in mail point, e.g. "http://127.0.0.1:8080".
  std::string public_base_url;
  shipping::ShippingService& shipping;
  payments::PaymentService& payments;
  pricing::PricingService& pricing;
  promotions::PromotionService& promotions;
  inventory::InventoryService& inventory;
  orders::OrderService& orders;
  catalog::CatalogService& catalog;
  social::ProfileService& social;
  moderation::ModerationService& moderation;
  social::PostService& posts;
  social::CommentService& comments;
  community::GroupService& groups;
  community::IdeaService& ideas;
  media::MediaService& media;
  reviews::ReviewService& reviews;
  reviews::QuestionService& questions;
  social::NotificationService& notifications;
  social::FeedService& feeds;
};

inline constexpr std::string_view kStaffSessionCookie = "plaza_staff";
inline constexpr std::string_view kCustomerSessionCookie = "plaza_customer";
inline constexpr std::string_view kCsrfHeader = "X-CSRF-Token";

// Registers every /api/v1 route and GET /api/openapi.json.
void RegisterApiRoutes(http::Router& router, const ApiServices& services);

// The OpenAPI 3.1 document describing the routes RegisterApiRoutes adds.
const boost::json::value& OpenApiDocument();

}  // namespace plaza::api
