#pragma once
// The fixture of the community tests: a fresh database on one backend with every schema
// the community touches, the real identity, social, catalog and commerce services, a
// manual clock, two shops, and helpers to make profiles, customers and paid orders.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "plaza/catalog/catalog.h"
#include "plaza/catalog/migrations.h"
#include "plaza/community/groups.h"
#include "plaza/community/ideas.h"
#include "plaza/community/migrations.h"
#include "plaza/core/clock.h"
#include "plaza/core/crypto.h"
#include "plaza/core/mailer.h"
#include "plaza/identity/identity_service.h"
#include "plaza/identity/migrations.h"
#include "plaza/inventory/inventory.h"
#include "plaza/inventory/migrations.h"
#include "plaza/moderation/migrations.h"
#include "plaza/moderation/moderation.h"
#include "plaza/orders/migrations.h"
#include "plaza/orders/order_service.h"
#include "plaza/payments/migrations.h"
#include "plaza/payments/payment_service.h"
#include "plaza/payments/test_provider.h"
#include "plaza/pricing/migrations.h"
#include "plaza/pricing/pricing.h"
#include "plaza/promotions/migrations.h"
#include "plaza/promotions/promotions.h"
#include "plaza/shipping/migrations.h"
#include "plaza/shipping/shipping_service.h"
#include "plaza/social/feeds_migrations.h"
#include "plaza/social/migrations.h"
#include "plaza/social/notifications.h"
#include "plaza/social/posts.h"
#include "plaza/social/profiles.h"
#include "plaza/store/migrations.h"
#include "plaza/store/store_migrations.h"
#include "plaza_test/databases.h"

namespace plaza::community::testing {

// Monday 2026-11-23 09:00 UTC: a business day before the shipping cut-off.
inline constexpr std::int64_t kStartMillis = 1'795'424'400'000;

#define PLAZA_ASSERT_OK(expr)                                                              \
  do {                                                                                     \
    const auto& plaza_assert_result = (expr);                                              \
    ASSERT_TRUE(plaza_assert_result.ok())                                                  \
        << plaza_assert_result.error().type << ": " << plaza_assert_result.error().detail; \
  } while (false)

class NullMailer final : public Mailer {
 public:
  Status Send(const MailMessage&) override { return Ok(); }
};

class CommunityTest : public ::testing::TestWithParam<std::string> {
 protected:
  CommunityTest()
      : test_db_(GetParam()),
        clock_(FromUnixMillis(kStartMillis)),
        identity_(db(), clock_),
        profiles_(db(), clock_),
        catalog_(db(), clock_),
        inventory_(db(), clock_),
        pricing_(db(), clock_),
        promotions_(db(), clock_),
        shipping_(db(), clock_),
        provider_(db(), clock_),
        payments_(db(), clock_, {&provider_}, &provider_),
        orders_(db(), clock_, inventory_, shipping_, payments_, mailer_, {}),
        moderation_(db(), clock_),
        notifications_(db(), clock_),
        posts_(db(), clock_, notifications_),
        groups_(db(), clock_, profiles_, posts_),
        ideas_(db(), clock_, catalog_, profiles_, notifications_, moderation_) {
    posts_.SetGroupGate(gate_);
    moderation_.RegisterOwner(moderation::ContentKind::kIdea, idea_owner_);
  }

  static void SetUpTestSuite() { crypto::InitCrypto(); }

  void SetUp() override {
    const std::vector<store::MigrationSet> sets = {store::StoreMigrations(),
                                                   identity::IdentityMigrations(),
                                                   social::SocialMigrations(),
                                                   catalog::CatalogMigrations(),
                                                   inventory::InventoryMigrations(),
                                                   pricing::PricingMigrations(),
                                                   promotions::PromotionsMigrations(),
                                                   shipping::ShippingMigrations(),
                                                   payments::PaymentsMigrations(),
                                                   orders::OrdersMigrations(),
                                                   social::SocialFeedsMigrations(),
                                                   moderation::ModerationMigrations(),
                                                   CommunityMigrations()};
    const Status migrated = store::Migrate(db(), sets);
    ASSERT_TRUE(migrated.ok()) << migrated.error().detail;
    auto shop = identity_.CreateShop({.handle = "aurelle",
                                      .name = "Aurelle",
                                      .owner_email = "owner@aurelle.test",
                                      .owner_name = "Owner",
                                      .owner_password = "correct horse battery staple"});
    PLAZA_ASSERT_OK(shop);
    shop_ = shop->shop.id;
    auto other = identity_.CreateShop({.handle = "other",
                                       .name = "Other",
                                       .owner_email = "owner@other.test",
                                       .owner_name = "Owner",
                                       .owner_password = "correct horse battery staple"});
    PLAZA_ASSERT_OK(other);
    other_shop_ = other->shop.id;
    staff_ = {.kind = identity::PrincipalKind::kStaff,
              .shop_id = shop_,
              .user_id = shop->owner.id,
              .roles = {identity::Role::kOwner}};
    other_staff_ = {.kind = identity::PrincipalKind::kStaff,
                    .shop_id = other_shop_,
                    .user_id = other->owner.id,
                    .roles = {identity::Role::kOwner}};
  }

  store::Database& db() { return test_db_.db(); }

  // A profile without a customer account (a creator, or a shopper who never bought).
  std::int64_t Profile(const std::string& handle, std::int64_t shop = 0) {
    auto created =
        profiles_.CreateProfile(shop == 0 ? shop_ : shop, {.handle = handle, .display_name = "Name of " + handle});
    EXPECT_TRUE(created.ok()) << created.error().detail;
    return created.ok() ? created->id : 0;
  }

  struct CustomerProfile {
    std::int64_t customer_id = 0;
    std::int64_t profile_id = 0;
  };
  // A signed-up customer of the main shop with a profile.
  CustomerProfile Customer(const std::string& handle) {
    auto session = identity_.SignUpCustomer(
        shop_, {.email = handle + "@example.fr", .name = handle, .password = "a long enough password"}, "");
    EXPECT_TRUE(session.ok()) << session.error().detail;
    if (!session.ok()) return {};
    auto profile = profiles_.CreateProfile(
        shop_, {.handle = handle, .display_name = handle, .customer_id = session->principal.user_id});
    EXPECT_TRUE(profile.ok()) << profile.error().detail;
    return {.customer_id = session->principal.user_id, .profile_id = profile.ok() ? profile->id : 0};
  }

  std::vector<std::string> Tags(std::int64_t customer_id) {
    auto customer = identity_.GetCustomer(staff_, shop_, customer_id);
    EXPECT_TRUE(customer.ok());
    return customer.ok() ? customer->tags : std::vector<std::string>{};
  }

  std::int64_t CountRows(const std::string& sql, std::initializer_list<store::Param> params = {}) {
    std::vector<store::Param> bound(params);
    auto result = db().Read([&](store::Transaction& tx) -> Result<std::int64_t> {
      PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne(sql, std::span<const store::Param>(bound)));
      return row ? row->Int(0) : 0;
    });
    EXPECT_TRUE(result.ok()) << result.error().detail;
    return result.ok() ? *result : -1;
  }

  // ---- commerce: a market (FR, EUR, 20% VAT included), a location, a shipping rate ----

  void SetUpCommerce() {
    auto market = pricing_.CreateMarket(
        shop_, {.handle = "eu", .name = "Europe", .countries = {"FR"}, .currency = "EUR", .prices_include_tax = true});
    PLAZA_ASSERT_OK(market);
    market_id_ = market->id;
    PLAZA_ASSERT_OK(pricing_.SetTaxRate(shop_, market_id_,
                                        {.region = "FR", .tax_class = "standard", .rate = {20, 100}, .name = "TVA"}));
    auto location = inventory_.CreateLocation(shop_, {.name = "Paris"});
    PLAZA_ASSERT_OK(location);
    location_id_ = location->id;
    auto zone = shipping_.CreateZone(shop_, {.name = "France", .destinations = {{.country = "FR"}}});
    PLAZA_ASSERT_OK(zone);
    auto rate = shipping_.CreateRate(shop_, zone->id,
                                     {.name = "Standard",
                                      .kind = shipping::RateKind::kFlat,
                                      .currency = "EUR",
                                      .price_minor = 490,
                                      .transit_min_days = 2,
                                      .transit_max_days = 4});
    PLAZA_ASSERT_OK(rate);
    rate_id_ = rate->id;
  }

  // An active product with one variant at `price` (minor units) and plenty of stock.
  std::pair<std::int64_t, std::int64_t> Product(const std::string& title, std::int64_t price) {
    auto product = catalog_.CreateProduct(shop_, {.title = title,
                                                  .status = catalog::ProductStatus::kActive,
                                                  .channels = {catalog::Channel::kOnlineStore},
                                                  .variants = {{.sku = title + "-SKU", .weight_grams = 300}}});
    EXPECT_TRUE(product.ok()) << product.error().detail;
    if (!product.ok()) return {0, 0};
    const std::int64_t variant_id = product->variants.at(0).id;
    EXPECT_TRUE(
        pricing_
            .SetPrices(shop_, market_id_, std::vector<pricing::PriceInput>{{.variant_id = variant_id, .amount = price}})
            .ok());
    auto item = inventory_.EnsureVariantItem(shop_, variant_id, title + "-SKU");
    EXPECT_TRUE(item.ok());
    if (item.ok()) {
      EXPECT_TRUE(inventory_
                      .Receive(shop_, {.item_id = item->id,
                                       .location_id = location_id_,
                                       .quantity = 100,
                                       .reason = "initial",
                                       .actor = "staff:1"})
                      .ok());
    }
    return {product->id, variant_id};
  }

  // A cart of `customer_id` (none: a guest) with one unit of `variant_id`.
  Result<orders::Cart> CartWith(std::optional<std::int64_t> customer_id, std::int64_t variant_id) {
    PLAZA_ASSIGN_OR_RETURN(orders::Cart cart, orders_.CreateCart(shop_, {.country = "FR", .customer_id = customer_id}));
    return orders_.AddLine(shop_, cart.token, {.variant_id = variant_id, .quantity = 1});
  }

  // Runs the cart through checkout and places a paid order.
  Result<orders::Order> Buy(std::optional<std::int64_t> customer_id, std::int64_t variant_id, const std::string& key) {
    PLAZA_ASSIGN_OR_RETURN(orders::Cart cart, CartWith(customer_id, variant_id));
    PLAZA_ASSIGN_OR_RETURN(cart, orders_.StartCheckout(shop_, cart.token));
    PLAZA_ASSIGN_OR_RETURN(cart, orders_.SetContact(shop_, cart.token, key + "@example.fr"));
    PLAZA_ASSIGN_OR_RETURN(cart, orders_.SetShippingAddress(shop_, cart.token,
                                                            {.name = "Camille Martin",
                                                             .line1 = "10 rue de Rivoli",
                                                             .city = "Paris",
                                                             .postal_code = "75001",
                                                             .country = "FR"}));
    PLAZA_ASSIGN_OR_RETURN(cart, orders_.SelectShipping(shop_, cart.token, rate_id_));
    return orders_.PlaceOrder(shop_, cart.token,
                              {.idempotency_key = key,
                               .fingerprint = key,
                               .payment = {.method = "card",
                                           .card_number = std::string("4242424242424242"),
                                           .exp_month = 12,
                                           .exp_year = 2030,
                                           .cvc = "123"}});
  }

  plaza::testing::TestDatabase test_db_;
  ManualClock clock_;
  identity::IdentityService identity_;
  social::ProfileService profiles_;
  catalog::CatalogService catalog_;
  inventory::InventoryService inventory_;
  pricing::PricingService pricing_;
  promotions::PromotionService promotions_;
  shipping::ShippingService shipping_;
  payments::TestPaymentProvider provider_;
  payments::PaymentService payments_;
  NullMailer mailer_;
  orders::OrderService orders_;
  moderation::ModerationService moderation_;
  IdeaContentOwner idea_owner_;
  social::NotificationService notifications_;
  social::PostService posts_;
  CommunityGroupGate gate_;
  GroupService groups_;
  IdeaService ideas_;
  std::int64_t shop_ = 0;
  std::int64_t other_shop_ = 0;
  identity::Principal staff_{};
  identity::Principal other_staff_{};
  std::int64_t market_id_ = 0;
  std::int64_t location_id_ = 0;
  std::int64_t rate_id_ = 0;
};

}  // namespace plaza::community::testing
