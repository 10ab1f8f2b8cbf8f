#include "plaza/catalog/media_referrer.h"

#include <gtest/gtest.h>

#include "catalog_test_fixture.h"
#include "plaza/media/migrations.h"

namespace plaza::catalog::testing {
namespace {

constexpr std::int64_t kCustomerProfile = 7;

std::string OnePixelPng() {
  static constexpr unsigned char kPng[] = {
      0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00,
      0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00,
      0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0xDA, 0x63, 0x64, 0x60, 0xF8, 0x5F, 0x0F, 0x00, 0x02, 0x87, 0x01, 0x80,
      0xEB, 0x47, 0xBA, 0x92, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82};
  return std::string(reinterpret_cast<const char*>(kPng), sizeof kPng);
}

class ProductImageSweepTest : public CatalogTest {
 protected:
  ProductImageSweepTest()
      : store_(std::move(media::DiskMediaStore::Open(media_dir_.path())).value()), media_(db(), clock_, *store_) {}

  void SetUp() override {
    CatalogTest::SetUp();
    ASSERT_TRUE(store::Migrate(db(), std::vector<store::MigrationSet>{media::MediaMigrations()}).ok());
    media_.RegisterReferrer(referrer_);
  }

  media::MediaAsset Upload(std::int64_t shop = kShop) {
    auto asset = media_.Upload(shop, {OnePixelPng(), "", kCustomerProfile});
    EXPECT_TRUE(asset.ok()) << asset.error().detail;
    return asset.ok() ? *asset : media::MediaAsset{};
  }

  static std::string Link(const media::MediaAsset& asset) {
    return "https://shop.example" + media::MediaPath(asset, asset.renditions.front().width);
  }

  bool Exists(const media::MediaAsset& asset) { return media_.Get(asset.shop_id, asset.id).ok(); }

  plaza::testing::TempDir media_dir_{"plaza-catalog-sweep"};
  std::unique_ptr<media::DiskMediaStore> store_;
  media::MediaService media_;
  CatalogMediaReferrer referrer_;
};

TEST_P(ProductImageSweepTest, AnUploadAProductLinksStaysUntilTheProductDropsIt) {
  const media::MediaAsset featured = Upload();
  const media::MediaAsset orphan = Upload();
  const media::MediaAsset foreign = Upload(kOtherShop);
  ProductInput input = Shirt();
  input.media.push_back({Link(featured), "worn by a customer"});
  const Product product = Create(input);
  // A product of shop 2 linking shop 1's image keeps nothing: each shop's links are read
  // for its own sweep only.
  ProductInput other = Shirt("other-shirt", "OT");
  other.media.push_back({Link(orphan), ""});
  Create(other, kOtherShop);

  clock_.Advance(media::kOrphanGrace + std::chrono::minutes(1));
  auto swept = media_.SweepOrphans(kShop);
  CATALOG_ASSERT_OK(swept);
  EXPECT_EQ(swept->assets, 1);
  EXPECT_TRUE(Exists(featured));
  EXPECT_FALSE(Exists(orphan));
  EXPECT_TRUE(Exists(foreign));

  input.media.pop_back();
  CATALOG_ASSERT_OK(service_.UpdateProduct(kShop, product.id, input));
  swept = media_.SweepOrphans(kShop);
  CATALOG_ASSERT_OK(swept);
  EXPECT_EQ(swept->assets, 1);
  EXPECT_FALSE(Exists(featured));
}

INSTANTIATE_TEST_SUITE_P(Backends, ProductImageSweepTest, ::testing::ValuesIn(plaza::testing::TestBackends()),
                         plaza::testing::BackendName());

}  // namespace
}  // namespace plaza::catalog::testing
