#include "plaza/identity/totp.h"

#include <gtest/gtest.h>

#include "plaza/core/text.h"

namespace plaza::identity::totp {
namespace {

// RFC 6238 appendix B uses this ASCII secret for its SHA-1 vectors.
const std::string kRfcSecret = "12345678901234567890";

std::span<const std::uint8_t> RfcKey() {
  return text::AsBytes(kRfcSecret);
}

TimePoint AtSeconds(std::int64_t seconds) {
  return FromUnixMillis(seconds * 1000);
}

TEST(TotpTest, Rfc6238Sha1Vectors) {
  struct Vector {
    std::int64_t unix_seconds;
    const char* code;
  };
  const Vector vectors[] = {{59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
                            {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"}};
  for (const Vector& vector : vectors) {
    EXPECT_EQ(CodeForStep(RfcKey(), StepAt(AtSeconds(vector.unix_seconds)), 8), vector.code) << vector.unix_seconds;
  }
}

TEST(TotpTest, SixDigitsAreTheLowDigits) {
  EXPECT_EQ(CodeForStep(RfcKey(), StepAt(AtSeconds(59))), "287082");
  EXPECT_EQ(CodeForStep(RfcKey(), StepAt(AtSeconds(1111111109))), "081804");  // keeps the leading zero
}

TEST(TotpTest, StepsAreThirtySeconds) {
  EXPECT_EQ(StepAt(AtSeconds(0)), 0);
  EXPECT_EQ(StepAt(AtSeconds(29)), 0);
  EXPECT_EQ(StepAt(AtSeconds(30)), 1);
  EXPECT_EQ(StepAt(FromUnixMillis(59'999)), 1);
}

TEST(TotpTest, AcceptsOneStepOfSkewEitherSide) {
  const TimePoint now = AtSeconds(1111111111);
  const std::int64_t step = StepAt(now);
  for (std::int64_t offset = -1; offset <= 1; ++offset) {
    EXPECT_EQ(MatchStep(RfcKey(), CodeForStep(RfcKey(), step + offset), now), step + offset) << offset;
  }
  EXPECT_FALSE(MatchStep(RfcKey(), CodeForStep(RfcKey(), step - 2), now).has_value());
  EXPECT_FALSE(MatchStep(RfcKey(), CodeForStep(RfcKey(), step + 2), now).has_value());
}

TEST(TotpTest, RejectsMalformedCodes) {
  const TimePoint now = AtSeconds(59);
  EXPECT_TRUE(MatchStep(RfcKey(), "287082", now).has_value());
  EXPECT_FALSE(MatchStep(RfcKey(), "28708", now).has_value());
  EXPECT_FALSE(MatchStep(RfcKey(), "2870820", now).has_value());
  EXPECT_FALSE(MatchStep(RfcKey(), "28708x", now).has_value());
  EXPECT_FALSE(MatchStep(RfcKey(), "", now).has_value());
}

TEST(TotpTest, OtpAuthUriEscapesLabels) {
  EXPECT_EQ(OtpAuthUri("Ann's Shop", "ann@example.com", "GEZDGNBV"),
            "otpauth://totp/Ann%27s%20Shop:ann%40example.com?secret=GEZDGNBV&issuer=Ann%27s%20Shop"
            "&algorithm=SHA1&digits=6&period=30");
}

}  // namespace
}  // namespace plaza::identity::totp
