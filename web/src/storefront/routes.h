#pragma once
// The storefront's routes, one registration function per area, each in its own file.

#include "plaza/http/router.h"
#include "plaza/web/pages.h"

namespace plaza::web::storefront {

// Home, collections, search with facets, product pages (catalog_pages.cpp).
void RegisterCatalogPages(http::Router& router, const PageServices& services);
// sitemap.xml and robots.txt (seo_files.cpp).
void RegisterSeoFiles(http::Router& router, const PageServices& services);
// The cart (cart_pages.cpp).
void RegisterCartPages(http::Router& router, const PageServices& services);
// Checkout steps and the order confirmation (checkout_pages.cpp).
void RegisterCheckoutPages(http::Router& router, const PageServices& services);
// Customer log-in, sign-up, orders and returns (account_pages.cpp).
void RegisterAccountPages(http::Router& router, const PageServices& services);
// Shipping and returns policies, rendered from the settings checkout uses (policy_pages.cpp).
void RegisterPolicyPages(http::Router& router, const PageServices& services);
// The review form and the question, answer, upvote and accept forms of a product (review_pages.cpp).
void RegisterReviewPages(http::Router& router, const PageServices& services);
// Reporting community content to the moderators: /report (report_pages.cpp).
void RegisterReportPages(http::Router& router, const PageServices& services);
// Community profiles, follows, follow requests and one's own profile (profile_pages.cpp).
void RegisterProfilePages(http::Router& router, const PageServices& services);
// Posts with their comments and actions, composing a post, hashtags (post_pages.cpp).
void RegisterPostPages(http::Router& router, const PageServices& services);
// The idea board: /ideas, /ideas/new, /ideas/{id} with support (idea_pages.cpp).
void RegisterIdeaPages(http::Router& router, const PageServices& services);
// Groups: /groups, /groups/{handle} with joining, requests and pins (group_pages.cpp).
void RegisterGroupPages(http::Router& router, const PageServices& services);
// Starting a group and managing it: /groups/new, /groups/{handle}/manage (group_manage_pages.cpp).
void RegisterGroupManagePages(http::Router& router, const PageServices& services);
// The community feed, notifications and the purchase-sharing choice (feed_pages.cpp).
void RegisterFeedPages(http::Router& router, const PageServices& services);

inline void RegisterStorefront(http::Router& router, const PageServices& services) {
  RegisterCatalogPages(router, services);
  RegisterSeoFiles(router, services);
  RegisterCartPages(router, services);
  RegisterCheckoutPages(router, services);
  RegisterAccountPages(router, services);
  RegisterPolicyPages(router, services);
  RegisterReviewPages(router, services);
  RegisterReportPages(router, services);
  RegisterProfilePages(router, services);
  RegisterPostPages(router, services);
  RegisterIdeaPages(router, services);
  RegisterGroupPages(router, services);
  RegisterGroupManagePages(router, services);
  RegisterFeedPages(router, services);
}

}  // namespace plaza::web::storefront
