#pragma once
// The admin's routes, one registration function per area, each in its own file.

#include "plaza/http/router.h"
#include "plaza/web/pages.h"

namespace plaza::web::admin {

// /admin: today's orders and revenue, the 30-day chart, stock alerts, dead letters.
void RegisterDashboardPages(http::Router& router, const PageServices& services);
// /admin/products: products, variants, media, attributes, channel publication.
void RegisterProductPages(http::Router& router, const PageServices& services);
// /admin/inventory: stock per location and the ledger.
void RegisterInventoryPages(http::Router& router, const PageServices& services);
// /admin/orders: orders with fulfil, cancel, refund and returns.
void RegisterOrderPages(http::Router& router, const PageServices& services);
// /admin/promotions: promotions and codes.
void RegisterPromotionPages(http::Router& router, const PageServices& services);
// /admin/settings: markets, taxes, shipping zones and rates, the delivery promise.
void RegisterSettingsPages(http::Router& router, const PageServices& services);
// /admin/team, /admin/tokens, /admin/webhooks: staff and roles, API tokens, webhooks.
void RegisterTeamPages(http::Router& router, const PageServices& services);
// /admin/import: the Shopify product CSV import with its dry-run report.
void RegisterImportPages(http::Router& router, const PageServices& services);
// /admin/moderation: the moderation queue, one item with its reports, and its actions.
void RegisterModerationPages(http::Router& router, const PageServices& services);
// /admin/moderation/rules, /bans, /warnings: keyword rules with a test, bans, warnings.
void RegisterModerationRulePages(http::Router& router, const PageServices& services);
// /admin/reviews, /admin/questions: reviews with the reply form, unanswered questions.
void RegisterReviewPages(http::Router& router, const PageServices& services);
// /admin/ideas, /admin/groups: the idea queue with decisions and threshold, groups with VIP rules.
void RegisterCommunityPages(http::Router& router, const PageServices& services);

inline void RegisterAdmin(http::Router& router, const PageServices& services) {
  RegisterDashboardPages(router, services);
  RegisterProductPages(router, services);
  RegisterInventoryPages(router, services);
  RegisterOrderPages(router, services);
  RegisterPromotionPages(router, services);
  RegisterSettingsPages(router, services);
  RegisterTeamPages(router, services);
  RegisterImportPages(router, services);
  RegisterModerationPages(router, services);
  RegisterModerationRulePages(router, services);
  RegisterReviewPages(router, services);
  RegisterCommunityPages(router, services);
}

}  // namespace plaza::web::admin
