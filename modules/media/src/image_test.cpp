#include "image.h"

#include <gtest/gtest.h>

#include "plaza_test/images.h"

namespace plaza::media {
namespace {

using testing::Gradient;

class ImageTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { InitMedia(); }
};

vips::VImage LoadWebp(const std::string& webp) {
  return vips::VImage::new_from_buffer(webp.data(), webp.size(), "",
                                       vips::VImage::option()->set("access", VIPS_ACCESS_RANDOM))
      .copy_memory();
}

TEST(SniffTest, RecognisesTheThreeTypesByTheirMagicBytes) {
  InitMedia();
  EXPECT_EQ(SniffImageType(testing::Jpeg(8, 8)), ImageType::kJpeg);
  EXPECT_EQ(SniffImageType(testing::Png(8, 8)), ImageType::kPng);
  EXPECT_EQ(SniffImageType(testing::Webp(8, 8)), ImageType::kWebp);
  EXPECT_EQ(SniffImageType("GIF89a\x01\x00\x01\x00"), std::nullopt);
  EXPECT_EQ(SniffImageType("<svg xmlns=\"http://www.w3.org/2000/svg\"/>"), std::nullopt);
  EXPECT_EQ(SniffImageType("RIFF\x10\x00\x00\x00WAVEfmt "), std::nullopt);
  EXPECT_EQ(SniffImageType(""), std::nullopt);
  EXPECT_EQ(SniffImageType("\xFF\xD8"), std::nullopt);
}

TEST(RenditionWidthsTest, NeverUpscales) {
  EXPECT_EQ(RenditionWidthsFor(4000), (std::vector<int>{320, 640, 1280}));
  EXPECT_EQ(RenditionWidthsFor(1280), (std::vector<int>{320, 640, 1280}));
  EXPECT_EQ(RenditionWidthsFor(800), (std::vector<int>{320, 640, 800}));
  EXPECT_EQ(RenditionWidthsFor(640), (std::vector<int>{320, 640}));
  EXPECT_EQ(RenditionWidthsFor(300), (std::vector<int>{300}));
  EXPECT_EQ(RenditionWidthsFor(1), (std::vector<int>{1}));
}

TEST_F(ImageTest, ReencodesAJpegAsWebpAtEachWidthKeepingTheAspectRatio) {
  auto renditions = ProcessImage(testing::Jpeg(2000, 1500), {});
  ASSERT_TRUE(renditions.ok()) << renditions.error().detail;
  ASSERT_EQ(renditions->size(), 3u);
  const int expected[][2] = {{320, 240}, {640, 480}, {1280, 960}};
  for (std::size_t i = 0; i < 3; ++i) {
    const EncodedRendition& rendition = (*renditions)[i];
    EXPECT_EQ(rendition.width, expected[i][0]);
    EXPECT_EQ(rendition.height, expected[i][1]);
    ASSERT_EQ(SniffImageType(rendition.webp), ImageType::kWebp);
    const vips::VImage decoded = LoadWebp(rendition.webp);
    EXPECT_EQ(decoded.width(), expected[i][0]);
    EXPECT_EQ(decoded.height(), expected[i][1]);
  }
}

TEST_F(ImageTest, PngAndWebpAreAcceptedToo) {
  auto png = ProcessImage(testing::Png(700, 350), {});
  ASSERT_TRUE(png.ok()) << png.error().detail;
  ASSERT_EQ(png->size(), 3u);
  EXPECT_EQ(png->back().width, 700);
  EXPECT_EQ(png->back().height, 350);
  auto webp = ProcessImage(testing::Webp(200, 100), {});
  ASSERT_TRUE(webp.ok()) << webp.error().detail;
  ASSERT_EQ(webp->size(), 1u);
  EXPECT_EQ(webp->front().width, 200);
  EXPECT_EQ(webp->front().height, 100);
}

TEST_F(ImageTest, TransparencySurvivesAsAnAlphaChannel) {
  const vips::VImage rgba = Gradient(64, 64).bandjoin_const({128});
  auto renditions = ProcessImage(testing::Png(rgba), {});
  ASSERT_TRUE(renditions.ok()) << renditions.error().detail;
  EXPECT_EQ(LoadWebp(renditions->front().webp).bands(), 4);
}

TEST_F(ImageTest, GpsExifAndXmpDoNotSurviveTheReencode) {
  const std::string original = testing::JpegWithGps(800, 600);
  // The fixture really carries the location, or this test would prove nothing.
  const vips::VImage source = vips::VImage::new_from_buffer(original.data(), original.size(), "");
  ASSERT_NE(source.get_typeof("exif-ifd3-GPSLatitude"), 0u);
  ASSERT_NE(source.get_typeof(VIPS_META_XMP_NAME), 0u);
  ASSERT_NE(original.find("PlazaCam"), std::string::npos);

  auto renditions = ProcessImage(original, {});
  ASSERT_TRUE(renditions.ok()) << renditions.error().detail;
  for (const EncodedRendition& rendition : *renditions) {
    const vips::VImage decoded = LoadWebp(rendition.webp);
    EXPECT_EQ(decoded.get_typeof(VIPS_META_EXIF_NAME), 0u);
    EXPECT_EQ(decoded.get_typeof("exif-ifd3-GPSLatitude"), 0u);
    EXPECT_EQ(decoded.get_typeof(VIPS_META_XMP_NAME), 0u);
    EXPECT_EQ(decoded.get_typeof(VIPS_META_ICC_NAME), 0u);
    EXPECT_EQ(rendition.webp.find("Exif"), std::string::npos);
    EXPECT_EQ(rendition.webp.find("XMP"), std::string::npos);
    EXPECT_EQ(rendition.webp.find("PlazaCam"), std::string::npos);
    EXPECT_EQ(rendition.webp.find("GPS"), std::string::npos);
  }
}

TEST_F(ImageTest, StripWebpMetadataDropsTheChunksAndTheirFlags) {
  vips::VImage image = Gradient(32, 32).bandjoin_const({200}).copy();
  image.set("exif-ifd0-Make", "PlazaCam");
  const std::string with_exif = testing::Webp(image);
  ASSERT_NE(with_exif.find("EXIF"), std::string::npos);
  auto stripped = StripWebpMetadata(with_exif);
  ASSERT_TRUE(stripped.ok()) << stripped.error().detail;
  EXPECT_EQ(stripped->find("EXIF"), std::string::npos);
  EXPECT_EQ(stripped->find("PlazaCam"), std::string::npos);
  ASSERT_EQ(stripped->substr(12, 4), "VP8X");
  EXPECT_EQ(static_cast<unsigned char>((*stripped)[20]) & 0x2C, 0) << "ICC, EXIF or XMP still announced";
  EXPECT_NE(static_cast<unsigned char>((*stripped)[20]) & 0x10, 0) << "the alpha flag was lost";
  const vips::VImage decoded = LoadWebp(*stripped);
  EXPECT_EQ(decoded.width(), 32);
  EXPECT_EQ(decoded.bands(), 4);
  EXPECT_EQ(decoded.get_typeof(VIPS_META_EXIF_NAME), 0u);

  EXPECT_FALSE(StripWebpMetadata(with_exif.substr(0, with_exif.size() - 3)).ok());
}

TEST_F(ImageTest, OrientationIsAppliedBeforeTheMetadataGoes) {
  vips::VImage sideways = Gradient(800, 400).copy();
  sideways.set(VIPS_META_ORIENTATION, 6);  // "rotate 90° clockwise to display"
  auto renditions = ProcessImage(testing::Jpeg(sideways), {});
  ASSERT_TRUE(renditions.ok()) << renditions.error().detail;
  // Displayed upright it is 400 wide and 800 tall.
  ASSERT_EQ(renditions->size(), 2u);
  EXPECT_EQ(renditions->back().width, 400);
  EXPECT_EQ(renditions->back().height, 800);
  const vips::VImage decoded = LoadWebp(renditions->back().webp);
  EXPECT_EQ(decoded.width(), 400);
  EXPECT_EQ(decoded.get_typeof(VIPS_META_ORIENTATION), 0u);
}

TEST_F(ImageTest, ALargeJpegIsShrunkWhileDecodingAndStillGivesFullWidths) {
  auto renditions = ProcessImage(testing::Jpeg(6000, 4000), {});
  ASSERT_TRUE(renditions.ok()) << renditions.error().detail;
  ASSERT_EQ(renditions->size(), 3u);
  EXPECT_EQ(renditions->back().width, 1280);
  EXPECT_NEAR(renditions->back().height, 853, 1);
}

TEST_F(ImageTest, AFileOverTheByteLimitIsRefusedBeforeItIsRead) {
  ImageLimits limits;
  limits.max_bytes = 1000;
  auto result = ProcessImage(std::string(1001, '\xFF'), limits);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().type, "media/too-large");
  EXPECT_EQ(result.error().code, ErrorCode::kPayloadTooLarge);
}

TEST_F(ImageTest, APngBombIsRefusedFromItsHeader) {
  const std::string bomb = testing::PngClaiming(50'000, 50'000);
  ASSERT_LT(bomb.size(), 2000u);
  auto result = ProcessImage(bomb, {});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().type, "media/too-large");
  EXPECT_NE(result.error().detail.find("50000 × 50000"), std::string::npos) << result.error().detail;
}

TEST_F(ImageTest, AJpegBombIsRefusedFromItsHeader) {
  auto result = ProcessImage(testing::JpegClaiming(65'000, 65'000), {});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().type, "media/too-large");
}

TEST_F(ImageTest, ALongThinImageIsRefusedByItsSide) {
  ImageLimits limits;
  limits.max_side = 1000;
  auto result = ProcessImage(testing::Png(1001, 2), limits);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().type, "media/too-large");
}

TEST_F(ImageTest, OtherFormatsAreUnsupportedWhateverTheyClaim) {
  for (const std::string& bytes :
       {std::string("GIF89a\x01\x00\x01\x00\x80\x00\x00", 13),
        std::string("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"),
        std::string("%PDF-1.4\n"), std::string()}) {
    auto result = ProcessImage(bytes, {});
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().type, "media/unsupported-type");
  }
}

TEST_F(ImageTest, TruncatedImagesAreUnreadable) {
  for (const std::string& whole : {testing::Jpeg(400, 300), testing::Png(400, 300), testing::Webp(400, 300)}) {
    auto result = ProcessImage(whole.substr(0, whole.size() / 2), {});
    ASSERT_FALSE(result.ok()) << "a half image was accepted";
    EXPECT_EQ(result.error().type, "media/unreadable-image");
    EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
  }
}

TEST_F(ImageTest, MagicBytesFollowedByJunkAreUnreadable) {
  for (const std::string& magic : {std::string("\xFF\xD8\xFF\xE0", 4), std::string("\x89PNG\r\n\x1A\n", 8),
                                   std::string("RIFF\x00\x01\x00\x00WEBPVP8 ", 16)}) {
    auto result = ProcessImage(magic + "<html><script>alert(document.cookie)</script></html>", {});
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().type, "media/unreadable-image");
  }
}

TEST_F(ImageTest, APngBodyBehindJpegMagicIsUnreadable) {
  const std::string png = testing::Png(64, 64);
  auto result = ProcessImage(std::string("\xFF\xD8\xFF", 3) + png, {});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().type, "media/unreadable-image");
}

// A polyglot is a valid image that is also something else (HTML, a ZIP) after its end.
// Phones append trailers after a JPEG's end too, so it is not refused; what matters is
// that nothing of the file but its pixels reaches what is served.
TEST_F(ImageTest, APolyglotsPayloadNeverReachesTheRenditions) {
  const std::string payload = "<html><script>alert(document.cookie)</script></html>PK\x03\x04";
  auto result = ProcessImage(testing::Jpeg(500, 300) + payload, {});
  ASSERT_TRUE(result.ok()) << result.error().detail;
  for (const EncodedRendition& rendition : *result) {
    EXPECT_EQ(rendition.webp.find("<script>"), std::string::npos);
    EXPECT_EQ(rendition.webp.find("<html>"), std::string::npos);
  }
}

TEST_F(ImageTest, CorruptedPixelDataIsUnreadable) {
  std::string png = testing::Png(300, 300);
  // Flip bytes inside the compressed pixel data (IDAT) only.
  const std::size_t idat = png.find("IDAT");
  ASSERT_NE(idat, std::string::npos);
  for (std::size_t i = idat + 10; i < idat + 60 && i < png.size(); ++i) png[i] = static_cast<char>(~png[i]);
  auto result = ProcessImage(png, {});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().type, "media/unreadable-image");
}

}  // namespace
}  // namespace plaza::media
