// The OpenAPI document names exactly the routes the API registers: no undocumented
// route, no documented route that does not exist.

#include <gtest/gtest.h>

#include <set>

#include "plaza/api/api.h"
#include "plaza/app/plaza_server.h"
#include "plaza/catalog/catalog.h"
#include "plaza/channels/webhooks.h"
#include "plaza/core/crypto.h"
#include "plaza/http/router.h"
#include "plaza/media/media_store.h"
#include "plaza/payments/test_provider.h"
#include "plaza_test/databases.h"

namespace plaza::testing {
namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

TEST(OpenApiTest, DocumentMatchesTheRegisteredRoutes) {
  crypto::InitCrypto();
  TestDatabase test_db("sqlite");
  SystemClock clock;
  identity::IdentityService identity(test_db.db(), clock);
  channels::WebhookService webhooks(test_db.db(), clock);
  const TempDir mail_dir("plaza-openapi");
  FileMailer mailer(mail_dir.path(), "t@plaza.local", clock);
  shipping::ShippingService shipping(test_db.db(), clock);
  payments::TestPaymentProvider payment_provider(test_db.db(), clock);
  payments::PaymentService payments(test_db.db(), clock, {&payment_provider}, &payment_provider);
  pricing::PricingService pricing(test_db.db(), clock);
  promotions::PromotionService promotions(test_db.db(), clock);
  inventory::InventoryService inventory(test_db.db(), clock);
  orders::OrderService orders(test_db.db(), clock, inventory, shipping, payments, mailer);
  catalog::CatalogService catalog(test_db.db(), clock);
  social::ProfileService social(test_db.db(), clock);
  moderation::ModerationService moderation(test_db.db(), clock);
  social::NotificationService notifications(test_db.db(), clock);
  social::PostService posts(test_db.db(), clock, notifications);
  social::CommentService comments(test_db.db(), clock, posts);
  social::FeedService feeds(test_db.db(), clock, posts);
  community::GroupService groups(test_db.db(), clock, social, posts);
  community::IdeaService ideas(test_db.db(), clock, catalog, social, notifications, moderation);
  const TempDir media_dir("plaza-openapi-media");
  auto media_store = media::DiskMediaStore::Open(media_dir.path());
  ASSERT_TRUE(media_store.ok());
  media::MediaService media(test_db.db(), clock, **media_store);
  reviews::ReviewService reviews(test_db.db(), clock, social, media, notifications, moderation);
  reviews::QuestionService questions(test_db.db(), clock, social, notifications, moderation);
  api::ApiServices services{test_db.db(), identity,   webhooks,      mailer,     clock,     false,  "http://127.0.0.1",
                            shipping,     payments,   pricing,       promotions, inventory, orders, catalog,
                            social,       moderation, posts,         comments,   groups,    ideas,  media,
                            reviews,      questions,  notifications, feeds};
  http::Router router;
  api::RegisterApiRoutes(router, services);

  std::set<std::string> registered;
  for (const auto& route : router.Routes()) {
    if (route.pattern == "/api/openapi.json") continue;
    registered.insert(Lower(http::MethodName(route.method)) + " " + route.pattern);
  }
  std::set<std::string> documented;
  const auto& document = api::OpenApiDocument().as_object();
  EXPECT_EQ(document.at("openapi").as_string(), "3.1.0");
  for (const auto& [path, item] : document.at("paths").as_object()) {
    for (const auto& [method, operation] : item.as_object()) {
      documented.insert(std::string(method) + " " + std::string(path));
      EXPECT_TRUE(operation.as_object().contains("responses")) << path;
    }
  }
  for (const auto& route : registered) EXPECT_TRUE(documented.contains(route)) << "undocumented: " << route;
  for (const auto& route : documented) EXPECT_TRUE(registered.contains(route)) << "no such route: " << route;
  EXPECT_GE(registered.size(), 35u);
}

}  // namespace
}  // namespace plaza::testing
