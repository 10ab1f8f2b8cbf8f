#include "plaza/media/media.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <thread>

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

class MediaServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  MediaServiceTest()
      : test_db_(GetParam()),
        clock_(FromUnixMillis(1'700'000'000'000)),
        root_(plaza::testing::MakeTempDir("plaza-media")),
        store_(std::move(DiskMediaStore::Open(root_)).value()),
        service_(db(), clock_, *store_) {}

  ~MediaServiceTest() override {
    std::error_code ignored;  // a leftover temporary directory is harmless
    std::filesystem::remove_all(root_, ignored);
  }

  void SetUp() override {
    const Status migrated =
        store::Migrate(db(), std::vector<store::MigrationSet>{store::StoreMigrations(), MediaMigrations()});
    ASSERT_TRUE(migrated.ok()) << migrated.error().detail;
  }

  store::Database& db() { return test_db_.db(); }

  std::int64_t AssetRows() {
    auto count = db().Read([&](store::Transaction& tx) -> Result<std::int64_t> {
      PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT COUNT(*) FROM media_assets"));
      return row->Int(0);
    });
    EXPECT_TRUE(count.ok());
    return count.ok() ? *count : -1;
  }

  // Every regular file under the store's root, temporary ones included.
  int StoredFiles() {
    int files = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root_)) files += entry.is_regular_file();
    return files;
  }

  MediaAsset UploadOk(const std::string& bytes, std::optional<std::int64_t> uploader = kProfile,
                      std::int64_t shop = kShop) {
    auto asset = service_.Upload(shop, {bytes, "a gradient", uploader});
    EXPECT_TRUE(asset.ok()) << asset.error().detail;
    return asset.ok() ? *asset : MediaAsset{};
  }

  plaza::testing::TestDatabase test_db_;
  ManualClock clock_;
  std::string root_;
  std::unique_ptr<DiskMediaStore> store_;
  MediaService service_;
};

TEST_P(MediaServiceTest, UploadStoresEveryRenditionAndGetReadsThemBack) {
  const MediaAsset asset = UploadOk(testing::Jpeg(1600, 1200));
  EXPECT_GT(asset.id, 0);
  EXPECT_EQ(asset.shop_id, kShop);
  EXPECT_EQ(asset.uploader_profile_id, kProfile);
  EXPECT_EQ(asset.width, 1280);
  EXPECT_EQ(asset.height, 960);
  EXPECT_EQ(asset.alt, "a gradient");
  EXPECT_EQ(asset.created_at, clock_.Now());
  ASSERT_EQ(asset.renditions.size(), 3u);
  EXPECT_EQ(StoredFiles(), 3);

  auto read = service_.Get(kShop, asset.id);
  ASSERT_TRUE(read.ok()) << read.error().detail;
  EXPECT_EQ(read->width, 1280);
  EXPECT_EQ(read->height, 960);
  ASSERT_EQ(read->renditions.size(), 3u);
  EXPECT_EQ(read->renditions[0].width, 320);
  EXPECT_EQ(read->renditions[0].height, 240);
  EXPECT_EQ(read->renditions[1].width, 640);
  EXPECT_EQ(read->renditions[2].width, 1280);
  EXPECT_EQ(read->path_token, asset.path_token);
  EXPECT_EQ(read->created_at, asset.created_at);

  for (const Rendition& rendition : read->renditions) {
    auto file = service_.OpenRendition(kShop, asset.id, asset.path_token, rendition.width);
    ASSERT_TRUE(file.ok()) << file.error().detail;
    EXPECT_EQ(file->content_type, "image/webp");
    const vips::VImage decoded = vips::VImage::new_from_buffer(file->bytes.data(), file->bytes.size(), "");
    EXPECT_EQ(decoded.width(), rendition.width);
    EXPECT_EQ(decoded.height(), rendition.height);
  }
}

TEST_P(MediaServiceTest, StaffUploadsHaveNoUploaderProfile) {
  const MediaAsset asset = UploadOk(testing::Png(100, 50), std::nullopt);
  EXPECT_EQ(service_.Get(kShop, asset.id)->uploader_profile_id, std::nullopt);
}

TEST_P(MediaServiceTest, TheStoredRenditionsCarryNoGps) {
  const MediaAsset asset = UploadOk(testing::JpegWithGps(900, 600));
  for (const Rendition& rendition : asset.renditions) {
    auto file = service_.OpenRendition(kShop, asset.id, asset.path_token, rendition.width);
    ASSERT_TRUE(file.ok());
    EXPECT_EQ(file->bytes.find("GPS"), std::string::npos);
    EXPECT_EQ(file->bytes.find("Exif"), std::string::npos);
    const vips::VImage decoded = vips::VImage::new_from_buffer(file->bytes.data(), file->bytes.size(), "");
    EXPECT_EQ(decoded.get_typeof(VIPS_META_EXIF_NAME), 0u);
  }
}

TEST_P(MediaServiceTest, RefusedImagesStoreNothing) {
  const std::string jpeg = testing::Jpeg(400, 300);
  const std::pair<std::string, std::string> cases[] = {
      {testing::PngClaiming(50'000, 50'000), "media/too-large"},
      {testing::JpegClaiming(60'000, 60'000), "media/too-large"},
      {jpeg.substr(0, jpeg.size() / 2), "media/unreadable-image"},
      {std::string("\xFF\xD8\xFF\xE0", 4) + "<script>alert(1)</script>", "media/unreadable-image"},
      {"GIF89a\x01\x00\x01\x00", "media/unsupported-type"},
      {"<svg xmlns=\"http://www.w3.org/2000/svg\"/>", "media/unsupported-type"},
  };
  for (const auto& [bytes, type] : cases) {
    auto result = service_.Upload(kShop, {bytes, "", kProfile});
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().type, type);
  }
  auto long_alt = service_.Upload(kShop, {jpeg, std::string(kMaxAltLength + 1, 'a'), kProfile});
  ASSERT_FALSE(long_alt.ok());
  EXPECT_EQ(long_alt.error().field, "/alt");
  EXPECT_EQ(AssetRows(), 0);
  EXPECT_EQ(StoredFiles(), 0);
}

TEST_P(MediaServiceTest, UploadAllStoresEveryImageOrNone) {
  const std::string jpeg = testing::Jpeg(400, 300);
  auto refused = service_.UploadAll(kShop, {{jpeg, "first", kProfile},
                                            {testing::Png(300, 200), "second", kProfile},
                                            {jpeg.substr(0, jpeg.size() / 2), "", kProfile}});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().type, "media/unreadable-image");
  EXPECT_EQ(refused.error().field, "/2");
  auto long_alt =
      service_.UploadAll(kShop, {{jpeg, std::string(kMaxAltLength + 1, 'a'), kProfile}, {jpeg, "", kProfile}});
  ASSERT_FALSE(long_alt.ok());
  EXPECT_EQ(long_alt.error().field, "/0/alt");
  EXPECT_EQ(AssetRows(), 0);
  EXPECT_EQ(StoredFiles(), 0);

  auto stored = service_.UploadAll(kShop, {{jpeg, "first", kProfile}, {testing::Png(300, 200), "second", kProfile}});
  ASSERT_TRUE(stored.ok()) << stored.error().detail;
  ASSERT_EQ(stored->size(), 2u);
  EXPECT_NE((*stored)[0].id, (*stored)[1].id);
  EXPECT_EQ((*stored)[1].alt, "second");
  EXPECT_EQ((*stored)[1].width, 300);
  EXPECT_EQ(service_.Get(kShop, (*stored)[0].id)->alt, "first");
  EXPECT_EQ(AssetRows(), 2);
}

TEST_P(MediaServiceTest, AnotherShopsAssetIsAbsent) {
  const MediaAsset asset = UploadOk(testing::Jpeg(400, 300));
  auto foreign = service_.Get(kOtherShop, asset.id);
  ASSERT_FALSE(foreign.ok());
  EXPECT_EQ(foreign.error().code, ErrorCode::kNotFound);
  auto file = service_.OpenRendition(kOtherShop, asset.id, asset.path_token, 320);
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.error().code, ErrorCode::kNotFound);
}

TEST_P(MediaServiceTest, ARenditionNeedsTheAssetsTokenAndOneOfItsWidths) {
  const MediaAsset asset = UploadOk(testing::Jpeg(400, 300));
  std::string wrong_token = asset.path_token;
  wrong_token[0] = wrong_token[0] == 'a' ? 'b' : 'a';
  EXPECT_EQ(service_.OpenRendition(kShop, asset.id, wrong_token, 320).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_.OpenRendition(kShop, asset.id, "", 320).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_.OpenRendition(kShop, asset.id, asset.path_token, 640).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(service_.OpenRendition(kShop, asset.id, asset.path_token, 400).ok());
}

TEST_P(MediaServiceTest, GetOwnedAcceptsOnlyTheUploadersOwnAssetsOfTheShop) {
  const MediaAsset mine = UploadOk(testing::Jpeg(100, 100));
  const MediaAsset theirs = UploadOk(testing::Jpeg(100, 100), kProfile + 1);
  const MediaAsset staff = UploadOk(testing::Jpeg(100, 100), std::nullopt);
  const MediaAsset other_shop = UploadOk(testing::Jpeg(100, 100), kProfile, kOtherShop);

  auto owned = db().Read([&](store::Transaction& tx) {
    return service_.GetOwned(tx, kShop, {mine.id, mine.id}, kProfile, "/media_ids");
  });
  ASSERT_TRUE(owned.ok()) << owned.error().detail;
  EXPECT_EQ(owned->size(), 2u);

  for (std::int64_t id : {theirs.id, staff.id, other_shop.id, std::int64_t{999'999}}) {
    auto refused = db().Read([&](store::Transaction& tx) {
      return service_.GetOwned(tx, kShop, {mine.id, id}, kProfile, "/media_ids");
    });
    ASSERT_FALSE(refused.ok()) << id;
    EXPECT_EQ(refused.error().type, "media/not-found");
    EXPECT_EQ(refused.error().field, "/media_ids/1");
  }
}

TEST_P(MediaServiceTest, MediaPathNamesTheShopAssetTokenAndWidth) {
  const MediaAsset asset = UploadOk(testing::Jpeg(400, 300));
  EXPECT_EQ(MediaPath(asset, 320),
            "/api/v1/shops/1/media/" + std::to_string(asset.id) + "/" + asset.path_token + "/320.webp");
}

TEST_P(MediaServiceTest, UploadsOnSeveralThreadsAtOnceEachGetTheirOwnAsset) {
  const std::string jpeg = testing::Jpeg(900, 600);
  const std::string png = testing::Png(700, 700);
  std::vector<std::thread> uploaders;
  std::vector<Result<MediaAsset>> results(4, Error::Internal("not run"));
  for (std::size_t i = 0; i < results.size(); ++i) {
    uploaders.emplace_back([&, i] { results[i] = service_.Upload(kShop, {i % 2 ? jpeg : png, "", kProfile}); });
  }
  for (std::thread& uploader : uploaders) uploader.join();
  std::set<std::int64_t> ids;
  for (std::size_t i = 0; i < results.size(); ++i) {
    ASSERT_TRUE(results[i].ok()) << results[i].error().detail;
    ids.insert(results[i]->id);
    EXPECT_EQ(results[i]->width, i % 2 ? 900 : 700);
  }
  EXPECT_EQ(ids.size(), 4u);
  EXPECT_EQ(AssetRows(), 4);
  EXPECT_EQ(StoredFiles(), 2 * 3 + 2 * 3);
}

// A store that fails on its n-th Put, to reach the clean-up after a partial write.
class FailingStore final : public MediaStore {
 public:
  FailingStore(MediaStore& inner, int fail_on_put) : inner_(inner), fail_on_put_(fail_on_put) {}
  Status Put(std::string_view key, std::string_view bytes) override {
    if (++puts_ == fail_on_put_) return Error::Unavailable("disk full");
    return inner_.Put(key, bytes);
  }
  Result<std::string> Get(std::string_view key) override { return inner_.Get(key); }
  Status Delete(std::string_view key) override { return inner_.Delete(key); }

 private:
  MediaStore& inner_;
  int fail_on_put_;
  int puts_ = 0;
};

TEST_P(MediaServiceTest, AFailedWriteRemovesTheFilesAlreadyWritten) {
  FailingStore failing(*store_, 3);
  MediaService service(db(), clock_, failing);
  auto result = service.Upload(kShop, {testing::Jpeg(2000, 1000), "", kProfile});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(StoredFiles(), 0);
  EXPECT_EQ(AssetRows(), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, MediaServiceTest, ::testing::ValuesIn(plaza::testing::TestBackends()),
                         plaza::testing::BackendName());

}  // namespace
}  // namespace plaza::media
