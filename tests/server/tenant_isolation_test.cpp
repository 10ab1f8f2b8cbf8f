// Staff of shop A must not reach shop B's resources through any route that takes an
// id: neither by naming shop B in the path, nor by naming B's resource ids under shop A.
// Either way the answer is 404, indistinguishable from a resource that does not exist,
// and B's data is unchanged afterwards. The routes come from the OpenAPI document, so a
// new route is covered the day it is documented (and openapi_test keeps it documented).

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <map>
#include <regex>

#include "plaza/api/api.h"
#include "plaza/catalog/catalog.h"
#include "plaza/community/groups.h"
#include "plaza/community/ideas.h"
#include "plaza/core/mailer.h"
#include "plaza/inventory/inventory.h"
#include "plaza/moderation/moderation.h"
#include "plaza/orders/order_service.h"
#include "plaza/payments/payment_service.h"
#include "plaza/payments/test_provider.h"
#include "plaza/pricing/pricing.h"
#include "plaza/shipping/shipping_service.h"
#include "plaza_test/images.h"
#include "plaza_test/server_fixture.h"

namespace plaza::testing {
namespace {

class TenantIsolationTest : public ServerFixture {
 protected:
  struct ShopResources {
    TestShop shop;
    Credentials owner;
    std::map<std::string, std::string> ids;     // path segment before "{id}" -> an id of this shop
    std::map<std::string, std::string> params;  // other path parameter ("rate_id") -> an id of this shop
    std::string event_id;
  };

  // A moderation queue item (a flagged profile) and a ban of its author, made through the
  // service with a stand-in owner, since no module owns content in this suite.
  std::pair<std::int64_t, std::int64_t> MakeModerationItemAndBan(const TestShop& shop) {
    struct AnyProfile final : moderation::ContentOwner {
      Result<moderation::ContentSummary> Describe(store::Transaction&, std::int64_t,
                                                  moderation::ContentRef ref) override {
        return moderation::ContentSummary{ref.id, "a profile", moderation::Visibility::kVisible, {}};
      }
      Status SetVisibility(store::Transaction&, std::int64_t, moderation::ContentRef, moderation::Visibility) override {
        return Ok();
      }
    } owner;
    moderation::ModerationService service(db(), clock());
    service.RegisterOwner(moderation::ContentKind::kProfile, owner);
    const moderation::ContentRef ref{moderation::ContentKind::kProfile, 4242};
    EXPECT_TRUE(
        db().Write([&](store::Transaction& tx) { return service.FlagForReview(tx, shop.id, ref, "new account burst"); })
            .ok());
    identity::Principal staff;
    staff.shop_id = shop.id;
    staff.user_id = shop.owner_id;
    staff.roles = {identity::Role::kOwner};
    auto queue = service.ListQueue(staff, shop.id, {});
    EXPECT_TRUE(queue.ok() && queue->items.size() == 1);
    if (!queue.ok() || queue->items.empty()) return {0, 0};
    const std::int64_t item_id = queue->items[0].id;
    EXPECT_TRUE(
        service.Act(staff, shop.id, item_id, {moderation::ActionKind::kBan, "spam", std::chrono::hours(24)}).ok());
    auto bans = service.ListBans(staff, shop.id, true);
    EXPECT_TRUE(bans.ok() && bans->size() == 1);
    return {item_id, bans.ok() && !bans->empty() ? bans->at(0).id : 0};
  }

  // A delivered order of `customer_id` with a requested return, made through the services
  // (the storefront needs a priced, stocked, shippable product first).
  std::pair<std::int64_t, std::int64_t> MakeOrderAndReturn(std::int64_t shop_id, std::int64_t customer_id) {
    pricing::PricingService pricing(db(), clock());
    auto market = pricing.CreateMarket(
        shop_id, {.handle = "orders-at", .name = "Austria", .countries = {"AT"}, .currency = "EUR"});
    EXPECT_TRUE(market.ok());
    catalog::CatalogService catalog(db(), clock());
    auto product = catalog.CreateProduct(shop_id, {.title = "Tee",
                                                   .status = catalog::ProductStatus::kActive,
                                                   .channels = {catalog::Channel::kOnlineStore},
                                                   .variants = {{.sku = "TEE-1"}}});
    EXPECT_TRUE(product.ok());
    if (!market.ok() || !product.ok()) return {0, 0};
    const std::int64_t variant_id = product->variants.at(0).id;
    EXPECT_TRUE(pricing.SetPrices(shop_id, market->id, std::vector<pricing::PriceInput>{{variant_id, 1000}}).ok());
    inventory::InventoryService inventory(db(), clock());
    auto location = inventory.CreateLocation(shop_id, {.name = "Shelf"});
    auto item = inventory.EnsureVariantItem(shop_id, variant_id, "TEE-1");
    EXPECT_TRUE(location.ok() && item.ok());
    if (!location.ok() || !item.ok()) return {0, 0};
    EXPECT_TRUE(inventory
                    .Receive(shop_id, {.item_id = item->id,
                                       .location_id = location->id,
                                       .quantity = 5,
                                       .reason = "initial",
                                       .actor = "staff:1"})
                    .ok());
    shipping::ShippingService shipping(db(), clock());
    auto zone = shipping.CreateZone(shop_id, {.name = "Austria", .destinations = {{.country = "AT"}}});
    EXPECT_TRUE(zone.ok());
    if (!zone.ok()) return {0, 0};
    auto rate = shipping.CreateRate(shop_id, zone->id,
                                    {.name = "Standard",
                                     .kind = shipping::RateKind::kFlat,
                                     .currency = "EUR",
                                     .price_minor = 500,
                                     .transit_min_days = 1,
                                     .transit_max_days = 3});
    EXPECT_TRUE(rate.ok());
    payments::TestPaymentProvider provider(db(), clock());
    payments::PaymentService payments(db(), clock(), {&provider}, &provider);
    FileMailer mailer(mail_dir(), "shop@plaza.local", clock());
    orders::OrderService orders(db(), clock(), inventory, shipping, payments, mailer);
    auto cart = orders.CreateCart(shop_id, {.country = "AT", .customer_id = customer_id});
    EXPECT_TRUE(cart.ok());
    if (!cart.ok() || !rate.ok()) return {0, 0};
    EXPECT_TRUE(orders.AddLine(shop_id, cart->token, {variant_id, 2}).ok());
    EXPECT_TRUE(orders.StartCheckout(shop_id, cart->token).ok());
    EXPECT_TRUE(orders.SetContact(shop_id, cart->token, "buyer@example.fr").ok());
    EXPECT_TRUE(orders
                    .SetShippingAddress(
                        shop_id, cart->token,
                        {.name = "Buyer", .line1 = "1 Gasse", .city = "Wien", .postal_code = "1010", .country = "AT"})
                    .ok());
    auto selected = orders.SelectShipping(shop_id, cart->token, rate->id);
    EXPECT_TRUE(selected.ok()) << (selected.ok() ? "" : selected.error().detail);
    auto order = orders.PlaceOrder(
        shop_id, cart->token,
        {.idempotency_key = "k",
         .payment = {.card_number = "4242424242424242", .exp_month = 12, .exp_year = 2030, .cvc = "123"}});
    EXPECT_TRUE(order.ok()) << (order.ok() ? "" : order.error().detail);
    if (!order.ok()) return {0, 0};
    EXPECT_TRUE(orders.Fulfil(shop_id, order->id, {{order->lines.at(0).id, 2}}).ok());
    auto requested = orders.RequestReturn(shop_id, customer_id, order->id, {{{order->lines.at(0).id, 1}}, "too big"});
    EXPECT_TRUE(requested.ok());
    return {order->id, requested.ok() ? requested->id : 0};
  }

  // A private group owned by the customer's profile, and an idea of theirs.
  std::pair<std::int64_t, std::int64_t> MakeGroupAndIdea(std::int64_t shop_id, std::int64_t customer_id,
                                                         const std::string& handle) {
    social::ProfileService profiles(db(), clock());
    social::NotificationService notifications(db(), clock());
    social::PostService posts(db(), clock(), notifications);
    catalog::CatalogService catalog(db(), clock());
    community::GroupService groups(db(), clock(), profiles, posts);
    moderation::ModerationService moderation(db(), clock());
    community::IdeaService ideas(db(), clock(), catalog, profiles, notifications, moderation);
    auto profile = profiles.CreateProfile(
        shop_id, {.handle = "member_" + handle, .display_name = "Member", .customer_id = customer_id});
    EXPECT_TRUE(profile.ok());
    if (!profile.ok()) return {0, 0};
    auto group = groups.CreateGroup(shop_id, profile->id,
                                    {.handle = "club", .name = "Club", .access = community::GroupAccess::kPrivate});
    auto idea = ideas.Submit(shop_id, profile->id, {.title = "A lamp", .description = "Made of paper."});
    EXPECT_TRUE(group.ok() && idea.ok());
    return {group.ok() ? group->id : 0, idea.ok() ? idea->id : 0};
  }

  ShopResources MakeShopWithResources(const std::string& handle) {
    ShopResources resources;
    resources.shop = CreateShop(handle);
    resources.owner = LogInStaff(resources.shop, resources.shop.owner_email, resources.shop.owner_password);
    auto staff = Call("POST", "/api/v1/shops/" + handle + "/staff-members", resources.owner,
                      R"({"email":"agent@)" + handle +
                          R"(.example","name":"Agent","roles":["support_agent"],"password":"agent-password-1"})");
    EXPECT_EQ(staff.status, 201) << staff.body;
    resources.ids["staff-members"] = std::to_string(staff.Json().at("id").as_int64());
    auto customer = identity().SignUpCustomer(
        resources.shop.id, {"buyer@" + handle + ".example", "Buyer", "buyer-password-1"}, "127.0.0.1");
    EXPECT_TRUE(customer.ok());
    resources.ids["customers"] = std::to_string(customer->principal.user_id);
    const auto [order_id, return_id] = MakeOrderAndReturn(resources.shop.id, customer->principal.user_id);
    resources.ids["orders"] = std::to_string(order_id);
    resources.ids["returns"] = std::to_string(return_id);
    auto token = Call("POST", "/api/v1/shops/" + handle + "/api-tokens", resources.owner,
                      R"({"name":"erp","scopes":["audit:read"]})");
    EXPECT_EQ(token.status, 201) << token.body;
    resources.ids["api-tokens"] = std::to_string(token.Json().at("id").as_int64());
    auto webhook = Call("POST", "/api/v1/shops/" + handle + "/webhooks", resources.owner,
                        R"({"url":"http://127.0.0.1:9/hook","event_types":["*"]})");
    EXPECT_EQ(webhook.status, 201) << webhook.body;
    resources.ids["webhooks"] = std::to_string(webhook.Json().at("id").as_int64());
    const std::string inventory = "/api/v1/shops/" + handle + "/inventory";
    auto location = Call("POST", inventory + "/locations", resources.owner, R"({"name":"Warehouse"})");
    EXPECT_EQ(location.status, 201) << location.body;
    resources.ids["inventory/locations"] = std::to_string(location.Json().at("id").as_int64());
    auto item = Call("POST", inventory + "/items", resources.owner, R"({"sku":"SKU-1"})");
    EXPECT_EQ(item.status, 201) << item.body;
    const std::string item_id = std::to_string(item.Json().at("id").as_int64());
    resources.ids["inventory/items"] = item_id;
    auto buffer = Call("POST", inventory + "/buffers", resources.owner,
                       R"({"item_id":)" + item_id + R"(,"channels":["meta"],"quantity":2})");
    EXPECT_EQ(buffer.status, 201) << buffer.body;
    resources.ids["inventory/buffers"] = std::to_string(buffer.Json().at("id").as_int64());
    // Variant ids belong to the catalog and differ between shops; any distinct id will do.
    const std::string variant_id = std::to_string(90000 + handle[0]);
    auto variant =
        Call("POST", inventory + "/variants", resources.owner,
             R"({"variant_id":)" + variant_id + R"(,"components":[{"item_id":)" + item_id + R"(,"quantity":1}]})");
    EXPECT_EQ(variant.status, 200) << variant.body;
    resources.ids["inventory/variants"] = variant_id;
    const std::string shipping = "/api/v1/shops/" + handle + "/shipping";
    auto zone =
        Call("POST", shipping + "/zones", resources.owner, R"({"name":"Home","destinations":[{"country":"FR"}]})");
    EXPECT_EQ(zone.status, 201) << zone.body;
    resources.ids["shipping/zones"] = std::to_string(zone.Json().at("id").as_int64());
    auto rate = Call("POST", shipping + "/zones/" + resources.ids["shipping/zones"] + "/rates", resources.owner,
                     R"({"name":"Standard","kind":"flat","currency":"EUR","price_minor":490,)"
                     R"("transit_min_days":2,"transit_max_days":4})");
    EXPECT_EQ(rate.status, 201) << rate.body;
    resources.ids["shipping/rates"] = std::to_string(rate.Json().at("id").as_int64());
    auto holiday = Call("POST", shipping + "/holidays", resources.owner, R"({"date":"2026-12-25"})");
    EXPECT_EQ(holiday.status, 201) << holiday.body;
    resources.ids["shipping/holidays"] = std::to_string(holiday.Json().at("id").as_int64());
    payments::TestPaymentProvider provider(db(), clock());
    payments::PaymentService payment_service(db(), clock(), {&provider}, &provider);
    auto payment =
        payment_service.Authorize(resources.shop.id, {"pay-" + handle, "ord-1", "test", "card", Money{1000, "EUR"},
                                                      payments::CardDetails{"4242424242424242", 12, 2099, "123"}});
    EXPECT_TRUE(payment.ok());
    resources.ids["payments"] = std::to_string(payment.ok() ? payment->id : 0);
    const std::string shop_path = "/api/v1/shops/" + handle;
    auto market = Call("POST", shop_path + "/markets", resources.owner,
                       R"({"handle":"eu","name":"Europe","countries":["FR","DE"],"currency":"EUR"})");
    EXPECT_EQ(market.status, 201) << market.body;
    resources.ids["markets"] = std::to_string(market.Json().at("id").as_int64());
    // Any variant id will do: prices name the catalog's variants without reading them.
    resources.params["variant_id"] = std::to_string(70000 + handle[0]);
    auto prices = Call("PUT", shop_path + "/markets/" + resources.ids["markets"] + "/prices", resources.owner,
                       R"({"prices":[{"variant_id":)" + resources.params["variant_id"] + R"(,"amount":1999}]})");
    EXPECT_EQ(prices.status, 200) << prices.body;
    auto tax_rate = Call("PUT", shop_path + "/markets/" + resources.ids["markets"] + "/tax-rates", resources.owner,
                         R"({"region":"FR","basis_points":2000,"name":"TVA"})");
    EXPECT_EQ(tax_rate.status, 200) << tax_rate.body;
    resources.params["rate_id"] = std::to_string(tax_rate.Json().at("id").as_int64());
    auto promotion = Call("POST", shop_path + "/promotions", resources.owner,
                          R"({"title":"Ten percent","kind":"percentage","percent_off":1000})");
    EXPECT_EQ(promotion.status, 201) << promotion.body;
    resources.ids["promotions"] = std::to_string(promotion.Json().at("id").as_int64());
    auto code = Call("POST", shop_path + "/promotions/" + resources.ids["promotions"] + "/codes", resources.owner,
                     R"({"code":"TEN)" + handle + R"("})");
    EXPECT_EQ(code.status, 201) << code.body;
    resources.params["code_id"] = std::to_string(code.Json().at("id").as_int64());
    auto product = Call("POST", shop_path + "/products", resources.owner,
                        R"({"title":"Shirt","status":"active","channels":["online_store"],"option_names":["Size"],)"
                        R"("variants":[{"option_values":["M"],"sku":"SHIRT-M"}]})");
    EXPECT_EQ(product.status, 201) << product.body;
    resources.ids["products"] = std::to_string(product.Json().at("id").as_int64());
    auto collection = Call("POST", shop_path + "/collections", resources.owner,
                           R"({"title":"Summer","product_ids":[)" + resources.ids["products"] + "]}");
    EXPECT_EQ(collection.status, 201) << collection.body;
    resources.ids["collections"] = std::to_string(collection.Json().at("id").as_int64());
    auto attribute = Call("POST", shop_path + "/attributes", resources.owner,
                          R"({"key":"material","name":"Material","type":"text"})");
    EXPECT_EQ(attribute.status, 201) << attribute.body;
    resources.ids["attributes"] = std::to_string(attribute.Json().at("id").as_int64());
    auto brand = Call("POST", shop_path + "/social/managed-profiles", resources.owner,
                      R"({"handle":"the_brand","display_name":"The Brand","kind":"brand"})");
    EXPECT_EQ(brand.status, 201) << brand.body;
    resources.ids["social/managed-profiles"] = std::to_string(brand.Json().at("id").as_int64());
    http::Headers image_headers = resources.owner.headers;
    image_headers.Set("Content-Type", "image/png");
    auto image = client().Send("POST", shop_path + "/media", media::testing::Png(40, 20), image_headers);
    EXPECT_TRUE(image.ok() && image->status == 201) << (image.ok() ? image->body : image.error().detail);
    resources.ids["media"] = image.ok() ? std::to_string(image->Json().at("id").as_int64()) : "0";
    auto rule = Call("POST", shop_path + "/moderation/rules", resources.owner, R"({"pattern":"spam","action":"hold"})");
    EXPECT_EQ(rule.status, 201) << rule.body;
    resources.ids["moderation/rules"] = std::to_string(rule.Json().at("id").as_int64());
    const auto [moderation_item, ban] = MakeModerationItemAndBan(resources.shop);
    resources.ids["moderation/queue"] = std::to_string(moderation_item);
    resources.ids["moderation/bans"] = std::to_string(ban);
    const Credentials reviewer = SignUpCustomer(resources.shop, "reviewer@" + handle + ".example");
    auto reviewer_profile = Call("POST", shop_path + "/customer/social/profile", reviewer,
                                 R"({"handle":"reviewer","display_name":"Reviewer"})");
    EXPECT_EQ(reviewer_profile.status, 201) << reviewer_profile.body;
    auto review = Call("POST", shop_path + "/customer/reviews", reviewer,
                       R"({"product_id":)" + resources.ids["products"] + R"(,"rating":4,"body":"Soft and warm"})");
    EXPECT_EQ(review.status, 201) << review.body;
    resources.ids["care/reviews"] = std::to_string(review.Json().at("id").as_int64());
    auto question = Call("POST", shop_path + "/customer/questions", reviewer,
                         R"({"product_id":)" + resources.ids["products"] + R"(,"text":"Does it shrink?"})");
    EXPECT_EQ(question.status, 201) << question.body;
    resources.ids["care/questions"] = std::to_string(question.Json().at("id").as_int64());
    const auto [group_id, idea_id] = MakeGroupAndIdea(resources.shop.id, customer->principal.user_id, handle);
    resources.ids["community/groups"] = std::to_string(group_id);
    resources.ids["community/ideas"] = std::to_string(idea_id);
    auto event = db().Read([&](store::Transaction& tx) {
      return tx.QueryOne("SELECT MAX(id) FROM outbox_events WHERE shop_id = ?", {resources.shop.id});
    });
    EXPECT_TRUE(event.ok() && *event);
    resources.event_id = std::to_string((**event).Int(0));
    return resources;
  }

  // `path` with {shop} and every id parameter filled from `ids_from`.
  static std::string Fill(std::string path, const std::string& shop_handle, const ShopResources& ids_from) {
    path = std::regex_replace(path, std::regex(R"(\{shop\})"), shop_handle);
    path = std::regex_replace(path, std::regex(R"(\{consumer\})"), "webhooks");
    path = std::regex_replace(path, std::regex(R"(\{event_id\})"), ids_from.event_id);
    for (const auto& [collection, id] : ids_from.ids) {
      path = std::regex_replace(path, std::regex("/" + collection + R"(/\{id\})"), "/" + collection + "/" + id);
    }
    for (const auto& [param, id] : ids_from.params) {
      path = std::regex_replace(path, std::regex(R"(\{)" + param + R"(\})"), id);
    }
    return path;
  }

  static std::string BodyFor(const std::string& method, const std::string& path) {
    if (method == "PATCH" && path.find("/staff-members/") != std::string::npos) return R"({"roles":["admin"]})";
    if (method == "PATCH" && path.find("/webhooks/") != std::string::npos) return R"({"active":false})";
    if (method == "PUT" && path.find("/customers/") != std::string::npos) return R"({"tags":["vip"]})";
    if (method == "POST" && path.find("/moderation/queue/") != std::string::npos) return R"({"action":"dismiss"})";
    // Valid bodies, so the foreign id is what gets refused.
    if (path.find("/care/reviews/") != std::string::npos) return R"({"text":"Thank you"})";
    if (path.ends_with("/answers") && path.find("/care/questions/") != std::string::npos) return R"({"text":"Yes"})";
    if (path.ends_with("/accept") && path.find("/care/questions/") != std::string::npos) return R"({"answer_id":1})";
    if (method == "PUT" && path.find("/vip") != std::string::npos) return R"({"customer_tag":"gold"})";
    if (method == "POST" && path.find("/decline") != std::string::npos) return R"({"reason":"not for us"})";
    if (method == "PUT" && path.find("/moderation/rules/") != std::string::npos) {
      return R"({"pattern":"other","action":"mask"})";
    }
    if (method == "POST" || method == "PATCH" || method == "PUT") return "{}";
    return {};
  }

  // Every documented operation reachable by staff or API tokens that names a resource.
  static std::vector<std::pair<std::string, std::string>> AdminRoutesWithIds() {
    std::vector<std::pair<std::string, std::string>> routes;
    for (const auto& [path, item] : api::OpenApiDocument().at("paths").as_object()) {
      if (std::string(path).find("{shop}") == std::string::npos) continue;
      for (const auto& [method, operation] : item.as_object()) {
        const std::string security = boost::json::serialize(operation.at("security"));
        if (security.find("staffSession") == std::string::npos) continue;
        std::string upper(method);
        for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        routes.emplace_back(upper, std::string(path));
      }
    }
    return routes;
  }
};

TEST_P(TenantIsolationTest, StaffOfAnotherShopGet404OnEveryRouteAndChangeNothing) {
  ShopResources a = MakeShopWithResources("alpha");
  ShopResources b = MakeShopWithResources("bravo");
  const auto routes = AdminRoutesWithIds();
  ASSERT_GE(routes.size(), 20u);
  int checked_by_foreign_id = 0;
  for (const auto& [method, pattern] : routes) {
    // Naming shop B in the path with A's session.
    const std::string foreign_shop = Fill(pattern, b.shop.handle, b);
    auto response = Call(method, foreign_shop, a.owner, BodyFor(method, pattern));
    EXPECT_EQ(response.status, 404) << method << " " << foreign_shop << " -> " << response.body;
    EXPECT_EQ(response.ProblemType(), "/problems/not-found") << method << " " << foreign_shop;
    // Naming B's resource ids under shop A.
    if (pattern.find("{id}") != std::string::npos || pattern.find("{event_id}") != std::string::npos) {
      const std::string foreign_id = Fill(pattern, a.shop.handle, b);
      auto by_id = Call(method, foreign_id, a.owner, BodyFor(method, pattern));
      EXPECT_EQ(by_id.status, 404) << method << " " << foreign_id << " -> " << by_id.body;
      ++checked_by_foreign_id;
    }
  }
  EXPECT_GE(checked_by_foreign_id, 10);
  // Recording a manual payment is walked too: another shop's order answers 404.
  EXPECT_NE(std::find(routes.begin(), routes.end(),
                      std::pair<std::string, std::string>("POST", "/api/v1/shops/{shop}/orders/{id}/mark-paid")),
            routes.end());

  // B is untouched: its staff member still has the same role, its token is not revoked,
  // its webhook is still active.
  auto staff = Call("GET", "/api/v1/shops/bravo/staff-members/" + b.ids["staff-members"], b.owner);
  ASSERT_EQ(staff.status, 200);
  EXPECT_EQ(staff.Json().at("roles").as_array().at(0).as_string(), "support_agent");
  EXPECT_FALSE(staff.Json().at("disabled").as_bool());
  auto tokens = Call("GET", "/api/v1/shops/bravo/api-tokens", b.owner);
  ASSERT_EQ(tokens.status, 200);
  EXPECT_FALSE(tokens.Json().at("api_tokens").as_array().at(0).at("revoked").as_bool());
  auto webhook = Call("GET", "/api/v1/shops/bravo/webhooks/" + b.ids["webhooks"], b.owner);
  ASSERT_EQ(webhook.status, 200);
  EXPECT_TRUE(webhook.Json().at("active").as_bool());
  EXPECT_EQ(Call("GET", "/api/v1/shops/bravo/products/" + b.ids["products"], b.owner).status, 200);
  EXPECT_EQ(Call("GET", "/api/v1/shops/bravo/collections/" + b.ids["collections"], b.owner).status, 200);
  auto rule = Call("GET", "/api/v1/shops/bravo/moderation/rules/" + b.ids["moderation/rules"], b.owner);
  ASSERT_EQ(rule.status, 200);
  EXPECT_EQ(rule.Json().at("pattern").as_string(), "spam");
  auto bans = Call("GET", "/api/v1/shops/bravo/moderation/bans", b.owner);
  ASSERT_EQ(bans.status, 200);
  EXPECT_EQ(bans.Json().at("bans").as_array().size(), 1u);
  auto item = Call("GET", "/api/v1/shops/bravo/moderation/queue/" + b.ids["moderation/queue"], b.owner);
  ASSERT_EQ(item.status, 200);
  EXPECT_EQ(item.Json().at("resolution").as_string(), "ban");
  auto reviews = Call("GET", "/api/v1/shops/bravo/care/reviews", b.owner);
  ASSERT_EQ(reviews.status, 200);
  EXPECT_TRUE(reviews.Json().at("reviews").as_array().at(0).at("reply").is_null());
  auto unanswered = Call("GET", "/api/v1/shops/bravo/care/questions/unanswered", b.owner);
  ASSERT_EQ(unanswered.status, 200);
  EXPECT_EQ(unanswered.Json().at("questions").as_array().size(), 1u);
}

TEST_P(TenantIsolationTest, ApiTokenOfAnotherShopGets404) {
  ShopResources a = MakeShopWithResources("alpha");
  ShopResources b = MakeShopWithResources("bravo");
  const Credentials token_a = ApiToken(a.shop, {"audit:read", "webhooks:write"});
  EXPECT_EQ(Call("GET", "/api/v1/shops/bravo/audit", token_a).status, 404);
  EXPECT_EQ(Call("GET", "/api/v1/shops/bravo/webhooks/" + b.ids["webhooks"], token_a).status, 404);
  EXPECT_EQ(Call("GET", "/api/v1/shops/alpha/webhooks/" + b.ids["webhooks"], token_a).status, 404);
  EXPECT_EQ(Call("GET", "/api/v1/shops/alpha/audit", token_a).status, 200);
}

TEST_P(TenantIsolationTest, CustomerSessionDoesNotCrossShops) {
  TestShop a = CreateShop("alpha");
  TestShop b = CreateShop("bravo");
  auto signed_up = client().PostJson("/api/v1/shops/alpha/customers",
                                     R"({"email":"ana@example.com","password":"ana-password-1","name":"Ana"})");
  ASSERT_TRUE(signed_up.ok());
  ASSERT_EQ(signed_up->status, 201) << signed_up->body;
  Credentials customer;
  customer.headers.Set("Cookie", "plaza_customer=" + SetCookieValue(signed_up->headers, "plaza_customer"));
  EXPECT_EQ(Call("GET", "/api/v1/shops/alpha/customers/me", customer).status, 200);
  EXPECT_EQ(Call("GET", "/api/v1/shops/bravo/customers/me", customer).status, 404);
  // A customer session is not a staff session.
  EXPECT_EQ(Call("GET", "/api/v1/shops/alpha/staff-members", customer).status, 401);
  (void)b;
}

INSTANTIATE_TEST_SUITE_P(Backends, TenantIsolationTest, ::testing::ValuesIn(TestBackends()), BackendName());

}  // namespace
}  // namespace plaza::testing
