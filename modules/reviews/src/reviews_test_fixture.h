#pragma once
// The fixture of the reviews integration tests: a fresh database on one backend with the
// commerce and social schemas, the real catalog, pricing, inventory, shipping, payments
// and orders services (so "delivered" means an order really went through checkout,
// fulfilment and delivery), profiles, and the review and question services.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "plaza/catalog/catalog.h"
#include "plaza/catalog/migrations.h"
#include "plaza/core/clock.h"
#include "plaza/core/crypto.h"
#include "plaza/core/mailer.h"
#include "plaza/identity/migrations.h"
#include "plaza/identity/permissions.h"
#include "plaza/inventory/inventory.h"
#include "plaza/inventory/migrations.h"
#include "plaza/media/media.h"
#include "plaza/media/migrations.h"
#include "plaza/moderation/migrations.h"
#include "plaza/moderation/moderation.h"
#include "plaza/orders/migrations.h"
#include "plaza/orders/order_service.h"
#include "plaza/payments/manual_provider.h"
#include "plaza/payments/migrations.h"
#include "plaza/payments/payment_service.h"
#include "plaza/payments/test_provider.h"
#include "plaza/pricing/migrations.h"
#include "plaza/pricing/pricing.h"
#include "plaza/promotions/migrations.h"
#include "plaza/reviews/content_owner.h"
#include "plaza/reviews/migrations.h"
#include "plaza/reviews/questions.h"
#include "plaza/reviews/reviews.h"
#include "plaza/shipping/migrations.h"
#include "plaza/shipping/shipping_service.h"
#include "plaza/social/feeds_migrations.h"
#include "plaza/social/migrations.h"
#include "plaza/social/notifications.h"
#include "plaza/social/profiles.h"
#include "plaza/store/migrations.h"
#include "plaza/store/store_migrations.h"
#include "plaza_test/databases.h"

namespace plaza::reviews::testing {

// Monday 2026-11-23 09:00 UTC: a business day before the shipping cut-off.
inline constexpr std::int64_t kStartMillis = 1'795'424'400'000;
inline constexpr std::int64_t kShop = 1;
inline constexpr std::int64_t kOtherShop = 2;

#define PLAZA_ASSERT_OK(expr)                                                              \
  do {                                                                                     \
    const auto& plaza_assert_result = (expr);                                              \
    ASSERT_TRUE(plaza_assert_result.ok())                                                  \
        << plaza_assert_result.error().type << ": " << plaza_assert_result.error().detail; \
  } while (false)

// Order e-mails are not what these tests look at.
class DiscardingMailer final : public Mailer {
 public:
  Status Send(const MailMessage& message) override {
    (void)message;
    return Ok();
  }
};

struct TestProduct {
  std::int64_t id = 0;
  std::vector<std::int64_t> variant_ids{};
};

class ReviewsTest : public ::testing::TestWithParam<std::string> {
 protected:
  ReviewsTest()
      : test_db_(GetParam()),
        clock_(FromUnixMillis(kStartMillis)),
        catalog_(db(), clock_),
        inventory_(db(), clock_),
        pricing_(db(), clock_),
        shipping_(db(), clock_),
        provider_(db(), clock_),
        payments_(db(), clock_, {&provider_, &manual_provider_}, &provider_),
        orders_(db(), clock_, inventory_, shipping_, payments_, mailer_, {}),
        profiles_(db(), clock_),
        notifications_(db(), clock_),
        media_store_(OpenMediaStore()),
        media_(db(), clock_, *media_store_),
        moderation_(db(), clock_),
        reviews_(db(), clock_, profiles_, media_, notifications_, moderation_),
        questions_(db(), clock_, profiles_, notifications_, moderation_),
        content_owner_(reviews_, questions_) {
    content_owner_.RegisterWith(moderation_);
  }

  static void SetUpTestSuite() { crypto::InitCrypto(); }

  void SetUp() override {
    const std::vector<store::MigrationSet> sets = {
        store::StoreMigrations(),           identity::IdentityMigrations(),
        catalog::CatalogMigrations(),       inventory::InventoryMigrations(),
        pricing::PricingMigrations(),       promotions::PromotionsMigrations(),
        shipping::ShippingMigrations(),     payments::PaymentsMigrations(),
        orders::OrdersMigrations(),         social::SocialMigrations(),
        social::SocialFeedsMigrations(),    media::MediaMigrations(),
        moderation::ModerationMigrations(), ReviewsMigrations()};
    const Status migrated = store::Migrate(db(), sets);
    ASSERT_TRUE(migrated.ok()) << migrated.error().detail;
    // The audit log refers to its shop; these two are kShop and kOtherShop.
    PLAZA_ASSERT_OK(db().Write([](store::Transaction& tx) {
      return tx.Execute("INSERT INTO shops (handle, name, created_at) VALUES ('one', 'One', 0), ('two', 'Two', 0)");
    }));
    auto market = pricing_.CreateMarket(
        kShop, {.handle = "eu", .name = "Europe", .countries = {"FR"}, .currency = "EUR", .prices_include_tax = true});
    PLAZA_ASSERT_OK(market);
    market_id_ = market->id;
    auto location = inventory_.CreateLocation(kShop, {.name = "Paris"});
    PLAZA_ASSERT_OK(location);
    location_id_ = location->id;
    auto zone = shipping_.CreateZone(kShop, {.name = "France", .destinations = {{.country = "FR"}}});
    PLAZA_ASSERT_OK(zone);
    auto rate = shipping_.CreateRate(kShop, zone->id,
                                     {.name = "Standard",
                                      .kind = shipping::RateKind::kFlat,
                                      .currency = "EUR",
                                      .price_minor = 490,
                                      .transit_min_days = 2,
                                      .transit_max_days = 4});
    PLAZA_ASSERT_OK(rate);
    rate_id_ = rate->id;
  }

  store::Database& db() { return test_db_.db(); }

  std::unique_ptr<media::MediaStore> OpenMediaStore() {
    // Test processes run side by side, so each needs a directory no other can name.
    auto store = media::DiskMediaStore::Open(media_root_.path());
    EXPECT_TRUE(store.ok());
    return store.ok() ? std::move(*store) : nullptr;
  }

  // An active product with `variants` variants, each priced and stocked.
  TestProduct MakeProduct(const std::string& title, int variants = 1, std::int64_t shop = kShop) {
    catalog::ProductInput input{
        .title = title, .status = catalog::ProductStatus::kActive, .channels = {catalog::Channel::kOnlineStore}};
    if (variants > 1) input.option_names = {"Size"};
    for (int i = 0; i < variants; ++i) {
      catalog::VariantInput variant{.sku = title + "-" + std::to_string(i), .weight_grams = 300};
      if (variants > 1) variant.option_values = {"S" + std::to_string(i)};
      input.variants.push_back(variant);
    }
    auto product = catalog_.CreateProduct(shop, input);
    EXPECT_TRUE(product.ok()) << product.error().type << ": " << product.error().detail;
    if (!product.ok()) return {};
    TestProduct out{.id = product->id};
    for (const catalog::Variant& variant : product->variants) {
      out.variant_ids.push_back(variant.id);
      if (shop != kShop) continue;
      EXPECT_TRUE(pricing_
                      .SetPrices(kShop, market_id_,
                                 std::vector<pricing::PriceInput>{{.variant_id = variant.id, .amount = 2500}})
                      .ok());
      auto item = inventory_.EnsureVariantItem(kShop, variant.id, variant.sku);
      EXPECT_TRUE(item.ok());
      if (item.ok()) {
        EXPECT_TRUE(inventory_
                        .Receive(kShop, {.item_id = item->id,
                                         .location_id = location_id_,
                                         .quantity = 100,
                                         .reason = "initial",
                                         .actor = "staff:1"})
                        .ok());
      }
    }
    return out;
  }

  // A customer's profile; `customer_id` 0 makes a profile no customer owns.
  social::Profile MakeProfile(const std::string& handle, std::int64_t customer_id, std::int64_t shop = kShop) {
    social::NewProfile input{.handle = handle, .display_name = handle};
    if (customer_id != 0) input.customer_id = customer_id;
    auto profile = profiles_.CreateProfile(shop, input);
    EXPECT_TRUE(profile.ok()) << profile.error().detail;
    return profile.ok() ? *profile : social::Profile{};
  }

  // An order of `customer_id` for one unit of `variant_id`, placed and paid; delivered
  // when `deliver`.
  Result<orders::Order> Buy(std::int64_t customer_id, std::int64_t variant_id, bool deliver) {
    PLAZA_ASSIGN_OR_RETURN(orders::Cart cart, orders_.CreateCart(kShop, {.country = "FR", .customer_id = customer_id}));
    PLAZA_TRY(orders_.AddLine(kShop, cart.token, {variant_id, 1}));
    PLAZA_TRY(orders_.StartCheckout(kShop, cart.token));
    PLAZA_TRY(orders_.SetContact(kShop, cart.token, "buyer@example.fr"));
    PLAZA_TRY(orders_.SetShippingAddress(kShop, cart.token,
                                         {.name = "Camille Martin",
                                          .line1 = "10 rue de Rivoli",
                                          .city = "Paris",
                                          .postal_code = "75001",
                                          .country = "FR"}));
    PLAZA_TRY(orders_.SelectShipping(kShop, cart.token, rate_id_));
    PLAZA_ASSIGN_OR_RETURN(orders::Order order,
                           orders_.PlaceOrder(kShop, cart.token,
                                              {.idempotency_key = "order-" + std::to_string(++orders_placed_),
                                               .fingerprint = "test",
                                               .payment = {.method = "card",
                                                           .card_number = "4242424242424242",
                                                           .exp_month = 12,
                                                           .exp_year = 2030,
                                                           .cvc = "123"}}));
    if (!deliver) return order;
    PLAZA_TRY(orders_.Fulfil(kShop, order.id, {{order.lines.at(0).id, 1}}));
    return orders_.MarkDelivered(kShop, order.id);
  }

  static identity::Principal Staff(std::int64_t shop = kShop, identity::Role role = identity::Role::kSupportAgent) {
    return identity::Principal{
        .kind = identity::PrincipalKind::kStaff, .shop_id = shop, .user_id = 5, .roles = {role}, .session_id = 1};
  }

  // A photo uploaded by `uploader_profile_id`.
  std::int64_t Upload(std::int64_t uploader_profile_id) {
    static constexpr unsigned char kOnePixelPng[] = {
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00,
        0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00,
        0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0xDA, 0x63, 0x64, 0x60, 0xF8, 0x5F, 0x0F, 0x00, 0x02, 0x87, 0x01, 0x80,
        0xEB, 0x47, 0xBA, 0x92, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82};
    const std::string bytes(reinterpret_cast<const char*>(kOnePixelPng), sizeof kOnePixelPng);
    auto asset = media_.Upload(kShop, {.bytes = bytes, .alt = "photo", .uploader_profile_id = uploader_profile_id});
    EXPECT_TRUE(asset.ok()) << asset.error().type << ": " << asset.error().detail;
    return asset.ok() ? asset->id : 0;
  }

  // Lets profiles made so far grow older than the new-account threshold.
  void AgeAccounts() { clock_.Advance(std::chrono::hours(24 * 8)); }

  Result<std::int64_t> CountRows(const std::string& sql) {
    return db().Read([&](store::Transaction& tx) -> Result<std::int64_t> {
      PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne(sql));
      return row ? row->Int(0) : 0;
    });
  }

  plaza::testing::TestDatabase test_db_;
  ManualClock clock_;
  catalog::CatalogService catalog_;
  inventory::InventoryService inventory_;
  pricing::PricingService pricing_;
  shipping::ShippingService shipping_;
  payments::TestPaymentProvider provider_;
  payments::ManualPaymentProvider manual_provider_;
  payments::PaymentService payments_;
  DiscardingMailer mailer_;
  orders::OrderService orders_;
  social::ProfileService profiles_;
  social::NotificationService notifications_;
  plaza::testing::TempDir media_root_{"plaza-reviews-media"};
  std::unique_ptr<media::MediaStore> media_store_;
  media::MediaService media_;
  moderation::ModerationService moderation_;
  ReviewService reviews_;
  QuestionService questions_;
  ReviewContentOwner content_owner_;
  std::int64_t market_id_ = 0;
  std::int64_t location_id_ = 0;
  std::int64_t rate_id_ = 0;
  int orders_placed_ = 0;
};

}  // namespace plaza::reviews::testing
