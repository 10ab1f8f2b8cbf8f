#include "plaza/core/clock.h"

#include <gtest/gtest.h>

namespace plaza {
namespace {

TEST(ClockTest, FormatsRfc3339InUtcWithMilliseconds) {
  EXPECT_EQ(FormatRfc3339(FromUnixMillis(0)), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatRfc3339(FromUnixMillis(1'795'424'400'123)), "2026-11-23T09:00:00.123Z");
  EXPECT_EQ(FormatRfc3339(FromUnixMillis(951'782'399'999)), "2000-02-28T23:59:59.999Z");
}

TEST(ClockTest, ParsesRfc3339WithOffsetsAndRefusesMalformedTimes) {
  EXPECT_EQ(ParseRfc3339("2026-11-23T09:00:00.123Z").value(), FromUnixMillis(1'795'424'400'123));
  EXPECT_EQ(ParseRfc3339("2026-11-23T09:00:00Z").value(), FromUnixMillis(1'795'424'400'000));
  EXPECT_EQ(ParseRfc3339("2026-11-23T10:30:00.5+01:30").value(), FromUnixMillis(1'795'424'400'500));
  EXPECT_EQ(ParseRfc3339("2026-11-23T04:00:00-05:00").value(), FromUnixMillis(1'795'424'400'000));
  EXPECT_EQ(ParseRfc3339(FormatRfc3339(FromUnixMillis(951'782'399'999))).value(), FromUnixMillis(951'782'399'999));
  for (const char* bad : {"", "2026-11-23", "2026-11-23T09:00:00", "2026-02-30T09:00:00Z", "2026-11-23T24:00:00Z",
                          "2026-11-23T09:00:00.1234Z", "2026-11-23T09:00:00.Z", "2026-11-23T09:00:00Zjunk",
                          "2026-11-23 09:00:00Z", "2026-11-23T09:00:00+0100"}) {
    auto parsed = ParseRfc3339(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.error().type, "validation/format") << bad;
  }
}

TEST(ClockTest, ManualClockMovesOnlyWhenTold) {
  ManualClock clock(FromUnixMillis(1000));
  EXPECT_EQ(ToUnixMillis(clock.Now()), 1000);
  clock.Advance(std::chrono::seconds(2));
  EXPECT_EQ(ToUnixMillis(clock.Now()), 3000);
  clock.Set(FromUnixMillis(5));
  EXPECT_EQ(ToUnixMillis(clock.Now()), 5);
}

}  // namespace
}  // namespace plaza
