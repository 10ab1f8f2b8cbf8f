#include "plaza/core/text.h"

#include <gtest/gtest.h>

namespace plaza::text {
namespace {

TEST(Utf8Test, AcceptsWellFormedText) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ascii"));
  EXPECT_TRUE(IsValidUtf8("cr\xC3\xA8me"));      // è
  EXPECT_TRUE(IsValidUtf8("\xE2\x82\xAC"));      // €
  EXPECT_TRUE(IsValidUtf8("\xF0\x9F\x98\x80"));  // emoji
}

TEST(Utf8Test, RejectsMalformedText) {
  EXPECT_FALSE(IsValidUtf8("\xC3"));              // truncated
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xFF"));
  EXPECT_FALSE(IsValidUtf8("ok\x80"));  // stray continuation
}

TEST(EscapeHtmlTest, MakesMarkupInert) {
  EXPECT_EQ(EscapeHtml("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
}

TEST(EncodingTest, HexRoundTrips) {
  const std::vector<std::uint8_t> bytes = {0x00, 0x7f, 0xff, 0x10};
  EXPECT_EQ(HexEncode(bytes), "007fff10");
  EXPECT_EQ(HexDecode("007FFF10"), bytes);
  EXPECT_FALSE(HexDecode("abc").has_value());
  EXPECT_FALSE(HexDecode("zz").has_value());
}

TEST(EncodingTest, Base32MatchesRfc4648Vectors) {
  EXPECT_EQ(Base32Encode(AsBytes("foobar")), "MZXW6YTBOI");
  EXPECT_EQ(Base32Encode(AsBytes("f")), "MY");
  const auto decoded = Base32Decode("mzxw 6ytb oi==");
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(std::string(decoded->begin(), decoded->end()), "foobar");
  EXPECT_FALSE(Base32Decode("MZ1").has_value());
}

TEST(EncodingTest, Base64UrlHasNoPaddingOrUnsafeCharacters) {
  EXPECT_EQ(Base64UrlEncode(AsBytes("foob")), "Zm9vYg");
  const std::vector<std::uint8_t> high = {0xfb, 0xff};
  EXPECT_EQ(Base64UrlEncode(high), "-_8");
}

TEST(TextTest, TrimsAndLowersAscii) {
  EXPECT_EQ(TrimAscii("  a b \r\n"), "a b");
  EXPECT_EQ(ToLowerAscii("MiXeD"), "mixed");
  EXPECT_EQ(CodePointCount("cr\xC3\xA8me"), 5u);
}

}  // namespace
}  // namespace plaza::text
