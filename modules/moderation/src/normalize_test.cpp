#include "normalize.h"

#include <gtest/gtest.h>

#include <string>

namespace plaza::moderation::internal {
namespace {

// The text with the spans of `pattern` masked, or "<no match>".
std::string MaskedBy(const std::string& pattern, const std::string& text) {
  auto normal = Normalize(text);
  EXPECT_TRUE(normal.ok());
  auto compiled = NormalizePattern(pattern);
  EXPECT_TRUE(compiled.ok());
  if (!normal.ok() || !compiled.ok()) return "<error>";
  const std::vector<Span> spans = FindMatches(*normal, ParseKey(Key(*compiled)));
  if (spans.empty()) return "<no match>";
  return Mask(text, spans);
}

TEST(NormalizeTest, PlainWordMatchesAndIsMasked) {
  EXPECT_EQ(MaskedBy("bad", "a bad day"), "a *** day");
}

TEST(NormalizeTest, CaseDoesNotMatter) {
  EXPECT_EQ(MaskedBy("bad", "a BaD day"), "a *** day");
  EXPECT_EQ(MaskedBy("BAD", "a bad day"), "a *** day");
}

TEST(NormalizeTest, SpacedOutLettersMatch) {
  EXPECT_EQ(MaskedBy("bad", "so b a d today"), "so ***** today");
  EXPECT_EQ(MaskedBy("bad", "so b.a.d today"), "so ***** today");
  EXPECT_EQ(MaskedBy("bad", "so b-a-d today"), "so ***** today");
  EXPECT_EQ(MaskedBy("bad", "so b _ a _ d today"), "so ********* today");
}

TEST(NormalizeTest, SpacedOutLettersMatchInsideALongerSpelling) {
  EXPECT_EQ(MaskedBy("bad", "t h e b a d one"), "t h e ***** one");
}

TEST(NormalizeTest, LettersOnDifferentLinesAreNotJoined) {
  EXPECT_EQ(MaskedBy("bad", "b\na\nd"), "<no match>");
}

TEST(NormalizeTest, CyrillicLookAlikeMatches) {
  EXPECT_EQ(MaskedBy("bad", "a b\u0430d day"), "a *** day");  // Cyrillic а
}

TEST(NormalizeTest, GreekAndCyrillicLookAlikesInThePatternMatchLatinText) {
  EXPECT_EQ(MaskedBy("\u0441\u043e\u0440\u0443", "copy that"), "**** that");  // Cyrillic "сору"
}

TEST(NormalizeTest, FullWidthLettersMatch) {
  EXPECT_EQ(MaskedBy("bad", "a \uff42\uff41\uff44 day"), "a *** day");
}

TEST(NormalizeTest, ZeroWidthCharactersDoNotSplitTheWord) {
  EXPECT_EQ(MaskedBy("bad", "a b\u200Ba\u200Dd\u2060 day"), "a ****** day");
  EXPECT_EQ(MaskedBy("bad", "a \uFEFFbad day"), "a \uFEFF*** day");  // outside the word: left alone
}

TEST(NormalizeTest, CombiningMarksAreIgnoredAndMaskedWithTheirLetter) {
  EXPECT_EQ(MaskedBy("bad", "a b\u0336a\u0336d\u0336 day"), "a ****** day");
  EXPECT_EQ(MaskedBy("bad", "a b\u00e0d day"), "a *** day");         // precomposed à
  EXPECT_EQ(MaskedBy("cafe", "un caf\u00e9 noir"), "un **** noir");  // é
}

TEST(NormalizeTest, DigitLookAlikesMatch) {
  EXPECT_EQ(MaskedBy("bool", "a b00l here"), "a **** here");
}

TEST(NormalizeTest, AllEvasionsTogether) {
  EXPECT_EQ(MaskedBy("bad", "\uff42 \u0430 . D\u0336\u200B!"), "*********!");
}

TEST(NormalizeTest, WordsInsideLongerWordsDoNotMatch) {
  EXPECT_EQ(MaskedBy("ass", "a classic assessment"), "<no match>");
  EXPECT_EQ(MaskedBy("bad", "badminton in Baden"), "<no match>");
}

TEST(NormalizeTest, TrailingStarMatchesLongerWords) {
  EXPECT_EQ(MaskedBy("idiot*", "you idiots"), "you ******");
  EXPECT_EQ(MaskedBy("idiot*", "you idiot"), "you *****");
  EXPECT_EQ(MaskedBy("idiot*", "an idio"), "<no match>");
}

TEST(NormalizeTest, MultiWordPatternNeedsTheWordsInOrder) {
  EXPECT_EQ(MaskedBy("buy followers", "buy real followers"), "<no match>");
  EXPECT_EQ(MaskedBy("buy followers", "please, Buy... FOLLOWERS!"), "please, ****************!");
}

TEST(NormalizeTest, EveryOccurrenceIsMasked) {
  EXPECT_EQ(MaskedBy("bad", "bad, bad, b a d"), "***, ***, *****");
}

TEST(NormalizeTest, NonLatinPatternsMatch) {
  EXPECT_EQ(MaskedBy("\u0434\u0443\u0440\u0430\u043a", "\u0442\u044b \u0414\u0423\u0420\u0410\u041a!"),
            "\u0442\u044b *****!");
}

TEST(NormalizeTest, PatternWithoutLettersIsRefused) {
  auto pattern = NormalizePattern(" .. *");
  ASSERT_FALSE(pattern.ok());
  EXPECT_EQ(pattern.error().type, "moderation/empty-pattern");
}

TEST(NormalizeTest, SpellingsOfOnePatternShareAKey) {
  EXPECT_EQ(Key(*NormalizePattern("BAD")), Key(*NormalizePattern("b a d")));
  EXPECT_EQ(Key(*NormalizePattern("b\u0430d")), Key(*NormalizePattern("bad")));
  EXPECT_NE(Key(*NormalizePattern("bad*")), Key(*NormalizePattern("bad")));
}

TEST(NormalizeTest, InvalidUtf8IsRefused) {
  auto normal = Normalize("bad \xff");
  ASSERT_FALSE(normal.ok());
  EXPECT_EQ(normal.error().type, "validation/utf8");
}

TEST(NormalizeTest, MaskKeepsMultibyteTextIntact) {
  EXPECT_EQ(MaskedBy("bad", "\u00fcber bad \U0001F600"), "\u00fcber *** \U0001F600");
}

}  // namespace
}  // namespace plaza::moderation::internal
