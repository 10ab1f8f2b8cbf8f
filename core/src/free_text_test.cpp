#include "plaza/core/free_text.h"

#include <gtest/gtest.h>

namespace plaza::text {
namespace {

constexpr FreeTextRule kComment{
    .what = "the comment", .min_length = 1, .max_length = 10, .allow_newlines = true, .problem_area = "social"};

TEST(FreeTextTest, AcceptsLettersEmojiJoinersAndLineBreaks) {
  EXPECT_TRUE(CheckFreeText("h\xC3\xA9llo\nyou", "/text", kComment).ok());
  EXPECT_TRUE(CheckFreeText("a\r\nb\tc", "/text", kComment).ok());
  // Family emoji: three people joined by zero-width joiners.
  EXPECT_TRUE(CheckFreeText("\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7", "/text", kComment).ok());
}

TEST(FreeTextTest, NamesTheInvisibleCharacterAndItsPosition) {
  const Status status = CheckFreeText(
      "ab\xE2\x80\x8B"
      "c",
      "/text", kComment);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().type, "social/invisible-character");
  EXPECT_EQ(status.error().field, "/text");
  EXPECT_NE(status.error().detail.find("U+200B at position 3"), std::string::npos) << status.error().detail;
}

TEST(FreeTextTest, RefusesControlCharactersAndLineBreaksWhereNotAllowed) {
  EXPECT_EQ(CheckFreeText("a\x01", "/text", kComment).error().type, "social/control-character");
  FreeTextRule name = kComment;
  name.allow_newlines = false;
  name.problem_area = "reviews";
  EXPECT_EQ(CheckFreeText("a\nb", "/name", name).error().type, "reviews/control-character");
}

TEST(FreeTextTest, CountsCodePointsNotBytesAgainstTheLimits) {
  EXPECT_TRUE(CheckFreeText(std::string(5, 'a') + "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", "/text", kComment).ok());
  EXPECT_EQ(CheckFreeText(std::string(11, 'a'), "/text", kComment).error().type, "validation/too-long");
  EXPECT_EQ(CheckFreeText("", "/text", kComment).error().type, "validation/required");
  EXPECT_EQ(CheckFreeText("\xFF", "/text", kComment).error().type, "validation/utf8");
}

TEST(FreeTextTest, BlankCountsAsMissingOnlyWhenTheRuleSaysSo) {
  EXPECT_TRUE(CheckFreeText("   ", "/text", kComment).ok());
  FreeTextRule review = kComment;
  review.require_non_blank = true;
  EXPECT_EQ(CheckFreeText("   ", "/text", review).error().type, "validation/required");
}

}  // namespace
}  // namespace plaza::text
