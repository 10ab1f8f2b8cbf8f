// MediaService::SweepOrphans against referrers whose answers a test sets.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>
#include <vector>

#include "plaza/media/media.h"
#include "plaza/media/migrations.h"
#include "plaza/store/migrations.h"
#include "plaza/store/store_migrations.h"
#include "plaza_test/databases.h"
#include "plaza_test/images.h"

namespace plaza::media {
namespace {

constexpr std::int64_t kShop = 1;
constexpr std::int64_t kOtherShop = 2;
constexpr std::int64_t kProfile = 7;

// Says it uses the ids in `used`, and records which shops and ids it was asked about.
class FakeReferrer final : public MediaReferrer {
 public:
  Result<std::vector<std::int64_t>> InUse(store::Transaction&, std::int64_t shop_id,
                                          std::span<const std::int64_t> candidate_ids) override {
    std::vector<std::int64_t> answer;
    for (const std::int64_t id : candidate_ids) {
      asked.insert({shop_id, id});
      if (used.contains(id)) answer.push_back(id);
    }
    return answer;
  }

  std::set<std::int64_t> used;
  std::set<std::pair<std::int64_t, std::int64_t>> asked;
};

// Refuses to delete while `refuse` is set, as a disk that went read-only would.
class StubbornStore final : public MediaStore {
 public:
  explicit StubbornStore(MediaStore& inner) : inner_(inner) {}
  Status Put(std::string_view key, std::string_view bytes) override { return inner_.Put(key, bytes); }
  Result<std::string> Get(std::string_view key) override { return inner_.Get(key); }
  Status Delete(std::string_view key) override {
    if (refuse) return Error::Unavailable("read-only file system");
    return inner_.Delete(key);
  }

  bool refuse = false;

 private:
  MediaStore& inner_;
};

class SweepTest : public ::testing::TestWithParam<std::string> {
 protected:
  SweepTest()
      : test_db_(GetParam()),
        clock_(FromUnixMillis(1'700'000'000'000)),
        disk_(std::move(DiskMediaStore::Open(root_.path())).value()),
        store_(*disk_),
        service_(db(), clock_, store_) {}

  void SetUp() override {
    const Status migrated =
        store::Migrate(db(), std::vector<store::MigrationSet>{store::StoreMigrations(), MediaMigrations()});
    ASSERT_TRUE(migrated.ok()) << migrated.error().detail;
  }

  store::Database& db() { return test_db_.db(); }

  MediaAsset UploadOk(std::int64_t shop = kShop, std::optional<std::int64_t> uploader = kProfile) {
    auto asset = service_.Upload(shop, {testing::Jpeg(900, 600), "", uploader});
    EXPECT_TRUE(asset.ok()) << asset.error().detail;
    if (!asset.ok()) return MediaAsset{};
    Remember(*asset);
    return *asset;
  }

  bool HasRow(const MediaAsset& asset) { return service_.Get(asset.shop_id, asset.id).ok(); }

  // Remembers where the asset's files are while its row still says so.
  void Remember(const MediaAsset& asset) {
    auto key = db().Read([&](store::Transaction& tx) -> Result<std::string> {
      PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT storage_key FROM media_assets WHERE id = ?", {asset.id}));
      return row->Text(0);
    });
    ASSERT_TRUE(key.ok());
    for (const Rendition& rendition : asset.renditions) {
      files_[asset.id].push_back(std::filesystem::path(root_.path()) / *key /
                                 (std::to_string(rendition.width) + ".webp"));
    }
  }

  int FilesOf(const MediaAsset& asset) {
    int files = 0;
    for (const std::filesystem::path& file : files_[asset.id]) files += std::filesystem::exists(file);
    return files;
  }

  int Entries() {
    int entries = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::recursive_directory_iterator(root_.path())) ++entries;
    return entries;
  }

  SweepResult SweepOk(std::optional<std::int64_t> shop = kShop) {
    auto swept = service_.SweepOrphans(shop);
    EXPECT_TRUE(swept.ok()) << swept.error().detail;
    return swept.ok() ? *swept : SweepResult{.assets = -1};
  }

  plaza::testing::TestDatabase test_db_;
  ManualClock clock_;
  plaza::testing::TempDir root_{"plaza-media-sweep"};
  std::unique_ptr<DiskMediaStore> disk_;
  StubbornStore store_;
  MediaService service_;
  FakeReferrer referrer_;
  std::map<std::int64_t, std::vector<std::filesystem::path>> files_;
};

TEST_P(SweepTest, AnOrphanStaysThroughTheGraceThenItsRowAndFilesGo) {
  service_.RegisterReferrer(referrer_);
  const MediaAsset orphan = UploadOk();
  ASSERT_EQ(FilesOf(orphan), 3);

  clock_.Advance(kOrphanGrace - std::chrono::minutes(1));
  EXPECT_EQ(SweepOk().assets, 0);
  EXPECT_TRUE(HasRow(orphan));
  EXPECT_EQ(FilesOf(orphan), 3);

  clock_.Advance(std::chrono::minutes(2));
  const SweepResult swept = SweepOk();
  EXPECT_EQ(swept.assets, 1);
  EXPECT_EQ(swept.files_left, 0);
  EXPECT_FALSE(HasRow(orphan));
  EXPECT_EQ(FilesOf(orphan), 0);
  // Not even the asset's folder is left; only the shop's.
  EXPECT_EQ(Entries(), 1);
}

TEST_P(SweepTest, TheBytesRemovedAreTheRenditionsSizes) {
  service_.RegisterReferrer(referrer_);
  const MediaAsset orphan = UploadOk();
  std::int64_t bytes = 0;
  for (const Rendition& rendition : orphan.renditions) {
    bytes += static_cast<std::int64_t>(
        service_.OpenRendition(kShop, orphan.id, orphan.path_token, rendition.width).value().bytes.size());
  }
  clock_.Advance(kOrphanGrace + std::chrono::minutes(1));
  EXPECT_EQ(SweepOk().bytes, bytes);
}

TEST_P(SweepTest, WhatAReferrerUsesAndStaffUploadsStay) {
  service_.RegisterReferrer(referrer_);
  const MediaAsset attached = UploadOk();
  const MediaAsset staff = UploadOk(kShop, std::nullopt);
  const MediaAsset orphan = UploadOk();
  referrer_.used = {attached.id};
  clock_.Advance(kOrphanGrace * 30);
  EXPECT_EQ(SweepOk().assets, 1);
  EXPECT_TRUE(HasRow(attached));
  EXPECT_EQ(FilesOf(attached), 3);
  EXPECT_TRUE(HasRow(staff));
  EXPECT_EQ(FilesOf(staff), 3);
  EXPECT_FALSE(HasRow(orphan));
  // Staff uploads are not even offered to the referrers.
  EXPECT_FALSE(referrer_.asked.contains({kShop, staff.id}));
}

TEST_P(SweepTest, ASweepOfOneShopLeavesAnotherShopsOrphansAlone) {
  service_.RegisterReferrer(referrer_);
  const MediaAsset mine = UploadOk(kShop);
  const MediaAsset theirs = UploadOk(kOtherShop);
  // The referrer of shop 1 using the id of shop 2's asset keeps nothing of shop 2's.
  referrer_.used = {theirs.id};
  clock_.Advance(kOrphanGrace + std::chrono::minutes(1));
  EXPECT_EQ(SweepOk(kShop).assets, 1);
  EXPECT_FALSE(HasRow(mine));
  EXPECT_TRUE(HasRow(theirs));
  EXPECT_EQ(FilesOf(theirs), 3);
  EXPECT_FALSE(referrer_.asked.contains({kShop, theirs.id}));

  // Every shop: shop 2 is asked about its own asset, which it uses.
  EXPECT_EQ(SweepOk(std::nullopt).assets, 0);
  EXPECT_TRUE(referrer_.asked.contains({kOtherShop, theirs.id}));
  referrer_.used.clear();
  EXPECT_EQ(SweepOk(std::nullopt).assets, 1);
  EXPECT_FALSE(HasRow(theirs));
}

TEST_P(SweepTest, AFileThatCannotBeDeletedIsTriedAgainByTheNextSweep) {
  service_.RegisterReferrer(referrer_);
  const MediaAsset orphan = UploadOk();
  clock_.Advance(kOrphanGrace + std::chrono::minutes(1));
  store_.refuse = true;
  const SweepResult first = SweepOk();
  EXPECT_EQ(first.assets, 1);
  EXPECT_EQ(first.files_left, 3);
  EXPECT_FALSE(HasRow(orphan));
  EXPECT_EQ(FilesOf(orphan), 3);

  store_.refuse = false;
  const SweepResult second = SweepOk();
  EXPECT_EQ(second.assets, 0);
  EXPECT_EQ(second.files_left, 0);
  EXPECT_EQ(FilesOf(orphan), 0);
  EXPECT_EQ(Entries(), 1);
}

TEST_P(SweepTest, ManyOrphansAreSweptInSeveralBatches) {
  service_.RegisterReferrer(referrer_);
  const MediaAsset first = UploadOk();
  // Rows alone are enough to page through: the files of these do not exist, which a
  // sweep treats as already deleted.
  ASSERT_TRUE(
      db().Write([&](store::Transaction& tx) -> Status {
            for (int i = 0; i < 1200; ++i) {
              PLAZA_TRY(tx.Execute(
                  "INSERT INTO media_assets (shop_id, uploader_profile_id, width, height, renditions, alt, "
                  "storage_key, path_token, byte_size, created_at) VALUES (?, ?, 1, 1, '1x1', '', ?, 't', 10, ?)",
                  {kShop, kProfile, "1/bulk" + std::to_string(i), ToUnixMillis(clock_.Now())}));
            }
            return Ok();
          })
          .ok());
  const MediaAsset last = UploadOk();
  referrer_.used = {last.id};
  clock_.Advance(kOrphanGrace + std::chrono::minutes(1));
  const SweepResult swept = SweepOk();
  EXPECT_EQ(swept.assets, 1201);
  EXPECT_FALSE(HasRow(first));
  EXPECT_TRUE(HasRow(last));
}

TEST_P(SweepTest, ItRefusesAShortGraceAndASweepWithNobodyToAsk) {
  const MediaAsset orphan = UploadOk();
  clock_.Advance(kOrphanGrace * 2);
  auto unasked = service_.SweepOrphans(kShop);
  ASSERT_FALSE(unasked.ok());
  EXPECT_EQ(unasked.error().type, "media/no-referrers");
  service_.RegisterReferrer(referrer_);
  auto hasty = service_.SweepOrphans(kShop, std::chrono::minutes(59));
  ASSERT_FALSE(hasty.ok());
  EXPECT_EQ(hasty.error().type, "media/grace-too-short");
  EXPECT_TRUE(HasRow(orphan));
  EXPECT_EQ(SweepOk().assets, 1);
}

TEST(MediaIdInUrlTest, ReadsTheIdOfTheShopsOwnRenditionLinksOnly) {
  EXPECT_EQ(MediaIdInUrl("/api/v1/shops/1/media/42/abc/320.webp", 1), 42);
  EXPECT_EQ(MediaIdInUrl("https://shop.example/api/v1/shops/1/media/42/abc/320.webp", 1), 42);
  EXPECT_EQ(MediaIdInUrl("https://shop.example/api/v1/shops/1/media/42/abc/320.webp", 2), std::nullopt);
  EXPECT_EQ(MediaIdInUrl("https://shop.example/api/v1/shops/11/media/42/abc/320.webp", 1), std::nullopt);
  EXPECT_EQ(MediaIdInUrl("https://elsewhere.example/x/api/v1/shops/1/media/42/abc/320.webp", 1), std::nullopt);
  EXPECT_EQ(MediaIdInUrl("https://shop.example/api/v1/shops/1/media/4x2/abc/320.webp", 1), std::nullopt);
  EXPECT_EQ(MediaIdInUrl("https://shop.example/api/v1/shops/1/media/42", 1), std::nullopt);
  EXPECT_EQ(MediaIdInUrl("https://shop.example", 1), std::nullopt);
}

INSTANTIATE_TEST_SUITE_P(Backends, SweepTest, ::testing::ValuesIn(plaza::testing::TestBackends()),
                         plaza::testing::BackendName());

}  // namespace
}  // namespace plaza::media
