#include "plaza/social/profiles.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include "plaza/social/feeds_migrations.h"
#include "plaza/social/migrations.h"
#include "plaza/store/migrations.h"
#include "plaza/store/store_migrations.h"
#include "plaza_test/databases.h"

namespace plaza::social {
namespace {

constexpr std::int64_t kShop = 1;
constexpr std::int64_t kOtherShop = 2;

class ProfileServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  ProfileServiceTest() : test_db_(GetParam()), clock_(FromUnixMillis(1'700'000'000'000)), service_(db(), clock_) {}

  void SetUp() override {
    const Status migrated = store::Migrate(
        db(), std::vector<store::MigrationSet>{store::StoreMigrations(), SocialMigrations(), SocialFeedsMigrations()});
    ASSERT_TRUE(migrated.ok()) << migrated.error().detail;
  }

  store::Database& db() { return test_db_.db(); }

  Profile Make(const std::string& handle, bool is_private = false, std::int64_t shop = kShop) {
    NewProfile input;
    input.handle = handle;
    input.display_name = "Name of " + handle;
    input.bio = "bio of " + handle;
    input.links = {"https://example.com/" + handle};
    input.is_private = is_private;
    auto created = service_.CreateProfile(shop, input);
    EXPECT_TRUE(created.ok()) << created.error().detail;
    return created.ok() ? *created : Profile{};
  }

  Profile Reload(const Profile& profile) { return *service_.GetProfile(profile.shop_id, profile.id); }

  std::int64_t CountRows(const std::string& sql, std::int64_t id) {
    auto result = db().Read([&](store::Transaction& tx) -> Result<std::int64_t> {
      PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne(sql, {kShop, id}));
      return row->Int(0);
    });
    EXPECT_TRUE(result.ok());
    return result.ok() ? *result : -1;
  }

  std::int64_t EventCount(const std::string& event_type) {
    auto result = db().Read([&](store::Transaction& tx) -> Result<std::int64_t> {
      PLAZA_ASSIGN_OR_RETURN(auto row,
                             tx.QueryOne("SELECT COUNT(*) FROM outbox_events WHERE event_type = ?", {event_type}));
      return row->Int(0);
    });
    EXPECT_TRUE(result.ok()) << result.error().detail;
    return result.ok() ? *result : -1;
  }

  plaza::testing::TestDatabase test_db_;
  ManualClock clock_;
  ProfileService service_;
};

TEST_P(ProfileServiceTest, HandlesAreUniqueIgnoringCaseAndKeepTheirSpelling) {
  const Profile ada = Make("Ada.Lovelace");
  EXPECT_EQ(ada.handle, "Ada.Lovelace");
  NewProfile clash{.handle = "ada.LOVELACE", .display_name = "Other"};
  auto created = service_.CreateProfile(kShop, clash);
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().type, "social/handle-taken");
  // Another shop has its own namespace.
  EXPECT_TRUE(service_.CreateProfile(kOtherShop, clash).ok());
  auto view = service_.ViewProfile(kShop, "ADA.lovelace", std::nullopt);
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->profile.id, ada.id);
}

TEST_P(ProfileServiceTest, GetProfilesReadsAListInItsOrderAndOnlyFromTheShop) {
  const Profile ada = Make("ada");
  const Profile bob = Make("bob");
  const Profile cat = Make("cat");
  const Profile elsewhere = Make("dan", false, kOtherShop);
  auto profiles = service_.GetProfiles(kShop, {cat.id, ada.id, 999'999, elsewhere.id, cat.id, bob.id});
  ASSERT_TRUE(profiles.ok()) << profiles.error().detail;
  std::vector<std::string> handles;
  for (const Profile& profile : *profiles) handles.push_back(profile.handle);
  EXPECT_EQ(handles, (std::vector<std::string>{"cat", "ada", "bob"}));
  auto none = service_.GetProfiles(kShop, {});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_P(ProfileServiceTest, OneProfilePerCustomer) {
  NewProfile first{.handle = "first", .display_name = "First", .customer_id = 7};
  ASSERT_TRUE(service_.CreateProfile(kShop, first).ok());
  NewProfile second{.handle = "second", .display_name = "Second", .customer_id = 7};
  auto created = service_.CreateProfile(kShop, second);
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().type, "social/customer-has-profile");
  auto mine = service_.ProfileOfCustomer(kShop, 7);
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ(mine->handle, "first");
  EXPECT_EQ(service_.ProfileOfCustomer(kOtherShop, 7).error().code, ErrorCode::kNotFound);
}

TEST_P(ProfileServiceTest, RejectsHostileHandlesWithPreciseErrors) {
  struct Case {
    std::string handle;
    std::string type;
    std::string detail_part;
  };
  const std::vector<Case> cases = {
      {"ad\xE2\x80\x8B"
       "a",
       "social/invalid-handle", "invisible character U+200B at position 3"},
      {"\xEF\xBB\xBF"
       "bom",
       "social/invalid-handle", "invisible character U+FEFF at position 1"},
      {std::string(31, 'a'), "social/handle-length", "this one has 31"},
      {"ab", "social/handle-length", "this one has 2"},
      {"has space", "social/invalid-handle", "U+0020 at position 4"},
      {"<script>", "social/invalid-handle", "U+003C at position 1"},
      {"caf\xC3\xA9", "social/invalid-handle", "U+00E9 at position 4"},
      {".dot", "social/invalid-handle", "start or end with '.'"},
      {"a..b", "social/invalid-handle", "two '.' in a row"},
      {"bad\xFF", "validation/utf8", "not valid UTF-8"},
  };
  for (const Case& test : cases) {
    auto created = service_.CreateProfile(kShop, {.handle = test.handle, .display_name = "X"});
    ASSERT_FALSE(created.ok()) << test.handle;
    EXPECT_EQ(created.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(created.error().type, test.type) << test.handle;
    EXPECT_EQ(created.error().field, "/handle");
    EXPECT_NE(created.error().detail.find(test.detail_part), std::string::npos) << created.error().detail;
  }
}

TEST_P(ProfileServiceTest, RejectsInvisibleCharactersOverlongTextsAndBadLinks) {
  auto invisible = service_.CreateProfile(kShop, {.handle = "ok_name",
                                                  .display_name = "Br\xE2\x80\x8B"
                                                                  "and"});
  ASSERT_FALSE(invisible.ok());
  EXPECT_EQ(invisible.error().type, "social/invisible-character");
  EXPECT_EQ(invisible.error().field, "/display_name");
  auto override_in_bio =
      service_.CreateProfile(kShop, {.handle = "ok_name", .display_name = "A", .bio = "x\xE2\x80\xAEgnp.exe"});
  ASSERT_FALSE(override_in_bio.ok());
  EXPECT_EQ(override_in_bio.error().type, "social/invisible-character");
  EXPECT_EQ(override_in_bio.error().field, "/bio");
  auto long_bio =
      service_.CreateProfile(kShop, {.handle = "ok_name", .display_name = "A", .bio = std::string(501, 'b')});
  ASSERT_FALSE(long_bio.ok());
  EXPECT_EQ(long_bio.error().type, "validation/too-long");
  auto control = service_.CreateProfile(kShop, {.handle = "ok_name", .display_name = "A\x07"});
  ASSERT_FALSE(control.ok());
  EXPECT_EQ(control.error().type, "social/control-character");
  auto empty_name = service_.CreateProfile(kShop, {.handle = "ok_name", .display_name = ""});
  ASSERT_FALSE(empty_name.ok());
  EXPECT_EQ(empty_name.error().field, "/display_name");

  const std::vector<std::string> bad_links = {"javascript:alert(1)",
                                              "ftp://example.com",
                                              "https://",
                                              "https://brand.example@evil.example/",
                                              "https://exa mple.com",
                                              "https://example.com/" + std::string(kMaxUrlLength, 'a')};
  for (const std::string& link : bad_links) {
    auto created =
        service_.CreateProfile(kShop, {.handle = "ok_name", .display_name = "A", .links = {"https://a.example", link}});
    ASSERT_FALSE(created.ok()) << link;
    EXPECT_EQ(created.error().field, "/links/1") << link;
  }
  auto too_many = service_.CreateProfile(
      kShop, {.handle = "ok_name", .display_name = "A", .links = std::vector<std::string>(6, "https://a.example")});
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.error().type, "social/too-many-links");
  auto bad_avatar = service_.CreateProfile(kShop, {.handle = "ok_name", .display_name = "A", .avatar_url = "data:x"});
  ASSERT_FALSE(bad_avatar.ok());
  EXPECT_EQ(bad_avatar.error().field, "/avatar_url");
}

TEST_P(ProfileServiceTest, HtmlInTheBioIsStoredAsWritten) {
  const std::string bio = "<script>alert('x')</script> & <b>bold</b>\nsecond line";
  auto created = service_.CreateProfile(kShop, {.handle = "html", .display_name = "<i>Name</i>", .bio = bio});
  ASSERT_TRUE(created.ok()) << created.error().detail;
  EXPECT_EQ(Reload(*created).bio, bio);
  EXPECT_EQ(Reload(*created).display_name, "<i>Name</i>");
}

TEST_P(ProfileServiceTest, FollowingAPublicProfileCountsAndEmitsAnEvent) {
  const Profile ada = Make("ada");
  const Profile bob = Make("bob");
  auto state = service_.Follow(kShop, bob.id, "ADA");
  ASSERT_TRUE(state.ok()) << state.error().detail;
  EXPECT_EQ(*state, FollowState::kFollowing);
  EXPECT_EQ(*service_.Follow(kShop, bob.id, "ada"), FollowState::kFollowing);  // again: no change
  EXPECT_EQ(Reload(ada).followers_count, 1);
  EXPECT_EQ(Reload(bob).following_count, 1);
  EXPECT_EQ(EventCount("social.follow.created"), 1);
  auto view = service_.ViewProfile(kShop, "bob", ada.id);
  ASSERT_TRUE(view.ok());
  EXPECT_TRUE(view->relationship.followed_by);
  EXPECT_FALSE(view->relationship.following);

  ASSERT_TRUE(service_.Unfollow(kShop, bob.id, "ada").ok());
  ASSERT_TRUE(service_.Unfollow(kShop, bob.id, "ada").ok());
  EXPECT_EQ(Reload(ada).followers_count, 0);
  EXPECT_EQ(Reload(bob).following_count, 0);

  auto self = service_.Follow(kShop, ada.id, "ada");
  ASSERT_FALSE(self.ok());
  EXPECT_EQ(self.error().type, "social/self-follow");
}

TEST_P(ProfileServiceTest, PrivateProfilesHideContentUntilARequestIsApproved) {
  const Profile priv = Make("private_one", /*is_private=*/true);
  const Profile fan = Make("fan");
  const Profile other = Make("other");

  auto anonymous = service_.ViewProfile(kShop, "private_one", std::nullopt);
  ASSERT_TRUE(anonymous.ok());
  EXPECT_FALSE(anonymous->content_visible);
  EXPECT_TRUE(anonymous->profile.bio.empty());
  EXPECT_TRUE(anonymous->profile.links.empty());
  EXPECT_EQ(anonymous->profile.display_name, "Name of private_one");
  auto hidden_list = service_.ListFollowers(kShop, "private_one", fan.id, {});
  ASSERT_FALSE(hidden_list.ok());
  EXPECT_EQ(hidden_list.error().type, "social/private-profile");
  EXPECT_EQ(hidden_list.error().code, ErrorCode::kPermissionDenied);

  EXPECT_EQ(*service_.Follow(kShop, fan.id, "private_one"), FollowState::kRequested);
  EXPECT_EQ(*service_.Follow(kShop, fan.id, "private_one"), FollowState::kRequested);
  EXPECT_EQ(*service_.Follow(kShop, other.id, "private_one"), FollowState::kRequested);
  EXPECT_EQ(EventCount("social.follow_request.created"), 2);
  EXPECT_EQ(Reload(priv).followers_count, 0);
  EXPECT_TRUE(service_.ViewProfile(kShop, "private_one", fan.id)->relationship.requested);
  EXPECT_FALSE(service_.ViewProfile(kShop, "private_one", fan.id)->content_visible);

  auto requests = service_.ListFollowRequests(kShop, priv.id, {});
  ASSERT_TRUE(requests.ok());
  ASSERT_EQ(requests->profiles.size(), 2u);
  EXPECT_EQ(requests->profiles[0].handle, "other");  // newest first

  ASSERT_TRUE(service_.ApproveRequest(kShop, priv.id, "fan").ok());
  ASSERT_TRUE(service_.DeclineRequest(kShop, priv.id, "other").ok());
  EXPECT_EQ(service_.ApproveRequest(kShop, priv.id, "other").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(Reload(priv).followers_count, 1);
  auto seen = service_.ViewProfile(kShop, "private_one", fan.id);
  EXPECT_TRUE(seen->content_visible);
  EXPECT_EQ(seen->profile.bio, "bio of private_one");
  EXPECT_TRUE(service_.ListFollowers(kShop, "private_one", fan.id, {}).ok());
  EXPECT_FALSE(service_.ViewProfile(kShop, "private_one", other.id)->content_visible);
  // The owner always sees their own profile.
  EXPECT_TRUE(service_.ViewProfile(kShop, "private_one", priv.id)->content_visible);

  // Cancelling withdraws a pending request.
  EXPECT_EQ(*service_.Follow(kShop, other.id, "private_one"), FollowState::kRequested);
  ASSERT_TRUE(service_.Unfollow(kShop, other.id, "private_one").ok());
  EXPECT_TRUE(service_.ListFollowRequests(kShop, priv.id, {})->profiles.empty());
}

TEST_P(ProfileServiceTest, GoingPublicApprovesPendingRequests) {
  const Profile priv = Make("shy", /*is_private=*/true);
  const Profile fan = Make("fan");
  EXPECT_EQ(*service_.Follow(kShop, fan.id, "shy"), FollowState::kRequested);
  auto updated = service_.UpdateProfile(kShop, priv.id, {.is_private = false});
  ASSERT_TRUE(updated.ok()) << updated.error().detail;
  EXPECT_EQ(updated->followers_count, 1);
  EXPECT_TRUE(service_.ViewProfile(kShop, "shy", fan.id)->relationship.following);
}

TEST_P(ProfileServiceTest, BlockRemovesFollowsBothWaysAndHidesTheBlocker) {
  const Profile ada = Make("ada");
  const Profile bob = Make("bob");
  const Profile shy = Make("shy", /*is_private=*/true);
  ASSERT_TRUE(service_.Follow(kShop, ada.id, "bob").ok());
  ASSERT_TRUE(service_.Follow(kShop, bob.id, "ada").ok());
  ASSERT_TRUE(service_.Follow(kShop, bob.id, "shy").ok());  // a pending request

  ASSERT_TRUE(service_.Block(kShop, ada.id, "bob").ok());
  ASSERT_TRUE(service_.Block(kShop, ada.id, "bob").ok());
  EXPECT_EQ(Reload(ada).followers_count, 0);
  EXPECT_EQ(Reload(ada).following_count, 0);
  EXPECT_EQ(Reload(bob).followers_count, 0);
  EXPECT_EQ(Reload(bob).following_count, 0);

  // The blocked person sees nothing, as if the profile did not exist.
  auto view = service_.ViewProfile(kShop, "ada", bob.id);
  ASSERT_FALSE(view.ok());
  EXPECT_EQ(view.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_.ListFollowers(kShop, "ada", bob.id, {}).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_.Follow(kShop, bob.id, "ada").error().code, ErrorCode::kNotFound);
  // The blocker still sees the blocked profile but cannot follow it until unblocking.
  EXPECT_TRUE(service_.ViewProfile(kShop, "bob", ada.id)->relationship.blocking);
  EXPECT_EQ(service_.Follow(kShop, ada.id, "bob").error().type, "social/blocked");

  // A blocked request disappears too.
  ASSERT_TRUE(service_.Block(kShop, shy.id, "bob").ok());
  EXPECT_TRUE(service_.ListFollowRequests(kShop, shy.id, {})->profiles.empty());

  // Lists leave out profiles that block the viewer.
  const Profile carol = Make("carol");
  ASSERT_TRUE(service_.Follow(kShop, ada.id, "carol").ok());
  auto followers = service_.ListFollowers(kShop, "carol", bob.id, {});
  ASSERT_TRUE(followers.ok());
  EXPECT_TRUE(followers->profiles.empty());

  ASSERT_TRUE(service_.Unblock(kShop, ada.id, "bob").ok());
  EXPECT_TRUE(service_.ViewProfile(kShop, "ada", bob.id).ok());
  EXPECT_EQ(*service_.Follow(kShop, bob.id, "ada"), FollowState::kFollowing);
  EXPECT_EQ(service_.Block(kShop, ada.id, "ada").error().type, "social/self-block");
}

TEST_P(ProfileServiceTest, MutesAreStoredAndChangeNothingElse) {
  const Profile ada = Make("ada");
  const Profile bob = Make("bob");
  ASSERT_TRUE(service_.Follow(kShop, ada.id, "bob").ok());
  ASSERT_TRUE(service_.Mute(kShop, ada.id, "bob").ok());
  ASSERT_TRUE(service_.Mute(kShop, ada.id, "BOB").ok());
  EXPECT_EQ(*service_.MutedBy(kShop, ada.id), std::vector<std::int64_t>{bob.id});
  EXPECT_TRUE(service_.ViewProfile(kShop, "bob", ada.id)->relationship.following);
  EXPECT_TRUE(service_.ViewProfile(kShop, "bob", ada.id)->relationship.muting);
  // The muted person cannot tell.
  EXPECT_FALSE(service_.ViewProfile(kShop, "ada", bob.id)->relationship.muting);
  ASSERT_TRUE(service_.Unmute(kShop, ada.id, "bob").ok());
  EXPECT_TRUE(service_.MutedBy(kShop, ada.id)->empty());
  EXPECT_EQ(service_.Mute(kShop, ada.id, "ada").error().type, "social/self-mute");
}

TEST_P(ProfileServiceTest, CursorPagesAreStableAndComplete) {
  const Profile star = Make("star");
  std::vector<std::int64_t> follower_ids;
  for (int i = 0; i < 7; ++i) {
    const Profile fan = Make("fan" + std::to_string(i));
    follower_ids.push_back(fan.id);
    ASSERT_TRUE(service_.Follow(kShop, fan.id, "star").ok());
  }
  std::vector<std::int64_t> seen;
  PageRequest page{.limit = 3};
  int pages = 0;
  for (;; ++pages) {
    auto result = service_.ListFollowers(kShop, "star", std::nullopt, page);
    ASSERT_TRUE(result.ok()) << result.error().detail;
    for (const Profile& profile : result->profiles) seen.push_back(profile.id);
    if (pages == 0) {
      // A follow arriving between pages lands before the cursor and does not shift it.
      const Profile late = Make("late");
      ASSERT_TRUE(service_.Follow(kShop, late.id, "star").ok());
    }
    if (result->next_cursor.empty()) break;
    page.cursor = result->next_cursor;
  }
  EXPECT_EQ(pages, 2);
  const std::vector<std::int64_t> expected(follower_ids.rbegin(), follower_ids.rend());
  EXPECT_EQ(seen, expected);
  auto following = service_.ListFollowing(kShop, "fan0", std::nullopt, {});
  ASSERT_TRUE(following.ok());
  ASSERT_EQ(following->profiles.size(), 1u);
  EXPECT_EQ(following->profiles[0].id, star.id);

  for (const std::string& bad : {std::string("zz"), std::string("6869"), std::string(100, 'a')}) {
    auto result = service_.ListFollowers(kShop, "star", std::nullopt, {.cursor = bad});
    ASSERT_FALSE(result.ok()) << bad;
    EXPECT_EQ(result.error().type, "social/invalid-cursor");
  }
  EXPECT_EQ(service_.ListFollowers(kShop, "star", std::nullopt, {.limit = 0}).error().field, "limit");
  EXPECT_EQ(service_.ListFollowers(kShop, "star", std::nullopt, {.limit = kMaxPageSize + 1}).error().field, "limit");
}

TEST_P(ProfileServiceTest, ProfilesOfAnotherShopAreAbsent) {
  const Profile ada = Make("ada");
  const Profile foreign = Make("foreign", false, kOtherShop);
  EXPECT_EQ(service_.ViewProfile(kOtherShop, "ada", std::nullopt).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_.GetProfile(kOtherShop, ada.id).error().code, ErrorCode::kNotFound);
  // An actor of shop B cannot act in shop A, even with a handle that exists there.
  EXPECT_EQ(service_.Follow(kShop, foreign.id, "ada").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_.Block(kShop, foreign.id, "ada").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_.UpdateProfile(kShop, foreign.id, {.bio = "x"}).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(Reload(ada).followers_count, 0);
}

TEST_P(ProfileServiceTest, ConcurrentFollowsAndUnfollowsKeepCountsExact) {
  const Profile star = Make("star");
  constexpr std::size_t kThreads = 8;
  constexpr std::size_t kRounds = 6;
  std::vector<Profile> fans;
  for (std::size_t i = 0; i < kThreads; ++i) fans.push_back(Make("fan" + std::to_string(i)));
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      for (std::size_t round = 0; round < kRounds; ++round) {
        // Two threads race on each fan: the same follow twice must count once.
        const Profile& fan = fans[(i + round) % kThreads];
        if (!service_.Follow(kShop, fan.id, "star").ok()) ++failures;
        if (round % 2 == 1 && !service_.Unfollow(kShop, fans[i].id, "star").ok()) ++failures;
        if (!service_.Follow(kShop, star.id, fan.handle).ok()) ++failures;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  const Profile after = Reload(star);
  const std::int64_t follower_rows =
      CountRows("SELECT COUNT(*) FROM social_follows WHERE shop_id = ? AND followee_id = ?", star.id);
  const std::int64_t following_rows =
      CountRows("SELECT COUNT(*) FROM social_follows WHERE shop_id = ? AND follower_id = ?", star.id);
  EXPECT_EQ(after.followers_count, follower_rows);
  EXPECT_EQ(after.following_count, following_rows);
  EXPECT_EQ(following_rows, static_cast<std::int64_t>(kThreads));
  for (const Profile& fan : fans) {
    const Profile reloaded = Reload(fan);
    EXPECT_EQ(reloaded.following_count,
              CountRows("SELECT COUNT(*) FROM social_follows WHERE shop_id = ? AND follower_id = ?", fan.id));
    EXPECT_EQ(reloaded.followers_count, 1);
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, ProfileServiceTest, ::testing::ValuesIn(plaza::testing::TestBackends()),
                         plaza::testing::BackendName());

}  // namespace
}  // namespace plaza::social
