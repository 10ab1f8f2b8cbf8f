#include "plaza/channels/webhook_signature.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "plaza/core/crypto.h"

namespace plaza::channels {
namespace {

constexpr std::int64_t kTimestamp = 1'700'000'000;
const TimePoint kNow = FromUnixMillis(kTimestamp * 1000);

class SignatureTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { crypto::InitCrypto(); }
};

TEST_F(SignatureTest, MatchesAnIndependentlyComputedHmac) {
  // python3 -c 'import hmac,hashlib; print(hmac.new(b"whsec_test",
  //   b"1700000000.{\"a\":1}", hashlib.sha256).hexdigest())'
  EXPECT_EQ(ComputeSignature("whsec_test", kTimestamp, R"({"a":1})"),
            "38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789");
}

TEST_F(SignatureTest, HeaderVerifiesWithItsSecretOnly) {
  const std::vector<std::string> secrets = {"whsec_test"};
  const std::string header = SignatureHeader(secrets, kTimestamp, R"({"a":1})");
  EXPECT_EQ(header, "t=1700000000,v1=38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789");
  EXPECT_TRUE(VerifySignature(header, R"({"a":1})", "whsec_test", kNow).ok());
  const Status wrong_secret = VerifySignature(header, R"({"a":1})", "whsec_other", kNow);
  ASSERT_FALSE(wrong_secret.ok());
  EXPECT_EQ(wrong_secret.error().type, "webhook/signature-mismatch");
  EXPECT_EQ(wrong_secret.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(VerifySignature(header, R"({"a":2})", "whsec_test", kNow).error().type, "webhook/signature-mismatch");
  EXPECT_EQ(VerifySignature(header, R"({"a":1} )", "whsec_test", kNow).error().type, "webhook/signature-mismatch");
}

TEST_F(SignatureTest, EitherSecretVerifiesDuringARotation) {
  const std::vector<std::string> secrets = {"whsec_new", "whsec_old"};
  const std::string header = SignatureHeader(secrets, kTimestamp, "{}");
  EXPECT_TRUE(VerifySignature(header, "{}", "whsec_new", kNow).ok());
  EXPECT_TRUE(VerifySignature(header, "{}", "whsec_old", kNow).ok());
  EXPECT_FALSE(VerifySignature(header, "{}", "whsec_neither", kNow).ok());
}

TEST_F(SignatureTest, RejectsTimestampsOutsideTheTolerance) {
  const std::vector<std::string> secrets = {"s"};
  const std::string header = SignatureHeader(secrets, kTimestamp, "{}");
  EXPECT_TRUE(VerifySignature(header, "{}", "s", kNow + std::chrono::seconds(300)).ok());
  EXPECT_TRUE(VerifySignature(header, "{}", "s", kNow - std::chrono::seconds(300)).ok());
  EXPECT_EQ(VerifySignature(header, "{}", "s", kNow + std::chrono::seconds(301)).error().type,
            "webhook/stale-timestamp");
  EXPECT_EQ(VerifySignature(header, "{}", "s", kNow - std::chrono::seconds(301)).error().type,
            "webhook/stale-timestamp");
  EXPECT_TRUE(VerifySignature(header, "{}", "s", kNow + std::chrono::hours(1), std::chrono::hours(2)).ok());
}

TEST_F(SignatureTest, RejectsMalformedHeaders) {
  const std::string good = ComputeSignature("s", kTimestamp, "{}");
  for (const std::string& header : std::vector<std::string>{
           "", "garbage", "v1=" + good, "t=1700000000", "t=abc,v1=" + good, "t=-5,v1=" + good,
           "t=1700000000,t=1700000000,v1=" + good, "t=1700000000,v1", "t=17000000000000000000000,v1=" + good,
           "t=1700000000,v1=" + good + "," + std::string(5000, 'x')}) {
    const Status status = VerifySignature(header, "{}", "s", kNow);
    ASSERT_FALSE(status.ok()) << header;
    EXPECT_EQ(status.error().type, "webhook/malformed-signature") << header;
  }
}

TEST_F(SignatureTest, IgnoresUnknownSchemesAndSpaces) {
  const std::string good = ComputeSignature("s", kTimestamp, "{}");
  EXPECT_TRUE(VerifySignature("t=1700000000, v0=abc, v1=" + good + " ,v9=zzz", "{}", "s", kNow).ok());
  EXPECT_TRUE(VerifySignature("v1=deadbeef,v1=" + good + ",t=1700000000", "{}", "s", kNow).ok());
}

}  // namespace
}  // namespace plaza::channels
