#include "plaza/social/media_referrer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "plaza/media/migrations.h"
#include "plaza/social/feeds_migrations.h"
#include "plaza/social/migrations.h"
#include "plaza/social/notifications.h"
#include "plaza/social/posts.h"
#include "plaza/social/profiles.h"
#include "plaza/store/migrations.h"
#include "plaza/store/store_migrations.h"
#include "plaza_test/databases.h"

namespace plaza::social {
namespace {

constexpr std::int64_t kShop = 1;
constexpr std::int64_t kOtherShop = 2;

std::string OnePixelPng() {
  static constexpr unsigned char kPng[] = {
      0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00,
      0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00,
      0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0xDA, 0x63, 0x64, 0x60, 0xF8, 0x5F, 0x0F, 0x00, 0x02, 0x87, 0x01, 0x80,
      0xEB, 0x47, 0xBA, 0x92, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82};
  return std::string(reinterpret_cast<const char*>(kPng), sizeof kPng);
}

// Runs `attach` on another thread the first time the sweep asks it, which is after the
// social referrer has answered and before the sweep deletes anything. With `wait` it
// waits for `attach` to finish first (PostgreSQL runs the two transactions side by side;
// SQLite's single writer makes `attach` wait until the sweep has committed).
class AttachWhileSweeping final : public media::MediaReferrer {
 public:
  AttachWhileSweeping(std::function<void()> attach, bool wait) : attach_(std::move(attach)), wait_(wait) {}
  ~AttachWhileSweeping() override { Join(); }

  Result<std::vector<std::int64_t>> InUse(store::Transaction&, std::int64_t, std::span<const std::int64_t>) override {
    if (!started_) {
      started_ = true;
      thread_ = std::thread(attach_);
      if (wait_) Join();
    }
    return std::vector<std::int64_t>{};
  }

  void Join() {
    if (thread_.joinable()) thread_.join();
  }

 private:
  std::function<void()> attach_;
  bool wait_;
  bool started_ = false;
  std::thread thread_;
};

class SocialMediaReferrerTest : public ::testing::TestWithParam<std::string> {
 protected:
  SocialMediaReferrerTest()
      : test_db_(GetParam()),
        clock_(FromUnixMillis(1'700'000'000'000)),
        store_(std::move(media::DiskMediaStore::Open(media_dir_.path())).value()),
        media_(db(), clock_, *store_),
        profiles_(db(), clock_),
        notifications_(db(), clock_),
        posts_(db(), clock_, notifications_) {
    posts_.SetMedia(media_);
  }

  void SetUp() override {
    const Status migrated =
        store::Migrate(db(), std::vector<store::MigrationSet>{store::StoreMigrations(), SocialMigrations(),
                                                              SocialFeedsMigrations(), media::MediaMigrations()});
    ASSERT_TRUE(migrated.ok()) << migrated.error().detail;
  }

  store::Database& db() { return test_db_.db(); }

  Profile Make(const std::string& handle, std::int64_t shop = kShop) {
    auto created = profiles_.CreateProfile(shop, NewProfile{.handle = handle, .display_name = handle});
    EXPECT_TRUE(created.ok()) << created.error().detail;
    return created.ok() ? *created : Profile{};
  }

  media::MediaAsset Upload(const Profile& uploader) {
    auto asset = media_.Upload(uploader.shop_id, {OnePixelPng(), "", uploader.id});
    EXPECT_TRUE(asset.ok()) << asset.error().detail;
    return asset.ok() ? *asset : media::MediaAsset{};
  }

  bool Exists(const media::MediaAsset& asset) {
    return media_.OpenRendition(asset.shop_id, asset.id, asset.path_token, asset.renditions.front().width).ok();
  }

  media::SweepResult Sweep(std::optional<std::int64_t> shop = std::nullopt) {
    auto swept = media_.SweepOrphans(shop);
    EXPECT_TRUE(swept.ok()) << swept.error().detail;
    return swept.ok() ? *swept : media::SweepResult{.assets = -1};
  }

  plaza::testing::TestDatabase test_db_;
  ManualClock clock_;
  plaza::testing::TempDir media_dir_{"plaza-social-sweep"};
  std::unique_ptr<media::DiskMediaStore> store_;
  media::MediaService media_;
  ProfileService profiles_;
  NotificationService notifications_;
  PostService posts_;
  SocialMediaReferrer referrer_;
};

TEST_P(SocialMediaReferrerTest, PostPhotosAndProfilePicturesSurviveAndOnlyTheOrphanGoes) {
  media_.RegisterReferrer(referrer_);
  const Profile ada = Make("ada");
  const media::MediaAsset posted = Upload(ada);
  const media::MediaAsset avatar = Upload(ada);
  const media::MediaAsset orphan = Upload(ada);
  ASSERT_TRUE(posts_.CreatePost(kShop, ada.id, NewPost{.text = "look", .media_ids = {posted.id}}).ok());
  // Pages keep the picture as an absolute URL of its smallest rendition.
  auto updated = profiles_.UpdateProfile(
      kShop, ada.id,
      ProfileUpdate{.avatar_url = "https://shop.example" + media::MediaPath(avatar, avatar.renditions.front().width)});
  ASSERT_TRUE(updated.ok()) << updated.error().detail;
  // A profile of another shop linking the same path keeps nothing of this one.
  const Profile bea = Make("bea", kOtherShop);
  ASSERT_TRUE(profiles_
                  .UpdateProfile(kOtherShop, bea.id,
                                 ProfileUpdate{.avatar_url = "https://shop.example" +
                                                             media::MediaPath(orphan, orphan.renditions.front().width)})
                  .ok());

  clock_.Advance(media::kOrphanGrace + std::chrono::minutes(1));
  const media::SweepResult swept = Sweep();
  EXPECT_EQ(swept.assets, 1);
  EXPECT_TRUE(Exists(posted));
  EXPECT_TRUE(Exists(avatar));
  EXPECT_FALSE(Exists(orphan));
  EXPECT_EQ(media_.Get(kShop, orphan.id).error().code, ErrorCode::kNotFound);
}

TEST_P(SocialMediaReferrerTest, ADeletedPostsPhotoIsSweptAndAChangedPictureToo) {
  media_.RegisterReferrer(referrer_);
  const Profile ada = Make("ada");
  const media::MediaAsset photo = Upload(ada);
  const media::MediaAsset avatar = Upload(ada);
  auto post = posts_.CreatePost(kShop, ada.id, NewPost{.text = "look", .media_ids = {photo.id}});
  ASSERT_TRUE(post.ok()) << post.error().detail;
  ASSERT_TRUE(profiles_
                  .UpdateProfile(kShop, ada.id,
                                 ProfileUpdate{.avatar_url = "https://shop.example" +
                                                             media::MediaPath(avatar, avatar.renditions.front().width)})
                  .ok());
  clock_.Advance(media::kOrphanGrace + std::chrono::minutes(1));
  EXPECT_EQ(Sweep(kShop).assets, 0);

  ASSERT_TRUE(posts_.DeletePost(kShop, ada.id, post->id).ok());
  ASSERT_TRUE(profiles_.UpdateProfile(kShop, ada.id, ProfileUpdate{.avatar_url = std::optional<std::string>()}).ok());
  EXPECT_EQ(Sweep(kShop).assets, 2);
  EXPECT_FALSE(Exists(photo));
  EXPECT_FALSE(Exists(avatar));
}

TEST_P(SocialMediaReferrerTest, APhotoAttachedWhileTheSweepRunsIsKeptWithItsPost) {
  const bool postgres = db().dialect() == store::Dialect::kPostgres;
  const Profile ada = Make("ada");
  const media::MediaAsset photo = Upload(ada);
  clock_.Advance(media::kOrphanGrace + std::chrono::minutes(1));

  std::optional<Result<Post>> attached;
  AttachWhileSweeping attach(
      [&] { attached.emplace(posts_.CreatePost(kShop, ada.id, NewPost{.text = "at last", .media_ids = {photo.id}})); },
      postgres);
  media_.RegisterReferrer(referrer_);
  media_.RegisterReferrer(attach);
  const media::SweepResult swept = Sweep(kShop);
  attach.Join();
  ASSERT_TRUE(attached.has_value());

  // Either the post went in first and its photo stays, or the sweep committed first and
  // the post was refused: never a post whose photo is gone.
  if (attached->ok()) {
    EXPECT_EQ(swept.assets, 0);
    EXPECT_TRUE(Exists(photo));
    auto read = posts_.GetPost(kShop, attached->value().id, ada.id);
    ASSERT_TRUE(read.ok()) << read.error().detail;
    EXPECT_EQ(read->media_ids, (std::vector<std::int64_t>{photo.id}));
  } else {
    EXPECT_EQ(swept.assets, 1);
    EXPECT_FALSE(Exists(photo));
  }
  // PostgreSQL committed the post inside the sweep's transaction, which then failed
  // serialization and ran again; SQLite ran the post after the sweep.
  EXPECT_EQ(attached->ok(), postgres);
}

INSTANTIATE_TEST_SUITE_P(Backends, SocialMediaReferrerTest, ::testing::ValuesIn(plaza::testing::TestBackends()),
                         plaza::testing::BackendName());

}  // namespace
}  // namespace plaza::social
