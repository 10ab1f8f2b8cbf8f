#pragma once
// A fixture for the moderation tests: a database with the store, identity and moderation
// schemas, a manual clock, staff principals, and a content owner over a small table of
// its own, so visibility changes happen in the moderation transaction as in production.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "plaza/identity/migrations.h"
#include "plaza/moderation/migrations.h"
#include "plaza/moderation/moderation.h"
#include "plaza/store/migrations.h"
#include "plaza/store/store_migrations.h"
#include "plaza_test/databases.h"

namespace plaza::moderation::testing {

inline constexpr std::int64_t kShop = 1;
inline constexpr std::int64_t kOtherShop = 2;

inline store::MigrationSet TestContentMigrations() {
  return {"moderation_test_content",
          {{1, "content for the tests",
            "CREATE TABLE test_content (\n"
            "  id {{pk}},\n"
            "  shop_id BIGINT NOT NULL,\n"
            "  author BIGINT NOT NULL,\n"
            "  body TEXT NOT NULL,\n"
            "  visibility TEXT NOT NULL,\n"
            "  created_at BIGINT NOT NULL\n"
            ");\n"}}};
}

// Owns ContentKind::kPost (and any kind it is registered for) in test_content.
class TableOwner final : public ContentOwner {
 public:
  Result<ContentSummary> Describe(store::Transaction& tx, std::int64_t shop_id, ContentRef ref) override {
    PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT author, body, visibility, created_at FROM test_content "
                                                 "WHERE shop_id = ? AND id = ?",
                                                 {shop_id, ref.id}));
    if (!row) return Error::NotFound("no such content");
    return ContentSummary{row->Int(0), row->Text(1), *ParseVisibility(row->Text(2)), FromUnixMillis(row->Int(3))};
  }
  Status SetVisibility(store::Transaction& tx, std::int64_t shop_id, ContentRef ref, Visibility visibility) override {
    if (fail_next_set) {
      fail_next_set = false;
      return Error::Internal("the owner refused");
    }
    PLAZA_ASSIGN_OR_RETURN(auto result,
                           tx.Execute("UPDATE test_content SET visibility = ? WHERE shop_id = ? AND id = ?",
                                      {VisibilityName(visibility), shop_id, ref.id}));
    if (result.affected_rows == 0) return Error::NotFound("no such content");
    return Ok();
  }
  bool fail_next_set = false;
};

class ModerationTest : public ::testing::TestWithParam<std::string> {
 protected:
  ModerationTest() : test_db_(GetParam()), clock_(FromUnixMillis(1'800'000'000'000)), service_(db(), clock_) {}

  void SetUp() override {
    const Status migrated =
        store::Migrate(db(), std::vector<store::MigrationSet>{store::StoreMigrations(), identity::IdentityMigrations(),
                                                              ModerationMigrations(), TestContentMigrations()});
    ASSERT_TRUE(migrated.ok()) << migrated.error().detail;
    // The audit log refers to real shops; ids 1 and 2 are kShop and kOtherShop.
    const Status shops = db().Write([&](store::Transaction& tx) -> Status {
      for (const char* handle : {"one", "two"}) {
        PLAZA_TRY(tx.Execute("INSERT INTO shops (handle, name, created_at) VALUES (?, ?, 0)", {handle, handle}));
      }
      return Ok();
    });
    ASSERT_TRUE(shops.ok()) << shops.error().detail;
    service_.RegisterOwner(ContentKind::kPost, owner_);
  }

  store::Database& db() { return test_db_.db(); }

  static identity::Principal Staff(std::int64_t shop = kShop,
                                   std::vector<identity::Role> roles = {identity::Role::kModerator}) {
    identity::Principal principal;
    principal.kind = identity::PrincipalKind::kStaff;
    principal.shop_id = shop;
    principal.user_id = 7;
    principal.roles = std::move(roles);
    principal.session_id = 1;
    principal.ip = "192.0.2.1";
    return principal;
  }

  ContentRef Post(std::int64_t author, const std::string& body, Visibility visibility = Visibility::kVisible,
                  std::int64_t shop = kShop) {
    auto id = db().Write([&](store::Transaction& tx) -> Result<std::int64_t> {
      PLAZA_ASSIGN_OR_RETURN(auto row,
                             tx.QueryOne("INSERT INTO test_content (shop_id, author, body, visibility, "
                                         "created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
                                         {shop, author, body, VisibilityName(visibility), ToUnixMillis(clock_.Now())}));
      return row->Int(0);
    });
    EXPECT_TRUE(id.ok()) << id.error().detail;
    return {ContentKind::kPost, id.ok() ? *id : 0};
  }

  Visibility VisibilityOf(ContentRef ref, std::int64_t shop = kShop) {
    auto summary = db().Read([&](store::Transaction& tx) { return owner_.Describe(tx, shop, ref); });
    EXPECT_TRUE(summary.ok());
    return summary.ok() ? summary->visibility : Visibility::kVisible;
  }

  Status Admit(std::int64_t profile, Activity activity, ActivityShape shape = {}, std::int64_t shop = kShop) {
    return db().Write(
        [&](store::Transaction& tx) { return service_.AdmitActivity(tx, shop, profile, activity, shape); });
  }

  Result<Screening> Screen(const std::string& text, std::int64_t shop = kShop) {
    return db().Write([&](store::Transaction& tx) { return service_.ScreenText(tx, shop, text); });
  }

  KeywordRule Rule(const std::string& pattern, RuleAction action = RuleAction::kMask, std::int64_t shop = kShop) {
    auto rule = service_.CreateRule(Staff(shop), shop, {pattern, action});
    EXPECT_TRUE(rule.ok()) << rule.error().detail;
    return rule.ok() ? *rule : KeywordRule{};
  }

  std::int64_t Count(const std::string& sql, std::initializer_list<store::Param> params) {
    auto result = db().Read([&](store::Transaction& tx) -> Result<std::int64_t> {
      PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne(sql, params));
      return row->Int(0);
    });
    EXPECT_TRUE(result.ok());
    return result.ok() ? *result : -1;
  }

  plaza::testing::TestDatabase test_db_;
  ManualClock clock_;
  TableOwner owner_;
  ModerationService service_;
};

}  // namespace plaza::moderation::testing
