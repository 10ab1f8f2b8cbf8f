// Customer tags over HTTP: staff set them, and a promotion that requires a tag applies to
// a tagged customer's cart only — not to a guest's, nor to an untagged customer's.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "plaza/promotions/promotions.h"
#include "plaza_test/server_fixture.h"

namespace plaza::testing {
namespace {

class CustomerTagsHttpTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    shop_ = CreateShop("tagged");
    owner_ = LogInStaff(shop_, shop_.owner_email, shop_.owner_password);
    variant_id_ = SellInFrance(shop_, {.title = "Scarf",
                                       .sku = "SCARF-1",
                                       .weight_grams = 200,
                                       .price_minor = 10000,
                                       .stock = 10,
                                       .location = "Lyon",
                                       .rate_name = "Standard",
                                       .shipping_minor = 0,
                                       .transit_min_days = 2,
                                       .transit_max_days = 4})
                      .variant_id;
    promotions::PromotionService promotions(db(), clock());
    auto promotion = promotions.Create(shop_.id, {.title = "VIP 10%",
                                                  .kind = promotions::PromotionKind::kPercentage,
                                                  .automatic = true,
                                                  .percent_off = 1000,
                                                  .customer_tags = {"VIP"}});
    ASSERT_TRUE(promotion.ok()) << promotion.error().type << ": " << promotion.error().detail;
  }

  // A cart holding one scarf; with `customer`, merged into that customer's account.
  boost::json::object CartFor(const Credentials* customer) {
    const std::string base = "/api/v1/shops/" + shop_.handle;
    auto cart = client().PostJson(base + "/carts", R"({"country":"FR"})");
    EXPECT_TRUE(cart.ok() && cart->status == 201);
    if (!cart.ok() || cart->status != 201) return {};
    const std::string token(cart->Json().at("token").as_string());
    auto line = client().PostJson(base + "/carts/" + token + "/lines",
                                  R"({"variant_id":)" + std::to_string(variant_id_) + R"(,"quantity":1})");
    EXPECT_TRUE(line.ok() && line->status == 200) << (line.ok() ? line->body : "");
    if (!customer) return line.ok() ? line->Json().as_object() : boost::json::object{};
    auto merged = Call("POST", base + "/customer/carts/merge", *customer, R"({"token":")" + token + R"("})");
    EXPECT_EQ(merged.status, 200) << merged.body;
    return merged.status == 200 ? merged.Json().as_object() : boost::json::object{};
  }

  TestShop shop_;
  Credentials owner_;
  std::int64_t variant_id_ = 0;
};

TEST_P(CustomerTagsHttpTest, TagOnlyPromotionReachesTaggedCustomersOnly) {
  const Credentials vip = SignUpCustomer(shop_, "vip@example.fr");
  const Credentials plain = SignUpCustomer(shop_, "plain@example.fr");
  const std::string tags_path = "/api/v1/shops/tagged/customers/" + std::to_string(vip.user_id) + "/tags";

  auto set = Call("PUT", tags_path, owner_, R"({"tags":["  vip ","Early access"]})");
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_EQ(boost::json::serialize(set.Json().at("tags")), R"(["Early access","vip"])");
  auto read = Call("GET", tags_path, owner_);
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(boost::json::serialize(read.Json().at("tags")), R"(["Early access","vip"])");
  auto record = Call("GET", "/api/v1/shops/tagged/customers/me", vip);
  ASSERT_EQ(record.status, 200) << record.body;
  EXPECT_EQ(boost::json::serialize(record.Json().at("tags")), R"(["Early access","vip"])");

  const auto vip_cart = CartFor(&vip);
  ASSERT_FALSE(vip_cart.empty());
  EXPECT_EQ(vip_cart.at("discounts").as_array().size(), 1u) << boost::json::serialize(vip_cart);
  EXPECT_EQ(vip_cart.at("discount_total").as_int64(), 1000);

  const auto plain_cart = CartFor(&plain);
  ASSERT_FALSE(plain_cart.empty());
  EXPECT_TRUE(plain_cart.at("discounts").as_array().empty()) << boost::json::serialize(plain_cart);
  EXPECT_EQ(plain_cart.at("discount_total").as_int64(), 0);

  const auto guest_cart = CartFor(nullptr);
  ASSERT_FALSE(guest_cart.empty());
  EXPECT_TRUE(guest_cart.at("discounts").as_array().empty()) << boost::json::serialize(guest_cart);

  // Removing the tag ends the discount on the next pricing.
  ASSERT_EQ(Call("PUT", tags_path, owner_, R"({"tags":["Early access"]})").status, 200);
  const auto untagged = CartFor(&vip);
  ASSERT_FALSE(untagged.empty());
  EXPECT_TRUE(untagged.at("discounts").as_array().empty()) << boost::json::serialize(untagged);
}

TEST_P(CustomerTagsHttpTest, BadTagsArePreciseProblemsAndNeedPermission) {
  const Credentials buyer = SignUpCustomer(shop_, "buyer@example.fr");
  const std::string tags_path = "/api/v1/shops/tagged/customers/" + std::to_string(buyer.user_id) + "/tags";
  auto duplicate = Call("PUT", tags_path, owner_, R"({"tags":["VIP","wholesale"," vip"]})");
  EXPECT_EQ(duplicate.status, 422) << duplicate.body;
  EXPECT_NE(duplicate.body.find("identity/duplicate-tag"), std::string::npos) << duplicate.body;
  EXPECT_NE(duplicate.body.find("/tags/2"), std::string::npos) << duplicate.body;
  auto empty = Call("PUT", tags_path, owner_, R"({"tags":["ok","   "]})");
  EXPECT_EQ(empty.status, 422) << empty.body;
  EXPECT_NE(empty.body.find("/tags/1"), std::string::npos) << empty.body;
  auto too_long = Call("PUT", tags_path, owner_, R"({"tags":[")" + std::string(101, 'x') + R"("]})");
  EXPECT_EQ(too_long.status, 422) << too_long.body;
  std::string many = R"({"tags":[)";
  for (int i = 0; i < 51; ++i) many += (i ? ",\"t" : "\"t") + std::to_string(i) + "\"";
  auto too_many = Call("PUT", tags_path, owner_, many + "]}");
  EXPECT_EQ(too_many.status, 422) << too_many.body;
  EXPECT_NE(too_many.body.find("identity/too-many-tags"), std::string::npos) << too_many.body;

  const Credentials marketer = StaffWithRoles(shop_, "m@tagged.example", {identity::Role::kMarketer});
  EXPECT_EQ(Call("PUT", tags_path, marketer, R"({"tags":["vip"]})").status, 403);
  const Credentials agent = StaffWithRoles(shop_, "a@tagged.example", {identity::Role::kSupportAgent});
  EXPECT_EQ(Call("PUT", tags_path, agent, R"({"tags":["vip"]})").status, 200);
  EXPECT_NE(Call("PUT", tags_path, buyer, R"({"tags":["vip"]})").status, 200);
  auto read = Call("GET", tags_path, owner_);
  EXPECT_EQ(boost::json::serialize(read.Json().at("tags")), R"(["vip"])");
}

INSTANTIATE_TEST_SUITE_P(Backends, CustomerTagsHttpTest, ::testing::ValuesIn(TestBackends()), BackendName());

}  // namespace
}  // namespace plaza::testing
