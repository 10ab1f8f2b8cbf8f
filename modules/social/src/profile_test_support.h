#pragma once
// A profile for the social module's tests, made the one way they all need it.

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "plaza/social/profiles.h"

namespace plaza::social {

// A profile named "Name of <handle>" in `shop`; fails the test when it cannot be created.
inline Profile MakeTestProfile(ProfileService& profiles, const std::string& handle, bool is_private,
                               std::int64_t shop) {
  auto created = profiles.CreateProfile(
      shop, NewProfile{.handle = handle, .display_name = "Name of " + handle, .is_private = is_private});
  EXPECT_TRUE(created.ok()) << created.error().detail;
  return created.ok() ? *created : Profile{};
}

}  // namespace plaza::social
