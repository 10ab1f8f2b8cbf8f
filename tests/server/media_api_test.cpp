// Image uploads over HTTP: a customer's multipart upload and its renditions served back
// without their GPS, staff raw-body uploads, permissions, hostile bodies and images that
// store nothing, the upload routes' own body limit, and shop boundaries.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>

#include "plaza_test/images.h"
#include "plaza_test/server_fixture.h"

namespace plaza::testing {
namespace {

using media::testing::Jpeg;
using media::testing::JpegWithGps;
using media::testing::Png;
using media::testing::PngClaiming;

constexpr std::string_view kBoundary = "----PlazaMediaTestBoundary";

std::string Form(std::string_view file, std::string_view alt) {
  std::string body = "--" + std::string(kBoundary) +
                     "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"photo.jpg\"\r\n"
                     "Content-Type: image/jpeg\r\n\r\n" +
                     std::string(file) + "\r\n--" + std::string(kBoundary) +
                     "\r\nContent-Disposition: form-data; name=\"alt\"\r\n\r\n" + std::string(alt) + "\r\n--" +
                     std::string(kBoundary) + "--\r\n";
  return body;
}

class MediaApiTest : public ServerFixture {
 protected:
  MediaApiTest() : media_dir_(MakeTempDir("plaza-media-api")) {}
  ~MediaApiTest() override {
    std::error_code ignored;  // a leftover temporary directory is harmless
    std::filesystem::remove_all(media_dir_, ignored);
  }

  std::map<std::string, std::string> ExtraFlags() const override { return {{"media_dir", media_dir_}}; }

  void SetUp() override {
    ServerFixture::SetUp();
    shop_ = CreateShop("gallery");
    base_ = "/api/v1/shops/" + shop_.handle;
  }

  Credentials CustomerWithProfile(const TestShop& shop, const std::string& handle) {
    Credentials customer = SignUpCustomer(shop, handle + "@example.com");
    auto created = Call("POST", "/api/v1/shops/" + shop.handle + "/customer/social/profile", customer,
                        R"({"handle":")" + handle + R"(","display_name":"Ana"})");
    EXPECT_EQ(created.status, 201) << created.body;
    return customer;
  }

  http::testing::ClientResponse Send(const std::string& target, const Credentials& credentials,
                                     std::string content_type, std::string body) {
    http::Headers headers = credentials.headers;
    headers.Set("Content-Type", std::move(content_type));
    auto response = client().Send("POST", target, std::move(body), headers);
    EXPECT_TRUE(response.ok()) << response.error().detail;
    return response.ok() ? *response : http::testing::ClientResponse{};
  }

  http::testing::ClientResponse Upload(const Credentials& credentials, std::string_view file,
                                       std::string_view alt = "a gradient", std::string path = "/customer/media") {
    return Send(base_ + path, credentials, "multipart/form-data; boundary=" + std::string(kBoundary), Form(file, alt));
  }

  int StoredFiles() const {
    int files = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(media_dir_))
      files += entry.is_regular_file();
    return files;
  }

  std::string media_dir_;
  TestShop shop_;
  std::string base_;
};

TEST_P(MediaApiTest, ACustomersUploadIsServedAsWebpRenditionsWithoutItsLocation) {
  Credentials ana = CustomerWithProfile(shop_, "ana");
  auto uploaded = Upload(ana, JpegWithGps(1600, 1200), "Sunset <b>at</b> the beach");
  ASSERT_EQ(uploaded.status, 201) << uploaded.body;
  const boost::json::value asset = uploaded.Json();
  EXPECT_GT(asset.at("id").as_int64(), 0);
  EXPECT_EQ(asset.at("width").as_int64(), 1280);
  EXPECT_EQ(asset.at("height").as_int64(), 960);
  EXPECT_EQ(asset.at("alt").as_string(), "Sunset <b>at</b> the beach");
  const boost::json::array& renditions = asset.at("renditions").as_array();
  ASSERT_EQ(renditions.size(), 3u);
  const int widths[] = {320, 640, 1280};
  const int heights[] = {240, 480, 960};
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(renditions[i].at("width").as_int64(), widths[i]);
    EXPECT_EQ(renditions[i].at("height").as_int64(), heights[i]);
    const std::string url(renditions[i].at("url").as_string());
    EXPECT_TRUE(url.starts_with("/api/v1/shops/" + std::to_string(shop_.id) + "/media/")) << url;
    // Anyone may fetch what an answer linked: no credentials.
    auto served = client().Get(url);
    ASSERT_TRUE(served.ok());
    ASSERT_EQ(served->status, 200) << served->body;
    EXPECT_EQ(served->headers.Get("Content-Type"), "image/webp");
    EXPECT_EQ(served->headers.Get("Cache-Control"), "public, max-age=31536000, immutable");
    EXPECT_EQ(served->headers.Get("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(served->headers.Get("Content-Encoding"), std::nullopt);
    const vips::VImage decoded = vips::VImage::new_from_buffer(served->body.data(), served->body.size(), "");
    EXPECT_EQ(decoded.width(), widths[i]);
    EXPECT_EQ(decoded.height(), heights[i]);
    EXPECT_EQ(decoded.get_typeof(VIPS_META_EXIF_NAME), 0u);
    EXPECT_EQ(served->body.find("GPS"), std::string::npos);
    EXPECT_EQ(served->body.find("PlazaCam"), std::string::npos);
  }
  EXPECT_EQ(StoredFiles(), 3);

  Credentials owner = LogInStaff(shop_, shop_.owner_email, shop_.owner_password);
  auto read = Call("GET", base_ + "/media/" + std::to_string(asset.at("id").as_int64()), owner);
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_GT(read.Json().at("uploader_profile_id").as_int64(), 0);
}

TEST_P(MediaApiTest, UploadingNeedsASignedInCustomerWithAProfile) {
  const std::string jpeg = Jpeg(100, 100);
  EXPECT_EQ(Upload(Credentials{}, jpeg).status, 401);
  Credentials ben = SignUpCustomer(shop_, "ben@example.com");
  EXPECT_EQ(Upload(ben, jpeg).ProblemType(), "/problems/social/no-profile");
  Credentials wrong_csrf = CustomerWithProfile(shop_, "ana");
  wrong_csrf.headers.Set("X-CSRF-Token", "wrong");
  EXPECT_EQ(Upload(wrong_csrf, jpeg).ProblemType(), "/problems/auth/csrf");
  EXPECT_EQ(StoredFiles(), 0);
}

TEST_P(MediaApiTest, StaffUploadTheRawImageWithCatalogWrite) {
  Credentials token = ApiToken(shop_, {"catalog:write", "catalog:read"});
  auto uploaded = Send(base_ + "/media?alt=Our%20new%20jar", token, "image/png", Png(500, 250));
  ASSERT_EQ(uploaded.status, 201) << uploaded.body;
  EXPECT_EQ(uploaded.Json().at("alt").as_string(), "Our new jar");
  EXPECT_EQ(uploaded.Json().at("renditions").as_array().size(), 2u);
  auto read = Call("GET", base_ + "/media/" + std::to_string(uploaded.Json().at("id").as_int64()), token);
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_TRUE(read.Json().at("uploader_profile_id").is_null());

  Credentials moderator = StaffWithRoles(shop_, "mod@example.com", {identity::Role::kModerator});
  EXPECT_EQ(Send(base_ + "/media", moderator, "image/png", Png(50, 50)).status, 403);
  Credentials read_only = ApiToken(shop_, {"catalog:read"});
  EXPECT_EQ(Send(base_ + "/media", read_only, "image/png", Png(50, 50)).status, 403);
  EXPECT_EQ(StoredFiles(), 2);
}

TEST_P(MediaApiTest, BadImagesAndBodiesAreRefusedPreciselyAndStoreNothing) {
  Credentials ana = CustomerWithProfile(shop_, "ana");
  const std::string jpeg = Jpeg(400, 300);
  auto bomb = Send(base_ + "/customer/media", ana, "image/png", PngClaiming(50'000, 50'000));
  EXPECT_EQ(bomb.status, 413);
  EXPECT_EQ(bomb.ProblemType(), "/problems/media/too-large");
  auto truncated = Upload(ana, jpeg.substr(0, jpeg.size() / 2));
  EXPECT_EQ(truncated.status, 422);
  EXPECT_EQ(truncated.ProblemType(), "/problems/media/unreadable-image");
  // Declared a JPEG, is an SVG with a script: the bytes decide.
  auto svg = Send(base_ + "/customer/media", ana, "image/jpeg", "<svg><script>alert(1)</script></svg>");
  EXPECT_EQ(svg.ProblemType(), "/problems/media/unsupported-type");
  auto polyglot_header = Upload(ana, std::string("\xFF\xD8\xFF\xE0", 4) + "<html><script>alert(1)</script>");
  EXPECT_EQ(polyglot_header.ProblemType(), "/problems/media/unreadable-image");

  auto json = Send(base_ + "/customer/media", ana, "application/json", "{}");
  EXPECT_EQ(json.status, 415);
  EXPECT_EQ(json.ProblemType(), "/problems/http/unsupported-media-type");
  auto unterminated = Send(base_ + "/customer/media", ana, "multipart/form-data; boundary=" + std::string(kBoundary),
                           Form(jpeg, "x").substr(0, 200));
  EXPECT_EQ(unterminated.status, 400);
  EXPECT_EQ(unterminated.ProblemType(), "/problems/http/bad-multipart");
  auto no_boundary = Send(base_ + "/customer/media", ana, "multipart/form-data", Form(jpeg, "x"));
  EXPECT_EQ(no_boundary.ProblemType(), "/problems/http/bad-multipart");
  const std::string no_file = "--" + std::string(kBoundary) +
                              "\r\nContent-Disposition: form-data; name=\"alt\"\r\n\r\nx\r\n--" +
                              std::string(kBoundary) + "--\r\n";
  auto missing =
      Send(base_ + "/customer/media", ana, "multipart/form-data; boundary=" + std::string(kBoundary), no_file);
  EXPECT_EQ(missing.status, 422);
  EXPECT_EQ(missing.Json().at("field").as_string(), "/file");
  auto long_alt = Upload(ana, jpeg, std::string(501, 'a'));
  EXPECT_EQ(long_alt.Json().at("field").as_string(), "/alt");
  EXPECT_EQ(StoredFiles(), 0);
}

TEST_P(MediaApiTest, OnlyTheUploadRoutesTakeLargeBodies) {
  Credentials ana = CustomerWithProfile(shop_, "ana");
  // 3 MB: past the server's 1 MiB default, within the upload routes' limit. It is not an
  // image, so it is refused by the media service — after the body was accepted.
  const std::string large(3 * 1024 * 1024, 'x');
  auto upload = Send(base_ + "/customer/media", ana, "image/jpeg", large);
  EXPECT_EQ(upload.ProblemType(), "/problems/media/unsupported-type");
  auto profile = Call("PATCH", base_ + "/customer/social/profile", ana, R"({"bio":")" + large + R"("})");
  EXPECT_EQ(profile.status, 413);
  EXPECT_EQ(profile.ProblemType(), "/problems/http/payload-too-large");
  // Past the upload limit: refused from the head alone, before the body is sent.
  http::testing::RawConnection raw(port());
  ASSERT_TRUE(raw.Connect().ok());
  std::string head = "POST " + base_ + "/customer/media HTTP/1.1\r\nHost: x\r\nContent-Type: image/jpeg\r\n";
  for (const auto& [name, value] : ana.headers) head += name + ": " + value + "\r\n";
  ASSERT_TRUE(raw.Write(head + "Content-Length: " + std::to_string(16 * 1024 * 1024) + "\r\n\r\n").ok());
  auto too_large = raw.ReadResponse();
  ASSERT_TRUE(too_large.ok()) << too_large.error().detail;
  EXPECT_EQ(too_large->status, 413);
  EXPECT_EQ(too_large->ProblemType(), "/problems/http/payload-too-large");
}

TEST_P(MediaApiTest, AnotherShopsImageIsAbsentEvenWithItsToken) {
  TestShop other = CreateShop("other");
  Credentials theirs = CustomerWithProfile(other, "ben");
  auto uploaded = Send("/api/v1/shops/other/customer/media", theirs, "image/jpeg", Jpeg(400, 300));
  ASSERT_EQ(uploaded.status, 201) << uploaded.body;
  const std::string url(uploaded.Json().at("renditions").at(0).at("url").as_string());
  ASSERT_EQ(client().Get(url)->status, 200);

  // The same id and token under this shop.
  const std::string own_prefix = "/api/v1/shops/" + std::to_string(other.id) + "/";
  const std::string foreign = base_ + "/" + url.substr(own_prefix.size());
  EXPECT_EQ(client().Get(foreign)->status, 404);
  Credentials owner = LogInStaff(shop_, shop_.owner_email, shop_.owner_password);
  const std::string id = std::to_string(uploaded.Json().at("id").as_int64());
  EXPECT_EQ(Call("GET", base_ + "/media/" + id, owner).status, 404);

  // A guessed token or a width that was not rendered is absent too.
  std::string guessed = url;
  const std::size_t token_at = url.rfind('/', url.rfind('/') - 1) + 1;
  guessed[token_at] = guessed[token_at] == 'a' ? 'b' : 'a';
  EXPECT_EQ(client().Get(guessed)->status, 404);
  EXPECT_EQ(client().Get(url.substr(0, url.rfind('/')) + "/1280.webp")->status, 404);
  EXPECT_EQ(client().Get(url.substr(0, url.rfind('/')) + "/0320.webp")->status, 404);
  EXPECT_EQ(client().Get(url.substr(0, url.rfind('/')) + "/320.png")->status, 404);
}

INSTANTIATE_TEST_SUITE_P(Backends, MediaApiTest, ::testing::ValuesIn(TestBackends()), BackendName());

}  // namespace
}  // namespace plaza::testing
