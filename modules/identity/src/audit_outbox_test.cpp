// The audit header first, proving it is self-contained.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "identity_test_support.h"
#include "plaza/identity/audit.h"

namespace plaza::identity::testing {
namespace {

using AuditAndOutboxTest = IdentityTest;

struct StoredEvent {
  std::string event_type;
  std::string aggregate_id;
  std::string payload;
};

std::vector<StoredEvent> Events(store::Database& db, std::int64_t shop_id) {
  auto result = db.Read([&](store::Transaction& tx) {
    return tx.Execute("SELECT event_type, aggregate_id, payload FROM outbox_events WHERE shop_id = ? ORDER BY id",
                      {shop_id});
  });
  EXPECT_TRUE(result.ok()) << result.error().detail;
  std::vector<StoredEvent> events;
  if (!result.ok()) return events;
  for (const store::Row& row : result->rows) events.push_back({row.Text(0), row.Text(1), row.Text(2)});
  return events;
}

TEST_P(AuditAndOutboxTest, StaffMutationsAreAudited) {
  const CreatedShop shop = MakeShop("north-wind");
  const Principal owner = StaffPrincipal(shop.owner);
  auto agent = service_.CreateStaff(owner, shop.shop.id,
                                    {.email = "agent@x.example", .name = "Agent", .roles = {Role::kSupportAgent}});
  PLAZA_ASSERT_OK(agent);
  PLAZA_ASSERT_OK(service_.UpdateStaffRoles(owner, shop.shop.id, agent->staff.id, {Role::kModerator}));
  PLAZA_ASSERT_OK(service_.DisableStaff(owner, shop.shop.id, agent->staff.id));
  PLAZA_ASSERT_OK(service_.UpdateShopSettings(owner, shop.shop.id, {.require_staff_2fa = true}));

  auto page = service_.ListAudit(owner, shop.shop.id, std::nullopt, 50);
  PLAZA_ASSERT_OK(page);
  std::vector<std::string> actions;
  for (const AuditEntry& entry : page->entries) actions.push_back(entry.action);
  EXPECT_EQ(actions, (std::vector<std::string>{"shop.settings_updated", "staff.disabled", "staff.roles_updated",
                                               "staff.created", "staff.created", "shop.created"}));
  const AuditEntry& roles = page->entries[2];
  EXPECT_EQ(roles.actor, "staff:" + std::to_string(shop.owner.id));
  EXPECT_EQ(roles.target, "staff:" + std::to_string(agent->staff.id));
  EXPECT_EQ(roles.ip, "192.0.2.1");
  EXPECT_EQ(roles.at, clock_.Now());
  const auto details = boost::json::parse(roles.details_json).as_object();
  EXPECT_EQ(details.at("from").as_array().at(0).as_string(), "support_agent");
  EXPECT_EQ(details.at("to").as_array().at(0).as_string(), "moderator");
  EXPECT_EQ(page->entries.back().actor, "system");
  EXPECT_FALSE(page->next_cursor.has_value());
}

TEST_P(AuditAndOutboxTest, AuditPagesFollowTheCursor) {
  const CreatedShop shop = MakeShop("north-wind");
  const Principal owner = StaffPrincipal(shop.owner);
  for (int setting = 0; setting < 3; ++setting) {
    PLAZA_ASSERT_OK(service_.UpdateShopSettings(owner, shop.shop.id, {.require_staff_2fa = setting % 2 == 0}));
  }
  // Two rows from creating the shop and three updates: pages of two, two and one.
  std::vector<std::int64_t> ids;
  std::optional<std::string> cursor;
  int pages = 0;
  do {
    auto page = service_.ListAudit(owner, shop.shop.id, cursor, 2);
    PLAZA_ASSERT_OK(page);
    for (const AuditEntry& entry : page->entries) ids.push_back(entry.id);
    cursor = page->next_cursor;
    ++pages;
  } while (cursor && pages < 10);
  EXPECT_EQ(pages, 3);
  ASSERT_EQ(ids.size(), 5u);
  EXPECT_TRUE(std::is_sorted(ids.rbegin(), ids.rend()));
  EXPECT_EQ(std::adjacent_find(ids.begin(), ids.end()), ids.end());

  EXPECT_EQ(service_.ListAudit(owner, shop.shop.id, "abc", 2).error().type, "validation/cursor");
  EXPECT_EQ(service_.ListAudit(owner, shop.shop.id, "-4", 2).error().type, "validation/cursor");
  Principal marketer = owner;
  marketer.roles = {Role::kMarketer};
  EXPECT_EQ(service_.ListAudit(marketer, shop.shop.id, std::nullopt, 2).error().code, ErrorCode::kPermissionDenied);
}

TEST_P(AuditAndOutboxTest, AccountCreationAppendsEventsWithoutSecrets) {
  const CreatedShop shop = MakeShop("north-wind");
  auto invited = service_.CreateStaff(StaffPrincipal(shop.owner), shop.shop.id,
                                      {.email = "new@x.example", .name = "New", .roles = {Role::kMarketer}});
  PLAZA_ASSERT_OK(invited);
  auto customer = service_.SignUpCustomer(
      shop.shop.id, {.email = "ann@example.com", .name = "Ann", .password = "plum tree in bloom"}, "");
  PLAZA_ASSERT_OK(customer);

  const std::vector<StoredEvent> events = Events(db(), shop.shop.id);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].event_type, "staff.created");
  EXPECT_EQ(events[0].aggregate_id, std::to_string(shop.owner.id));
  EXPECT_EQ(events[1].event_type, "staff.created");
  EXPECT_EQ(events[2].event_type, "customer.created");
  EXPECT_EQ(events[2].aggregate_id, std::to_string(customer->principal.user_id));
  const auto payload = boost::json::parse(events[2].payload).as_object();
  EXPECT_EQ(payload.at("email").as_string(), "ann@example.com");
  for (const StoredEvent& event : events) {
    EXPECT_EQ(event.payload.find("password"), std::string::npos) << event.payload;
    EXPECT_EQ(event.payload.find("argon2"), std::string::npos) << event.payload;
    EXPECT_EQ(event.payload.find(*invited->invitation_token), std::string::npos) << event.payload;
  }
}

// Regression guard for dual writes: when anything after AppendEvent fails, the
// account and its event vanish together.
TEST_P(AuditAndOutboxTest, NoEventWhenTheTransactionFails) {
  const CreatedShop shop = MakeShop("north-wind");
  ASSERT_EQ(Events(db(), shop.shop.id).size(), 1u);
  // Writing the audit row is the last step of CreateStaff; without its table it fails.
  PLAZA_ASSERT_OK(db().Write([](store::Transaction& tx) -> Status {
    PLAZA_TRY(tx.Execute("DROP TABLE audit_log"));
    return Ok();
  }));
  const auto created = service_.CreateStaff(StaffPrincipal(shop.owner), shop.shop.id,
                                            {.email = "new@x.example", .name = "New", .roles = {Role::kMarketer}});
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(Events(db(), shop.shop.id).size(), 1u);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM staff_users WHERE shop_id = ?", {shop.shop.id}), 1);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM password_reset_tokens WHERE shop_id = ?", {shop.shop.id}), 0);
}

TEST_P(AuditAndOutboxTest, DuplicateSignUpAppendsNoEvent) {
  const CreatedShop shop = MakeShop("north-wind");
  PLAZA_ASSERT_OK(service_.SignUpCustomer(
      shop.shop.id, {.email = "ann@example.com", .name = "Ann", .password = "plum tree in bloom"}, ""));
  const auto again = service_.SignUpCustomer(
      shop.shop.id, {.email = "ANN@example.com", .name = "Ann", .password = "plum tree in bloom"}, "");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().type, "identity/email-taken");
  EXPECT_EQ(Events(db(), shop.shop.id).size(), 2u);  // the owner and the first sign-up
}

TEST_P(AuditAndOutboxTest, OtherModulesAppendInTheirTransaction) {
  const CreatedShop shop = MakeShop("north-wind");
  const Principal owner = StaffPrincipal(shop.owner);
  auto id = db().Write([&](store::Transaction& tx) {
    return AppendAudit(tx, AuditBy(owner, "webhooks.subscription_created", "webhook:1", "", clock_.Now()));
  });
  PLAZA_ASSERT_OK(id);
  auto page = service_.ListAudit(owner, shop.shop.id, std::nullopt, 1);
  PLAZA_ASSERT_OK(page);
  ASSERT_EQ(page->entries.size(), 1u);
  EXPECT_EQ(page->entries[0].id, *id);
  EXPECT_EQ(page->entries[0].details_json, "{}");
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditAndOutboxTest, ::testing::ValuesIn(plaza::testing::TestBackends()),
                         plaza::testing::BackendName());

}  // namespace
}  // namespace plaza::identity::testing
