#pragma once
// Server-rendered pages: the storefront (catalog, cart, checkout, customer account,
// policies) and the staff area (log-in with the second factor, and the admin). Every
// dynamic value goes through the HTML escaper; pages carry a Content-Security-Policy
// without inline scripts; forms post with the session's CSRF token.

#include <string>

#include "plaza/catalog/catalog.h"
#include "plaza/channels/webhooks.h"
#include "plaza/community/groups.h"
#include "plaza/community/ideas.h"
#include "plaza/core/clock.h"
#include "plaza/http/server.h"
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

namespace plaza::web {

// What the pages need; every reference must outlive the server.
struct PageServices {
  identity::IdentityService& identity;
  channels::WebhookService& webhooks;
  store::Database& db;
  const Clock& clock;
  bool secure_cookies = false;
  catalog::CatalogService& catalog;
  pricing::PricingService& pricing;
  inventory::InventoryService& inventory;
  shipping::ShippingService& shipping;
  promotions::PromotionService& promotions;
  payments::PaymentService& payments;
  orders::OrderService& orders;
  // Absolute URL the shop is reached at, e.g. "https://shop.example" (canonical links,
  // Open Graph, sitemaps).
  std::string public_base_url;
  // Handle of the shop whose storefront "/" serves; empty: the first shop created.
  std::string storefront_shop;
  // Ratings for product pages (JSON-LD aggregateRating), reviews and questions.
  reviews::ReviewService& reviews;
  // The moderation queue pages.
  moderation::ModerationService& moderation;
  // Customers act in the community as their social profile.
  social::ProfileService& profiles;
  // Product questions and answers; review photos are uploaded and shown through media.
  reviews::QuestionService& questions;
  media::MediaService& media;
  // The community pages: posts and their comments, the feeds, notifications, groups and
  // the idea board.
  social::PostService& posts;
  social::CommentService& comments;
  social::FeedService& feeds;
  social::NotificationService& notifications;
  community::GroupService& groups;
  community::IdeaService& ideas;
};

// The Content-Security-Policy every HTML page is served with: same-origin scripts and
// styles only, no inline scripts, no framing. Images may also come over https, since
// product media are the merchant's own URLs (a CDN); community uploads are served from
// Plaza itself.
inline constexpr std::string_view kPageSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

// Registers the pages and /assets/*, sets the CSP hook and the HTML 404 page for browsers.
void RegisterPages(http::Server& server, const PageServices& services);

}  // namespace plaza::web
