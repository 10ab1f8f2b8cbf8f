#include "plaza/media/media_store.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <thread>
#include <vector>

#include "plaza_test/databases.h"

namespace plaza::media {
namespace {

class DiskMediaStoreTest : public ::testing::Test {
 protected:
  DiskMediaStoreTest() : root_(plaza::testing::MakeTempDir("plaza-media-store")) {}
  ~DiskMediaStoreTest() override {
    std::error_code ignored;  // a leftover temporary directory is harmless
    std::filesystem::remove_all(root_, ignored);
  }

  std::vector<std::string> Files() const {
    std::vector<std::string> files;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root_)) {
      if (entry.is_regular_file()) files.push_back(std::filesystem::relative(entry.path(), root_).string());
    }
    return files;
  }

  std::string root_;
};

TEST(StoreKeyTest, OnlyGeneratedLookingKeysAreValid) {
  EXPECT_TRUE(IsValidStoreKey("1/0a1b2c/320.webp"));
  EXPECT_TRUE(IsValidStoreKey("a"));
  for (const char* key : {"", "/abs", "a//b", "a/", "../etc/passwd", "a/../b", ".hidden", "a/.tmp-x", "A/b", "a b",
                          "a\\b", "a/b\n", "caf\xC3\xA9"}) {
    EXPECT_FALSE(IsValidStoreKey(key)) << key;
  }
  EXPECT_FALSE(IsValidStoreKey(std::string(201, 'a')));
}

TEST_F(DiskMediaStoreTest, PutGetReplaceAndDelete) {
  auto store = DiskMediaStore::Open(root_ + "/nested/media");
  ASSERT_TRUE(store.ok()) << store.error().detail;
  ASSERT_TRUE((*store)->Put("7/abc/320.webp", std::string("first\0bytes", 11)).ok());
  EXPECT_EQ(*(*store)->Get("7/abc/320.webp"), std::string("first\0bytes", 11));
  ASSERT_TRUE((*store)->Put("7/abc/320.webp", "second").ok());
  EXPECT_EQ(*(*store)->Get("7/abc/320.webp"), "second");
  EXPECT_TRUE((*store)->Delete("7/abc/320.webp").ok());
  EXPECT_EQ((*store)->Get("7/abc/320.webp").error().code, ErrorCode::kNotFound);
  EXPECT_TRUE((*store)->Delete("7/abc/320.webp").ok());
}

TEST_F(DiskMediaStoreTest, KeysOutsideTheAlphabetNeverTouchTheDisk) {
  auto store = DiskMediaStore::Open(root_);
  ASSERT_TRUE(store.ok());
  EXPECT_FALSE((*store)->Put("../escaped", "x").ok());
  EXPECT_FALSE((*store)->Put("a/../../escaped", "x").ok());
  EXPECT_FALSE(std::filesystem::exists(std::filesystem::path(root_).parent_path() / "escaped"));
  EXPECT_EQ((*store)->Get("../../etc/passwd").error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(Files().empty());
}

TEST_F(DiskMediaStoreTest, ConcurrentWritersOfOneKeyLeaveOneWholeFileAndNoTemporaries) {
  auto store = DiskMediaStore::Open(root_);
  ASSERT_TRUE(store.ok());
  const std::string a(200'000, 'a');
  const std::string b(300'000, 'b');
  std::vector<std::thread> writers;
  for (int i = 0; i < 4; ++i) {
    writers.emplace_back([&, i] {
      for (int round = 0; round < 20; ++round) EXPECT_TRUE((*store)->Put("1/k/640.webp", i % 2 ? a : b).ok());
    });
  }
  for (std::thread& writer : writers) writer.join();
  const std::string stored = *(*store)->Get("1/k/640.webp");
  EXPECT_TRUE(stored == a || stored == b) << "a torn file of " << stored.size() << " bytes";
  EXPECT_EQ(Files(), std::vector<std::string>{"1/k/640.webp"});
}

}  // namespace
}  // namespace plaza::media
