#pragma once
// The demo shop's community, seeded through the social, media, reviews, community and
// moderation services so every row is one the storefront could have written: the brand
// and a creator (@maya.glows, whose MAYA15 code the promotions already hold) with three
// customer followers, her shoppable posts with photos made here with libvips, a hashtag,
// comments, reviews, a group, an idea and a keyword rule that masks "spoiler".

#include <cstdint>
#include <filesystem>

#include "plaza/core/clock.h"
#include "plaza/core/result.h"
#include "plaza/store/database.h"

namespace plaza::app {

// The creator whose posts the demo shows.
inline constexpr std::string_view kDemoCreatorHandle = "maya.glows";
// The word the demo's keyword rule masks ("spoiler*": "spoilers" too).
inline constexpr std::string_view kDemoMaskedWord = "spoiler";

// Seeds the community of the demo shop `shop_id` unless the creator's profile is already
// there, storing the photos' renditions under `media_dir` (the server's media_dir, so it
// serves them). Returns the number of posts created (0 when it was already seeded).
Result<std::int64_t> SeedDemoCommunity(store::Database& db, const Clock& clock, std::int64_t shop_id,
                                       const std::filesystem::path& media_dir);

}  // namespace plaza::app
