#include "plaza_test/server_fixture.h"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <filesystem>

#include "plaza/catalog/catalog.h"
#include "plaza/core/crypto.h"
#include "plaza/core/mailer.h"
#include "plaza/inventory/inventory.h"
#include "plaza/orders/order_service.h"
#include "plaza/payments/payment_service.h"
#include "plaza/payments/test_provider.h"
#include "plaza/pricing/pricing.h"
#include "plaza/shipping/shipping_service.h"
#include "plaza/store/migrations.h"

namespace plaza::testing {

std::string SetCookieValue(const http::Headers& headers, std::string_view name) {
  const std::string prefix = std::string(name) + "=";
  for (const auto& [field, value] : headers) {
    if (!http::EqualsIgnoreCase(field, "Set-Cookie") || !value.starts_with(prefix)) continue;
    return value.substr(prefix.size(), value.find(';') - prefix.size());
  }
  return {};
}

void ServerFixture::SetUp() {
  crypto::InitCrypto();
  test_db_ = std::make_unique<TestDatabase>(GetParam());
  ASSERT_TRUE(store::Migrate(db(), app::AllMigrations()).ok());
  data_dir_ = MakeTempDir("plaza-server");
  mail_dir_ = data_dir_ + "/mail";
  std::map<std::string, std::string> flags = {
      {"listen", "127.0.0.1:0"}, {"database", test_db_->url()}, {"data_dir", data_dir_}, {"worker_threads", "4"},
      {"db_pool_size", "4"},     {"log_level", "warn"},         {"outbox_poll_ms", "50"}};
  for (auto& [name, value] : ExtraFlags()) flags[name] = std::move(value);
  auto loaded = app::LoadConfig({.flags = std::move(flags)});
  ASSERT_TRUE(loaded.ok()) << loaded.error().detail;
  identity_ = std::make_unique<identity::IdentityService>(db(), clock_);
  auto server = app::PlazaServer::Create(loaded->config, {.clock = &clock_});
  ASSERT_TRUE(server.ok()) << server.error().detail;
  server_ = std::move(server).value();
  ASSERT_TRUE(server_->Start().ok());
  client_ = std::make_unique<http::testing::HttpClient>(server_->port());
}

void ServerFixture::TearDown() {
  client_.reset();
  server_.reset();
  identity_.reset();
  test_db_.reset();
  std::error_code ignored;  // a leftover temp dir is harmless
  if (!data_dir_.empty()) std::filesystem::remove_all(data_dir_, ignored);
}

TestShop ServerFixture::CreateShop(const std::string& handle) {
  TestShop shop{
      .handle = handle, .owner_email = "owner@" + handle + ".example", .owner_password = "owner-password-" + handle};
  auto created = identity_->CreateShop({.handle = handle,
                                        .name = "Shop " + handle,
                                        .owner_email = shop.owner_email,
                                        .owner_name = "Owner of " + handle,
                                        .owner_password = shop.owner_password});
  EXPECT_TRUE(created.ok()) << created.error().detail;
  if (created.ok()) {
    shop.id = created->shop.id;
    shop.owner_id = created->owner.id;
  }
  return shop;
}

Credentials ServerFixture::LogInStaff(const TestShop& shop, const std::string& email, const std::string& password) {
  boost::json::object body{{"email", email}, {"password", password}};
  auto response = client_->PostJson("/api/v1/shops/" + shop.handle + "/staff/session", boost::json::serialize(body));
  Credentials credentials;
  EXPECT_TRUE(response.ok());
  if (!response.ok()) return credentials;
  EXPECT_EQ(response->status, 201) << response->body;
  const std::string token = SetCookieValue(response->headers, "plaza_staff");
  EXPECT_FALSE(token.empty());
  const auto json = response->Json();
  if (json.is_object()) {
    credentials.csrf_token = std::string(json.at("csrf_token").as_string());
    credentials.user_id = json.at("user_id").as_int64();
  }
  credentials.headers.Set("Cookie", "plaza_staff=" + token);
  credentials.headers.Set("X-CSRF-Token", credentials.csrf_token);
  return credentials;
}

Credentials ServerFixture::StaffWithRoles(const TestShop& shop, const std::string& email,
                                          std::vector<identity::Role> roles) {
  identity::Principal owner;
  owner.shop_id = shop.id;
  owner.user_id = shop.owner_id;
  owner.roles = {identity::Role::kOwner};
  const std::string password = "password-of-" + email;
  auto created = identity_->CreateStaff(
      owner, shop.id, {.email = email, .name = email, .roles = std::move(roles), .password = password});
  EXPECT_TRUE(created.ok()) << created.error().detail;
  return LogInStaff(shop, email, password);
}

Credentials ServerFixture::ApiToken(const TestShop& shop, std::vector<std::string> scopes) {
  identity::Principal owner;
  owner.shop_id = shop.id;
  owner.user_id = shop.owner_id;
  owner.roles = {identity::Role::kOwner};
  auto created = identity_->CreateApiToken(owner, shop.id, {.name = "test token", .scopes = std::move(scopes)});
  Credentials credentials;
  EXPECT_TRUE(created.ok()) << created.error().detail;
  if (created.ok()) credentials.headers.Set("Authorization", "Bearer " + created->token);
  return credentials;
}

Credentials ServerFixture::SignUpCustomer(const TestShop& shop, const std::string& email) {
  auto session = identity_->SignUpCustomer(shop.id, {email, "Buyer", "buyer-password-1"}, "127.0.0.1");
  Credentials credentials;
  EXPECT_TRUE(session.ok()) << email;
  if (!session.ok()) return credentials;
  credentials.user_id = session->principal.user_id;
  credentials.csrf_token = session->principal.csrf_token;
  credentials.headers.Set("Cookie", "plaza_customer=" + session->token);
  credentials.headers.Set("X-CSRF-Token", credentials.csrf_token);
  return credentials;
}

SellableVariant ServerFixture::SellInFrance(const TestShop& shop, const SellableVariantSpec& spec) {
  SellableVariant sellable;
  pricing::PricingService pricing(db(), clock());
  auto market = pricing.CreateMarket(
      shop.id, {.handle = "eu", .name = "Europe", .countries = {"FR"}, .currency = "EUR", .prices_include_tax = true});
  if (!market.ok()) {
    ADD_FAILURE() << "market: " << market.error().detail;
    return sellable;
  }
  catalog::CatalogService catalog(db(), clock());
  auto product = catalog.CreateProduct(shop.id, {.title = spec.title,
                                                 .status = catalog::ProductStatus::kActive,
                                                 .channels = {catalog::Channel::kOnlineStore},
                                                 .variants = {{.sku = spec.sku, .weight_grams = spec.weight_grams}}});
  if (!product.ok()) {
    ADD_FAILURE() << "product: " << product.error().detail;
    return sellable;
  }
  sellable.variant_id = product->variants.at(0).id;
  const auto priced =
      pricing.SetPrices(shop.id, market->id, std::vector<pricing::PriceInput>{{sellable.variant_id, spec.price_minor}});
  EXPECT_TRUE(priced.ok()) << "price: " << (priced.ok() ? "" : priced.error().detail);
  inventory::InventoryService inventory(db(), clock());
  auto location = inventory.CreateLocation(shop.id, {.name = spec.location});
  auto item = inventory.EnsureVariantItem(shop.id, sellable.variant_id, spec.sku);
  if (!location.ok() || !item.ok()) {
    ADD_FAILURE() << "location or inventory item not created";
    return sellable;
  }
  const auto received = inventory.Receive(shop.id, {.item_id = item->id,
                                                    .location_id = location->id,
                                                    .quantity = spec.stock,
                                                    .reason = "initial",
                                                    .actor = "staff:1"});
  EXPECT_TRUE(received.ok()) << "stock: " << (received.ok() ? "" : received.error().detail);
  shipping::ShippingService shipping(db(), clock());
  auto zone = shipping.CreateZone(shop.id, {.name = "France", .destinations = {{.country = "FR"}}});
  if (!zone.ok()) {
    ADD_FAILURE() << "zone: " << zone.error().detail;
    return sellable;
  }
  auto rate = shipping.CreateRate(shop.id, zone->id,
                                  {.name = spec.rate_name,
                                   .kind = shipping::RateKind::kFlat,
                                   .currency = "EUR",
                                   .price_minor = spec.shipping_minor,
                                   .transit_min_days = spec.transit_min_days,
                                   .transit_max_days = spec.transit_max_days});
  EXPECT_TRUE(rate.ok()) << "rate: " << (rate.ok() ? "" : rate.error().detail);
  if (rate.ok()) sellable.rate_id = rate->id;
  return sellable;
}

CommunityMember ServerFixture::JoinCommunity(const TestShop& shop, const std::string& handle,
                                             const CommunityMemberSpec& spec) {
  CommunityMember member;
  member.session = SignUpCustomer(shop, handle + "@example.com");
  member.cookie = std::string(member.session.headers.Get("Cookie").value_or(""));
  boost::json::object body{{"handle", handle},
                           {"display_name", spec.display_name.empty() ? "The " + handle : spec.display_name},
                           {"is_private", spec.is_private}};
  if (!spec.bio.empty()) body["bio"] = spec.bio;
  auto created = Call("POST", "/api/v1/shops/" + shop.handle + "/customer/social/profile", member.session,
                      boost::json::serialize(body));
  EXPECT_EQ(created.status, 201) << created.body;
  if (created.status == 201) member.profile_id = created.Json().at("id").as_int64();
  return member;
}

std::int64_t ServerFixture::BuyInFrance(const TestShop& shop, std::int64_t customer_id, const SellableVariant& variant,
                                        bool delivered) {
  inventory::InventoryService inventory(db(), clock());
  shipping::ShippingService shipping(db(), clock());
  payments::TestPaymentProvider provider(db(), clock());
  payments::PaymentService payments(db(), clock(), {&provider}, &provider);
  FileMailer mailer(mail_dir(), "shop@plaza.local", clock());
  orders::OrderService orders(db(), clock(), inventory, shipping, payments, mailer);
  auto cart = orders.CreateCart(shop.id, {.country = "FR", .customer_id = customer_id});
  EXPECT_TRUE(cart.ok());
  if (!cart.ok()) return 0;
  EXPECT_TRUE(orders.AddLine(shop.id, cart->token, {variant.variant_id, 1}).ok());
  EXPECT_TRUE(orders.StartCheckout(shop.id, cart->token).ok());
  EXPECT_TRUE(orders.SetContact(shop.id, cart->token, "buyer@example.fr").ok());
  EXPECT_TRUE(orders
                  .SetShippingAddress(shop.id, cart->token,
                                      {.name = "Camille Martin",
                                       .line1 = "10 rue de Rivoli",
                                       .city = "Paris",
                                       .postal_code = "75001",
                                       .country = "FR"})
                  .ok());
  EXPECT_TRUE(orders.SelectShipping(shop.id, cart->token, variant.rate_id).ok());
  auto order = orders.PlaceOrder(
      shop.id, cart->token,
      {.idempotency_key = "order-" + std::to_string(++orders_placed_),
       .payment = {.card_number = "4242424242424242", .exp_month = 12, .exp_year = 2030, .cvc = "123"}});
  EXPECT_TRUE(order.ok()) << (order.ok() ? "" : order.error().detail);
  if (!order.ok()) return 0;
  if (delivered) {
    EXPECT_TRUE(orders.Fulfil(shop.id, order->id, {{order->lines.at(0).id, 1}}).ok());
    EXPECT_TRUE(orders.MarkDelivered(shop.id, order->id).ok());
  }
  return order->id;
}

http::testing::ClientResponse ServerFixture::Call(std::string_view method, const std::string& target,
                                                  const Credentials& credentials, const std::string& body) {
  http::Headers headers = credentials.headers;
  if (!body.empty()) headers.Set("Content-Type", "application/json");
  auto response = client_->Send(method, target, body, headers);
  EXPECT_TRUE(response.ok()) << method << " " << target;
  return response.ok() ? std::move(response).value() : http::testing::ClientResponse{};
}

}  // namespace plaza::testing
