#include "uploads.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "plaza/media/migrations.h"
#include "plaza/store/migrations.h"
#include "plaza/store/store_migrations.h"
#include "plaza_test/databases.h"
#include "plaza_test/images.h"

namespace plaza::web {
namespace {

constexpr std::int64_t kShop = 1;
constexpr std::int64_t kProfile = 7;
constexpr std::string_view kBoundary = "----plazaform";

struct Part {
  std::string name;
  std::string body;
  std::optional<std::string> filename = std::nullopt;
};

http::Request MultipartRequest(const std::vector<Part>& parts) {
  http::Request request;
  request.method = http::Method::kPost;
  request.headers.Set("Content-Type", "multipart/form-data; boundary=" + std::string(kBoundary));
  for (const Part& part : parts) {
    request.body += "--" + std::string(kBoundary) + "\r\nContent-Disposition: form-data; name=\"" + part.name + "\"";
    if (part.filename) request.body += "; filename=\"" + *part.filename + "\"\r\nContent-Type: image/png";
    request.body += "\r\n\r\n" + part.body + "\r\n";
  }
  request.body += "--" + std::string(kBoundary) + "--\r\n";
  return request;
}

class UploadFormTest : public ::testing::TestWithParam<std::string> {
 protected:
  UploadFormTest()
      : test_db_(GetParam()),
        clock_(FromUnixMillis(1'700'000'000'000)),
        root_(plaza::testing::MakeTempDir("plaza-uploads")),
        store_(std::move(media::DiskMediaStore::Open(root_)).value()),
        media_(test_db_.db(), clock_, *store_) {}

  ~UploadFormTest() override {
    std::error_code ignored;  // a leftover temporary directory is harmless
    std::filesystem::remove_all(root_, ignored);
  }

  void SetUp() override {
    const Status migrated = store::Migrate(
        test_db_.db(), std::vector<store::MigrationSet>{store::StoreMigrations(), media::MediaMigrations()});
    ASSERT_TRUE(migrated.ok()) << migrated.error().detail;
  }

  std::int64_t AssetRows() {
    auto count = test_db_.db().Read([&](store::Transaction& tx) -> Result<std::int64_t> {
      PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT COUNT(*) FROM media_assets"));
      return row->Int(0);
    });
    EXPECT_TRUE(count.ok());
    return count.ok() ? *count : -1;
  }

  int StoredFiles() {
    int files = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root_)) files += entry.is_regular_file();
    return files;
  }

  plaza::testing::TestDatabase test_db_;
  ManualClock clock_;
  std::string root_;
  std::unique_ptr<media::DiskMediaStore> store_;
  media::MediaService media_;
};

TEST_P(UploadFormTest, TextFieldsComeBackAndEveryFileIsStoredForTheUploader) {
  const http::Request request = MultipartRequest({
      {"csrf_token", "token-1"},
      {"text", "Lovely <b>mug</b> \xC3\xA9"},
      {"photo", media::testing::Png(300, 200), "mug.png"},
      {"photo_alt", "A mug on a table"},
      {"photo", media::testing::Jpeg(200, 100), "side.jpg"},
      {"avatar", "", ""},  // a file input left empty
  });
  auto form = ReadUploadForm(request, media_, kShop, kProfile);
  ASSERT_TRUE(form.ok()) << form.error().detail;
  EXPECT_EQ(form->Field("csrf_token"), "token-1");
  EXPECT_EQ(form->Field("text"), "Lovely <b>mug</b> \xC3\xA9");
  EXPECT_EQ(form->Field("missing"), "");
  EXPECT_TRUE(form->Media("avatar").empty());
  const std::vector<std::int64_t> photos = form->Media("photo");
  ASSERT_EQ(photos.size(), 2u);

  auto first = media_.Get(kShop, photos[0]);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->width, 300);
  EXPECT_EQ(first->alt, "A mug on a table");
  EXPECT_EQ(first->uploader_profile_id, kProfile);
  EXPECT_EQ(media_.Get(kShop, photos[1])->width, 200);
  EXPECT_EQ(AssetRows(), 2);

  auto staff = ReadUploadForm(MultipartRequest({{"image", media::testing::Png(100, 100), "a.png"}}), media_, kShop,
                              std::nullopt);
  ASSERT_TRUE(staff.ok());
  EXPECT_EQ(media_.Get(kShop, staff->Media("image").at(0))->uploader_profile_id, std::nullopt);
}

TEST_P(UploadFormTest, OneBadFileRefusesTheFormStoresNothingAndNamesTheField) {
  const std::string jpeg = media::testing::Jpeg(400, 300);
  auto refused = ReadUploadForm(MultipartRequest({
                                    {"text", "hello"},
                                    {"photo", media::testing::Png(300, 200), "ok.png"},
                                    {"cover_image", jpeg.substr(0, jpeg.size() / 2), "broken.jpg"},
                                }),
                                media_, kShop, kProfile);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().type, "media/unreadable-image");
  EXPECT_EQ(refused.error().field, "/cover_image");
  EXPECT_EQ(refused.error().detail, "The cover image could not be read as an image. Choose a JPEG, PNG or WebP photo.");

  auto svg = ReadUploadForm(MultipartRequest({{"photo", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>", "x.svg"}}),
                            media_, kShop, kProfile);
  ASSERT_FALSE(svg.ok());
  EXPECT_EQ(svg.error().field, "/photo");
  EXPECT_EQ(svg.error().detail, "The photo is not a JPEG, PNG or WebP image.");

  auto long_alt = ReadUploadForm(MultipartRequest({{"photo", jpeg, "a.jpg"}, {"photo_alt", std::string(501, 'a')}}),
                                 media_, kShop, kProfile);
  ASSERT_FALSE(long_alt.ok());
  EXPECT_EQ(long_alt.error().field, "/photo_alt");

  std::vector<Part> five;
  for (int i = 0; i < 5; ++i) five.push_back({"photo", jpeg, "p.jpg"});
  auto too_many = ReadUploadForm(MultipartRequest(five), media_, kShop, kProfile);
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.error().type, "validation/too-many-files");

  auto bad_text = ReadUploadForm(MultipartRequest({{"text", "\xFF\xFE"}}), media_, kShop, kProfile);
  ASSERT_FALSE(bad_text.ok());
  EXPECT_EQ(bad_text.error().field, "/text");

  EXPECT_EQ(AssetRows(), 0);
  EXPECT_EQ(StoredFiles(), 0);
}

TEST_P(UploadFormTest, AFormThatIsNotMultipartIsRefused) {
  http::Request request;
  request.method = http::Method::kPost;
  request.headers.Set("Content-Type", "application/x-www-form-urlencoded");
  request.body = "text=hello";
  auto form = ReadUploadForm(request, media_, kShop, kProfile);
  ASSERT_FALSE(form.ok());
  EXPECT_EQ(form.error().type, "http/unsupported-media-type");
}

TEST_P(UploadFormTest, UploadRoutesTakeSeveralFullSizeImagesAndOtherRoutesKeepTheDefault) {
  http::Router router;
  UploadRoutes(router, media_).Post("/reviews/{id}", [](http::Request&) { return http::Response(); });
  router.Post("/cart", [](http::Request&) { return http::Response(); });
  const auto limit = router.BodyLimitFor(http::Method::kPost, "/reviews/3");
  ASSERT_TRUE(limit.has_value());
  EXPECT_GE(*limit, kMaxFormFiles * media_.limits().max_bytes);
  EXPECT_EQ(router.BodyLimitFor(http::Method::kPost, "/cart"), std::nullopt);
}

INSTANTIATE_TEST_SUITE_P(Backends, UploadFormTest, ::testing::ValuesIn(plaza::testing::TestBackends()),
                         plaza::testing::BackendName());

}  // namespace
}  // namespace plaza::web
