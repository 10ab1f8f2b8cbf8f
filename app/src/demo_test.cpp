#include "plaza/app/demo.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "demo_community.h"
#include "plaza/app/plaza_server.h"
#include "plaza/catalog/catalog.h"
#include "plaza/community/groups.h"
#include "plaza/community/ideas.h"
#include "plaza/identity/identity_service.h"
#include "plaza/inventory/inventory.h"
#include "plaza/media/media.h"
#include "plaza/moderation/moderation.h"
#include "plaza/pricing/pricing.h"
#include "plaza/promotions/promotions.h"
#include "plaza/reviews/reviews.h"
#include "plaza/shipping/shipping_service.h"
#include "plaza/social/comments.h"
#include "plaza/social/notifications.h"
#include "plaza/social/posts.h"
#include "plaza/social/profiles.h"
#include "plaza/store/migrations.h"
#include "plaza_test/databases.h"

namespace plaza::app {
namespace {

class DemoTest : public ::testing::TestWithParam<std::string> {
 protected:
  DemoTest()
      : test_db_(GetParam()),
        clock_(FromUnixMillis(1'795'000'000'000)),  // Nov 2026
        media_dir_(plaza::testing::MakeTempDir("plaza-demo-media")) {}
  ~DemoTest() override { std::filesystem::remove_all(media_dir_); }

  void SetUp() override {
    const Status migrated = store::Migrate(db(), AllMigrations());
    ASSERT_TRUE(migrated.ok()) << migrated.error().detail;
  }

  store::Database& db() { return test_db_.db(); }

  DemoSummary Seed(DemoOptions options) {
    options.media_dir = media_dir_;
    auto seeded = SeedDemo(db(), clock_, options);
    EXPECT_TRUE(seeded.ok()) << seeded.error().type << ": " << seeded.error().detail;
    return seeded.ok() ? *seeded : DemoSummary{};
  }

  // The creator's posts as an anonymous visitor sees them.
  std::vector<social::Post> CreatorPosts(std::int64_t shop_id) {
    social::NotificationService notifications(db(), clock_);
    social::PostService posts(db(), clock_, notifications);
    auto page = posts.ListProfilePosts(shop_id, kDemoCreatorHandle, std::nullopt, {.cursor = "", .limit = 50});
    EXPECT_TRUE(page.ok()) << page.error().detail;
    return page.ok() ? page->posts : std::vector<social::Post>{};
  }

  plaza::testing::TestDatabase test_db_;
  ManualClock clock_;
  std::string media_dir_;
};

TEST_P(DemoTest, SeedsABelievableShopInThreeMarkets) {
  const DemoSummary summary = Seed({});
  ASSERT_TRUE(summary.created_shop);
  EXPECT_GE(summary.products, 55);

  catalog::CatalogService catalog(db(), clock_);
  auto serum = catalog.GetProductByHandle(summary.shop_id, "vitamin-c-serum");
  ASSERT_TRUE(serum.ok());
  ASSERT_EQ(serum->variants.size(), 3u);
  EXPECT_TRUE(catalog::IsVisibleOn(*serum, catalog::Channel::kTiktok));

  // Every variant is priced in EUR, GBP and USD.
  pricing::PricingService pricing(db(), clock_);
  auto markets = pricing.ListMarkets(summary.shop_id);
  ASSERT_TRUE(markets.ok());
  ASSERT_EQ(markets->size(), 3u);
  std::vector<std::int64_t> variant_ids;
  for (const catalog::Variant& variant : serum->variants) variant_ids.push_back(variant.id);
  for (const pricing::Market& market : *markets) {
    auto prices = pricing.PriceVariants(summary.shop_id, market.id, variant_ids);
    ASSERT_TRUE(prices.ok()) << market.handle << ": " << prices.error().detail;
    EXPECT_EQ(prices->front().price.currency, market.currency);
    EXPECT_GT(prices->front().price.minor, 0);
  }

  // Kits draw on their contents, the drop has a per-order limit, the calendar is a pre-order.
  inventory::InventoryService inventory(db(), clock_);
  auto kit = catalog.GetProductByHandle(summary.shop_id, "glow-duo");
  auto calendar = catalog.GetProductByHandle(summary.shop_id, "holiday-advent-calendar");
  auto drop = catalog.GetProductByHandle(summary.shop_id, "limited-berry-serum");
  ASSERT_TRUE(kit.ok() && calendar.ok() && drop.ok());
  auto kit_stock = inventory.GetVariant(summary.shop_id, kit->variants.front().id);
  ASSERT_TRUE(kit_stock.ok());
  EXPECT_EQ(kit_stock->components.size(), 2u);
  const std::int64_t ids[] = {calendar->variants.front().id, drop->variants.front().id};
  auto availability = inventory.GetAvailability(summary.shop_id, ids, inventory::SalesChannel::kOnlineStore);
  ASSERT_TRUE(availability.ok());
  EXPECT_EQ((*availability)[0].state, inventory::StockState::kPreorder);
  EXPECT_EQ((*availability)[1].max_per_order, 1);
  auto ledger = inventory.CheckLedger();
  ASSERT_TRUE(ledger.ok());
  EXPECT_TRUE(ledger->ok());
  EXPECT_GT(ledger->levels_checked, 50);

  // A delivery promise to Paris and to California.
  shipping::ShippingService shipping(db(), clock_);
  auto paris = shipping.Quote(summary.shop_id, {.destination = {"FR", ""},
                                                .currency = "EUR",
                                                .subtotal_minor = 5600,
                                                .weight_grams = 200,
                                                .preorder_arrival = {}});
  ASSERT_TRUE(paris.ok()) << paris.error().detail;
  ASSERT_FALSE(paris->options.empty());
  EXPECT_EQ(paris->options.front().price.minor, 0);  // free over 49 EUR
  EXPECT_FALSE(paris->options.front().promise.earliest.empty());
  auto california = shipping.Quote(summary.shop_id, {.destination = {"US", "CA"},
                                                     .currency = "USD",
                                                     .subtotal_minor = 3000,
                                                     .weight_grams = 300,
                                                     .preorder_arrival = {}});
  ASSERT_TRUE(california.ok()) << california.error().detail;
  EXPECT_EQ(california->options.front().price.minor, 1200);

  // The creator code belongs to its creator.
  promotions::PromotionService promotions(db(), clock_);
  auto all = promotions.List(summary.shop_id);
  ASSERT_TRUE(all.ok());
  bool found_creator_code = false;
  for (const promotions::Promotion& promotion : *all) {
    auto codes = promotions.ListCodes(summary.shop_id, promotion.id);
    ASSERT_TRUE(codes.ok());
    for (const promotions::PromotionCode& code : *codes) found_creator_code |= code.creator == "maya.glows";
  }
  EXPECT_TRUE(found_creator_code);
}

TEST_P(DemoTest, SeedsACommunityAroundTheCreator) {
  const DemoSummary summary = Seed({});
  ASSERT_TRUE(summary.created_shop);
  EXPECT_EQ(summary.posts, 5);  // four by the creator, one by the brand
  const std::int64_t shop = summary.shop_id;

  social::ProfileService profiles(db(), clock_);
  auto creator = profiles.ViewProfile(shop, kDemoCreatorHandle, std::nullopt);
  ASSERT_TRUE(creator.ok());
  EXPECT_EQ(creator->profile.kind, social::ProfileKind::kCreator);
  EXPECT_EQ(creator->profile.followers_count, 4);  // three customers and the brand
  auto brand = profiles.ViewProfile(shop, "aurelle", std::nullopt);
  ASSERT_TRUE(brand.ok());
  EXPECT_EQ(brand->profile.kind, social::ProfileKind::kBrand);

  // Every post of the creator is shoppable and has a photo whose renditions are on disk.
  auto store = media::DiskMediaStore::Open(media_dir_);
  ASSERT_TRUE(store.ok());
  media::MediaService media(db(), clock_, **store);
  const std::vector<social::Post> posts = CreatorPosts(shop);
  ASSERT_EQ(posts.size(), 4u);
  for (const social::Post& post : posts) {
    EXPECT_FALSE(post.products.empty()) << post.text;
    for (const social::ProductTag& tag : post.products) EXPECT_EQ(tag.state, social::TagState::kAvailable);
    ASSERT_EQ(post.media_ids.size(), 1u);
    auto asset = media.Get(shop, post.media_ids.front());
    ASSERT_TRUE(asset.ok());
    ASSERT_FALSE(asset->renditions.empty());
    auto file = media.OpenRendition(shop, asset->id, asset->path_token, asset->renditions.back().width);
    ASSERT_TRUE(file.ok()) << file.error().detail;
    EXPECT_EQ(file->content_type, "image/webp");
  }
  // The newest post tags the product the browser journeys buy.
  EXPECT_EQ(posts.front().products.front().product_handle, "gel-foaming-cleanser");
  EXPECT_NE(std::find(posts.front().hashtags.begin(), posts.front().hashtags.end(), "glowroutine"),
            posts.front().hashtags.end());

  // The keyword rule masked the comment that says "spoiler".
  social::NotificationService notifications(db(), clock_);
  social::PostService post_service(db(), clock_, notifications);
  social::CommentService comments(db(), clock_, post_service);
  auto thread = comments.ListComments(shop, posts.front().id, std::nullopt, {.cursor = "", .limit = 50});
  ASSERT_TRUE(thread.ok());
  ASSERT_EQ(thread->comments.size(), 1u);
  EXPECT_EQ(thread->comments.front().text.rfind("*******: it sells out", 0), 0u) << thread->comments.front().text;

  // A review with a photo, the group with its pinned welcome and the supported idea.
  moderation::ModerationService moderation(db(), clock_);
  reviews::ReviewService reviews(db(), clock_, profiles, media, notifications, moderation);
  catalog::CatalogService catalog(db(), clock_);
  auto serum = catalog.GetProductByHandle(shop, "vitamin-c-serum");
  ASSERT_TRUE(serum.ok());
  auto serum_reviews = reviews.ListReviews(shop, {.product_id = serum->id,
                                                  .variant_id = {},
                                                  .rating = {},
                                                  .viewer_profile_id = {},
                                                  .sort = reviews::ReviewSort::kNewest,
                                                  .page = {}});
  ASSERT_TRUE(serum_reviews.ok());
  ASSERT_EQ(serum_reviews->reviews.size(), 1u);
  EXPECT_EQ(serum_reviews->reviews.front().rating, 5);
  EXPECT_EQ(serum_reviews->reviews.front().media_ids.size(), 1u);
  community::CommunityGroupGate gate;
  post_service.SetGroupGate(gate);
  community::GroupService groups(db(), clock_, profiles, post_service);
  auto club = groups.ViewGroup(shop, "glowclub", std::nullopt);
  ASSERT_TRUE(club.ok());
  EXPECT_EQ(club->group.members_count, 5);
  auto club_posts = groups.ListPosts(shop, club->group.id, std::nullopt, {.cursor = "", .limit = 20});
  ASSERT_TRUE(club_posts.ok()) << club_posts.error().detail;
  EXPECT_EQ(club_posts->pinned.size(), 1u);
  community::IdeaService ideas(db(), clock_, catalog, profiles, notifications, moderation);
  auto board = ideas.ListIdeas(shop, std::nullopt, {});
  ASSERT_TRUE(board.ok());
  ASSERT_EQ(board->ideas.size(), 1u);
  EXPECT_EQ(board->ideas.front().supports_count, 3);

  // The demo customer logs in and follows the creator.
  identity::IdentityService identity(db(), clock_);
  const DemoShopper shopper = DemoShopperLogin();
  auto session =
      identity.LogInCustomer({.shop_id = shop, .email = shopper.email, .password = shopper.password, .ip = ""});
  ASSERT_TRUE(session.ok()) << session.error().detail;
  auto own = profiles.ProfileOfCustomer(shop, session->principal.user_id);
  ASSERT_TRUE(own.ok());
  EXPECT_EQ(own->handle, shopper.handle);
  auto seen = profiles.ViewProfile(shop, kDemoCreatorHandle, own->id);
  ASSERT_TRUE(seen.ok());
  EXPECT_TRUE(seen->relationship.following);
}

TEST_P(DemoTest, SeedingTwiceAddsNoCommunityContent) {
  const DemoSummary first = Seed({});
  ASSERT_EQ(first.posts, 5);
  const DemoSummary second = Seed({});
  EXPECT_FALSE(second.created_shop);
  EXPECT_EQ(second.posts, 0);
  const std::vector<social::Post> posts = CreatorPosts(first.shop_id);
  ASSERT_EQ(posts.size(), 4u);
  for (const social::Post& post : posts) EXPECT_FALSE(post.products.empty());
  social::ProfileService profiles(db(), clock_);
  auto creator = profiles.ViewProfile(first.shop_id, kDemoCreatorHandle, std::nullopt);
  ASSERT_TRUE(creator.ok());
  EXPECT_EQ(creator->profile.followers_count, 4);
}

TEST_P(DemoTest, ACommunityNeedsAMediaDirectory) {
  auto seeded = SeedDemo(db(), clock_, {});
  ASSERT_FALSE(seeded.ok());
  EXPECT_EQ(seeded.error().type, "demo/no-media-dir");
  identity::IdentityService identity(db(), clock_);
  EXPECT_FALSE(identity.GetShopByHandle(DemoLogin().shop_handle).ok());  // nothing half-made
}

TEST_P(DemoTest, IfEmptyLeavesAnExistingShopAlone) {
  ASSERT_TRUE(Seed({}).created_shop);
  const DemoSummary again = Seed({.if_empty = true, .generated_products = 0, .progress = {}, .media_dir = {}});
  EXPECT_FALSE(again.created_shop);
  EXPECT_EQ(again.products, 0);
}

TEST_P(DemoTest, GeneratedProductsAreAddedAfterEarlierOnes) {
  const DemoSummary first = Seed({.if_empty = false, .generated_products = 30, .progress = {}, .media_dir = {}});
  const DemoSummary second = Seed({.if_empty = false, .generated_products = 12, .progress = {}, .media_dir = {}});
  EXPECT_FALSE(second.created_shop);
  EXPECT_EQ(second.products, 12);
  catalog::CatalogService catalog(db(), clock_);
  EXPECT_TRUE(catalog.GetProductByHandle(first.shop_id, "lab-42").ok());
  EXPECT_FALSE(catalog.GetProductByHandle(first.shop_id, "lab-43").ok());
  inventory::InventoryService inventory(db(), clock_);
  auto ledger = inventory.CheckLedger();
  ASSERT_TRUE(ledger.ok());
  EXPECT_TRUE(ledger->ok());
}

INSTANTIATE_TEST_SUITE_P(Backends, DemoTest, ::testing::ValuesIn(plaza::testing::TestBackends()),
                         plaza::testing::BackendName());

}  // namespace
}  // namespace plaza::app
