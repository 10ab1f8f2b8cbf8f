#pragma once
// Profiles and the follow graph of one shop's social layer: customers, the brand and
// creators each have a profile with a handle; profiles follow each other (private
// profiles approve each follower first), block and mute. docs/social.md states the rules.
//
// Every function takes the shop and filters by it: a profile of another shop is absent.
// The acting profile (`actor`, `viewer`) is a profile id the caller has already resolved
// and authorised, e.g. with ProfileOfCustomer for a signed-in customer; targets are named
// by handle, the way people name each other.
//
// Thread-safety: a ProfileService may be used from any number of threads at once.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plaza/core/clock.h"
#include "plaza/core/result.h"
#include "plaza/store/database.h"

namespace plaza::social {

// Bounds on what a profile may hold, so outside input cannot grow a row without limit.
inline constexpr std::size_t kMinHandleLength = 3;
inline constexpr std::size_t kMaxHandleLength = 30;
inline constexpr std::size_t kMaxDisplayNameLength = 80;  // code points
inline constexpr std::size_t kMaxBioLength = 500;         // code points
inline constexpr std::size_t kMaxUrlLength = 2048;        // bytes
inline constexpr std::size_t kMaxLinks = 5;
// Page sizes for follower, following and request lists.
inline constexpr int kDefaultPageSize = 20;
inline constexpr int kMaxPageSize = 100;

enum class ProfileKind { kCustomer, kBrand, kCreator };
std::string_view ProfileKindName(ProfileKind kind);
std::optional<ProfileKind> ParseProfileKind(std::string_view name);

struct Profile {
  std::int64_t id = 0;
  std::int64_t shop_id = 0;
  std::string handle{};  // as its owner spelled it; unique per shop ignoring case
  std::string display_name{};
  std::string bio{};  // plain text, stored as written; encoders escape it on output
  std::optional<std::string> avatar_url{};
  std::vector<std::string> links{};
  ProfileKind kind = ProfileKind::kCustomer;
  bool is_private = false;
  std::optional<std::int64_t> customer_id{};  // identity's customer, when a customer owns it
  std::int64_t followers_count = 0;
  std::int64_t following_count = 0;
  TimePoint created_at{};
  TimePoint updated_at{};
};

struct NewProfile {
  std::string handle{};
  std::string display_name{};
  std::string bio{};
  std::optional<std::string> avatar_url{};
  std::vector<std::string> links{};
  ProfileKind kind = ProfileKind::kCustomer;
  bool is_private = false;
  std::optional<std::int64_t> customer_id{};
};

// Fields left unset keep their value. The handle may change; the kind and owner may not.
struct ProfileUpdate {
  std::optional<std::string> handle{};
  std::optional<std::string> display_name{};
  std::optional<std::string> bio{};
  std::optional<std::optional<std::string>> avatar_url{};  // engaged nullopt removes it
  std::optional<std::vector<std::string>> links{};
  std::optional<bool> is_private{};
};

// How the viewer relates to a profile.
struct Relationship {
  bool is_self = false;
  bool following = false;    // the viewer follows the profile
  bool requested = false;    // the viewer's follow request is pending
  bool followed_by = false;  // the profile follows the viewer
  bool blocking = false;     // the viewer blocks the profile
  bool muting = false;       // the viewer mutes the profile
};

// A profile as one viewer may see it. When `content_visible` is false (a private
// profile the viewer does not follow) the bio and links are cleared; the header
// (handle, name, avatar, kind, counts) stays, so a visitor can ask to follow.
struct ProfileView {
  Profile profile{};
  Relationship relationship{};
  bool content_visible = false;
};

enum class FollowState { kFollowing, kRequested };
std::string_view FollowStateName(FollowState state);

struct PageRequest {
  std::string cursor{};  // empty for the first page; otherwise a previous page's next_cursor
  int limit = kDefaultPageSize;
};

struct ProfilePage {
  std::vector<Profile> profiles{};
  std::string next_cursor{};  // empty on the last page
};

// Validation used by the service and by edges that want to check input early. Errors
// are kInvalidArgument with `field` set to `field`.
Status ValidateHandle(std::string_view handle, const std::string& field = "/handle");
Status ValidateHttpUrl(std::string_view url, const std::string& field);

// The id of the profile `customer_id` owns in `shop_id`, read in the caller's transaction
// (another module's write that notifies the customer); nullopt when they have none.
Result<std::optional<std::int64_t>> ProfileIdOfCustomer(store::Transaction& tx, std::int64_t shop_id,
                                                        std::int64_t customer_id);

class ProfileService {
 public:
  ProfileService(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Errors: validation (handle, texts, URLs), "social/handle-taken", and
  // "social/customer-has-profile" when the customer already has one.
  Result<Profile> CreateProfile(std::int64_t shop_id, const NewProfile& profile);
  // Making a profile public approves every pending request (they wanted to follow it).
  Result<Profile> UpdateProfile(std::int64_t shop_id, std::int64_t profile_id, const ProfileUpdate& update);

  Result<Profile> GetProfile(std::int64_t shop_id, std::int64_t profile_id);
  // The profiles among `profile_ids` that exist in the shop, in the order of the ids
  // (repeats and unknown ids left out), read with one query: for lists of people.
  Result<std::vector<Profile>> GetProfiles(std::int64_t shop_id, const std::vector<std::int64_t>& profile_ids);
  // The profile a customer owns; kNotFound when there is none.
  Result<Profile> ProfileOfCustomer(std::int64_t shop_id, std::int64_t customer_id);

  // The profile named `handle` (any case) as `viewer` sees it; no viewer means an
  // anonymous visitor. kNotFound when it does not exist or blocks the viewer.
  Result<ProfileView> ViewProfile(std::int64_t shop_id, std::string_view handle, std::optional<std::int64_t> viewer);

  // Follows `target`, or asks to when it is private. Following again is not an error
  // and answers the current state. Errors: "social/self-follow"; "social/blocked" when
  // the actor blocks the target; kNotFound when the target blocks the actor. The target
  // gets a "follow" or "follow_request" notification (plaza/social/notifications.h) in the
  // same transaction, so the "social_feeds" migrations must have run.
  Result<FollowState> Follow(std::int64_t shop_id, std::int64_t actor, std::string_view target);
  // Ends a follow or withdraws a pending request; a no-op when there is neither.
  Status Unfollow(std::int64_t shop_id, std::int64_t actor, std::string_view target);
  // The actor (the followed profile) settles a pending request by its requester's
  // handle. kNotFound when there is no such request.
  Status ApproveRequest(std::int64_t shop_id, std::int64_t actor, std::string_view requester);
  Status DeclineRequest(std::int64_t shop_id, std::int64_t actor, std::string_view requester);
  // Pending requests to the actor, newest first.
  Result<ProfilePage> ListFollowRequests(std::int64_t shop_id, std::int64_t actor, const PageRequest& page);

  // Blocking removes follows and requests both ways and prevents new ones; the blocked
  // profile can no longer see the blocker. Idempotent.
  Status Block(std::int64_t shop_id, std::int64_t actor, std::string_view target);
  Status Unblock(std::int64_t shop_id, std::int64_t actor, std::string_view target);
  // Muting hides the target from the actor's timeline and nothing else. Idempotent.
  Status Mute(std::int64_t shop_id, std::int64_t actor, std::string_view target);
  Status Unmute(std::int64_t shop_id, std::int64_t actor, std::string_view target);
  // The ids the actor mutes, for timelines.
  Result<std::vector<std::int64_t>> MutedBy(std::int64_t shop_id, std::int64_t actor);

  // Followers and followed profiles of `handle`, newest follow first, as `viewer` may see
  // them: kNotFound as for ViewProfile, and "social/private-profile" (kPermissionDenied)
  // when the profile is private and the viewer neither owns nor follows it.
  Result<ProfilePage> ListFollowers(std::int64_t shop_id, std::string_view handle, std::optional<std::int64_t> viewer,
                                    const PageRequest& page);
  Result<ProfilePage> ListFollowing(std::int64_t shop_id, std::string_view handle, std::optional<std::int64_t> viewer,
                                    const PageRequest& page);

 private:
  Result<ProfilePage> ListEdges(std::int64_t shop_id, std::string_view handle, std::optional<std::int64_t> viewer,
                                const PageRequest& page, bool followers);

  store::Database& db_;
  const Clock& clock_;
};

}  // namespace plaza::social
