// Customer tags: normalised, unique ignoring case, bounded, audited, and visible to
// checkout through CustomerTags inside its own transaction.
#include <gtest/gtest.h>

#include "identity_test_support.h"
#include "plaza/identity/identity_service.h"

namespace plaza::identity::testing {
namespace {

using CustomerTagsTest = IdentityTest;

TEST_P(CustomerTagsTest, TagsAreTrimmedSortedAndReplaced) {
  const CreatedShop shop = MakeShop("tags");
  auto buyer = service_.SignUpCustomer(shop.shop.id, {"buyer@tags.example", "Buyer", kOtherPassword}, "192.0.2.9");
  ASSERT_TRUE(buyer.ok());
  const std::int64_t customer_id = buyer->principal.user_id;
  const Principal owner = StaffPrincipal(shop.owner);

  auto set = service_.SetCustomerTags(owner, shop.shop.id, customer_id, {" wholesale", "VIP  ", "Early"});
  PLAZA_ASSERT_OK(set);
  EXPECT_EQ(set->tags, (std::vector<std::string>{"Early", "VIP", "wholesale"}));
  auto read = service_.GetCustomer(owner, shop.shop.id, customer_id);
  PLAZA_ASSERT_OK(read);
  EXPECT_EQ(read->tags, set->tags);
  auto in_tx = db().Read([&](store::Transaction& tx) { return CustomerTags(tx, shop.shop.id, customer_id); });
  PLAZA_ASSERT_OK(in_tx);
  EXPECT_EQ(*in_tx, set->tags);

  PLAZA_ASSERT_OK(service_.SetCustomerTags(owner, shop.shop.id, customer_id, {"vip"}));
  EXPECT_EQ(service_.GetCustomer(owner, shop.shop.id, customer_id)->tags, (std::vector<std::string>{"vip"}));
  PLAZA_ASSERT_OK(service_.SetCustomerTags(owner, shop.shop.id, customer_id, {}));
  EXPECT_TRUE(service_.GetCustomer(owner, shop.shop.id, customer_id)->tags.empty());

  auto audit = service_.ListAudit(owner, shop.shop.id, std::nullopt, 50);
  PLAZA_ASSERT_OK(audit);
  int changes = 0;
  for (const AuditEntry& entry : audit->entries) changes += entry.action == "customer.tags_changed" ? 1 : 0;
  EXPECT_EQ(changes, 3);
}

TEST_P(CustomerTagsTest, BadTagsNamePreciseFieldsAndWriteNothing) {
  const CreatedShop shop = MakeShop("badtags");
  auto buyer = service_.SignUpCustomer(shop.shop.id, {"buyer@bad.example", "Buyer", kOtherPassword}, "192.0.2.9");
  ASSERT_TRUE(buyer.ok());
  const std::int64_t customer_id = buyer->principal.user_id;
  const Principal owner = StaffPrincipal(shop.owner);
  PLAZA_ASSERT_OK(service_.SetCustomerTags(owner, shop.shop.id, customer_id, {"keep"}));

  struct Case {
    std::vector<std::string> tags;
    std::string type;
    std::string field;
  };
  std::vector<std::string> many;
  for (std::size_t i = 0; i <= kMaxCustomerTags; ++i) many.push_back("t" + std::to_string(i));
  const std::vector<Case> cases = {
      {{"a", "B", " b "}, "identity/duplicate-tag", "/tags/2"},
      {{"a", " \t "}, "identity/invalid-tag", "/tags/1"},
      {{std::string(kMaxCustomerTagLength + 1, 'x')}, "identity/invalid-tag", "/tags/0"},
      {{"ok", "line\nbreak"}, "identity/invalid-tag", "/tags/1"},
      {{"\xff\xfe"}, "identity/invalid-tag", "/tags/0"},
      {many, "identity/too-many-tags", "/tags"},
  };
  for (const Case& bad : cases) {
    auto result = service_.SetCustomerTags(owner, shop.shop.id, customer_id, bad.tags);
    ASSERT_FALSE(result.ok()) << bad.type;
    EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(result.error().type, bad.type);
    EXPECT_EQ(result.error().field, bad.field) << bad.type;
  }
  // 100 characters of multi-byte text is within the limit.
  std::string accented;
  for (std::size_t i = 0; i < kMaxCustomerTagLength; ++i) accented += "\xc3\xa9";
  PLAZA_ASSERT_OK(service_.SetCustomerTags(owner, shop.shop.id, customer_id, {accented}));
  PLAZA_ASSERT_OK(service_.SetCustomerTags(owner, shop.shop.id, customer_id, {"keep"}));
  EXPECT_EQ(service_.GetCustomer(owner, shop.shop.id, customer_id)->tags, (std::vector<std::string>{"keep"}));
}

TEST_P(CustomerTagsTest, NeedsCustomersManageAndTheShopsOwnCustomer) {
  const CreatedShop shop = MakeShop("permtags");
  const CreatedShop other = MakeShop("othertags");
  auto buyer = service_.SignUpCustomer(shop.shop.id, {"buyer@perm.example", "Buyer", kOtherPassword}, "192.0.2.9");
  ASSERT_TRUE(buyer.ok());
  const std::int64_t customer_id = buyer->principal.user_id;
  const StaffMember moderator = MakeStaff(shop, "mod@perm.example", {Role::kModerator});
  auto denied = service_.SetCustomerTags(StaffPrincipal(moderator), shop.shop.id, customer_id, {"vip"});
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error().code, ErrorCode::kPermissionDenied);
  auto self = service_.SetCustomerTags(buyer->principal, shop.shop.id, customer_id, {"vip"});
  ASSERT_FALSE(self.ok());
  // Another shop's owner naming this customer under their own shop finds nothing.
  auto foreign = service_.SetCustomerTags(StaffPrincipal(other.owner), other.shop.id, customer_id, {"vip"});
  ASSERT_FALSE(foreign.ok());
  EXPECT_EQ(foreign.error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(service_.GetCustomer(StaffPrincipal(shop.owner), shop.shop.id, customer_id)->tags.empty());
}

TEST_P(CustomerTagsTest, SystemTagIsGivenAndTakenOnceAuditedAsSystem) {
  const CreatedShop shop = MakeShop("systags");
  const CreatedShop other = MakeShop("othersys");
  auto buyer = service_.SignUpCustomer(shop.shop.id, {"buyer@sys.example", "Buyer", kOtherPassword}, "192.0.2.9");
  ASSERT_TRUE(buyer.ok());
  const std::int64_t customer_id = buyer->principal.user_id;
  const Principal owner = StaffPrincipal(shop.owner);
  PLAZA_ASSERT_OK(service_.SetCustomerTags(owner, shop.shop.id, customer_id, {"keep"}));
  auto set = [&](std::int64_t shop_id, std::string_view tag, bool present) {
    return db().Write([&](store::Transaction& tx) {
      return SetSystemCustomerTag(tx, shop_id, customer_id, tag, present, "member of group 7", FromUnixMillis(1));
    });
  };
  auto given = set(shop.shop.id, " Insider ", true);
  PLAZA_ASSERT_OK(given);
  EXPECT_TRUE(*given);
  auto again = set(shop.shop.id, "INSIDER", true);
  PLAZA_ASSERT_OK(again);
  EXPECT_FALSE(*again);
  EXPECT_EQ(service_.GetCustomer(owner, shop.shop.id, customer_id)->tags,
            (std::vector<std::string>{"Insider", "keep"}));
  auto taken = set(shop.shop.id, "insider", false);
  PLAZA_ASSERT_OK(taken);
  EXPECT_TRUE(*taken);
  EXPECT_EQ(service_.GetCustomer(owner, shop.shop.id, customer_id)->tags, (std::vector<std::string>{"keep"}));
  EXPECT_EQ(set(shop.shop.id, "bad\ntag", true).error().type, "identity/invalid-tag");
  EXPECT_EQ(set(other.shop.id, "insider", true).error().code, ErrorCode::kNotFound);

  auto audit = service_.ListAudit(owner, shop.shop.id, std::nullopt, 50);
  PLAZA_ASSERT_OK(audit);
  int system_changes = 0;
  for (const AuditEntry& entry : audit->entries) {
    if (entry.actor == "system" && entry.action == "customer.tags_changed") {
      ++system_changes;
      EXPECT_NE(entry.details_json.find("member of group 7"), std::string::npos);
    }
  }
  EXPECT_EQ(system_changes, 2);
}

INSTANTIATE_TEST_SUITE_P(Backends, CustomerTagsTest, ::testing::ValuesIn(plaza::testing::TestBackends()),
                         plaza::testing::BackendName());

}  // namespace
}  // namespace plaza::identity::testing
