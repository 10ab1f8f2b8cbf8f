#pragma once
// Groups of one shop's community: who may see a group, read its content, join it and
// post in it; its members, moderators, rules and pinned posts; and VIP groups, whose
// membership follows a customer tag or a count of paid orders and may carry a tag of
// its own that a member-only promotion requires. docs/community.md states the rules.
//
// People act as social profile ids (plaza/social/profiles.h) the caller has resolved and
// authorised; staff act as identity Principals. Every function filters by the shop: a
// group of another shop is absent (kNotFound), and so is an invite-only group to anyone
// who is neither a member nor invited.
//
// Thread-safety: a GroupService may be used from any number of threads at once.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plaza/core/clock.h"
#include "plaza/core/result.h"
#include "plaza/identity/permissions.h"
#include "plaza/social/posts.h"
#include "plaza/social/profiles.h"
#include "plaza/store/database.h"

namespace plaza::community {

// Bounds on what outside input can store in a group.
inline constexpr std::size_t kMaxGroupNameLength = 80;           // code points
inline constexpr std::size_t kMaxGroupDescriptionLength = 2000;  // code points
inline constexpr std::size_t kMaxGroupRulesLength = 5000;        // code points
// A few pins keep the top of a group readable; more would push conversation away.
inline constexpr std::size_t kMaxPinnedPosts = 3;
inline constexpr int kDefaultGroupPage = 20;
inline constexpr int kMaxGroupPage = 100;

enum class GroupAccess {
  kPublic,      // anyone reads; any signed-in profile joins
  kPrivate,     // listed with name, description and rules; content for members; join by request
  kInviteOnly,  // hidden from everyone but members and invitees; join by invitation
};
std::string_view GroupAccessName(GroupAccess access);  // "public", "private", "invite_only"
std::optional<GroupAccess> ParseGroupAccess(std::string_view name);

enum class MemberRole { kOwner, kModerator, kMember };
std::string_view MemberRoleName(MemberRole role);  // "owner", "moderator", "member"

// What makes a profile eligible for a VIP group: its customer carries `customer_tag`
// (ignoring ASCII case), or has at least `min_paid_orders` paid orders (paid, fulfilled or
// delivered; cancelled ones do not count). Exactly one of the two is set.
struct VipRule {
  std::optional<std::string> customer_tag{};
  std::optional<std::int64_t> min_paid_orders{};
  // Given to each member's customer while a member and taken back on leaving, so a
  // promotion with customer_tags = {member_tag} is the group's member-only offer.
  // Optional; distinct from customer_tag.
  std::optional<std::string> member_tag{};
};

struct Group {
  std::int64_t id = 0;
  std::int64_t shop_id = 0;
  std::string handle{};  // unique per shop ignoring case; same syntax as profile handles
  std::string name{};
  std::string description{};  // plain text, stored as written; encoders escape it
  std::string rules{};        // plain text
  GroupAccess access = GroupAccess::kPublic;
  std::int64_t owner_profile_id = 0;
  std::optional<VipRule> vip{};
  std::int64_t members_count = 0;
  TimePoint created_at{};
  TimePoint updated_at{};
};

struct NewGroup {
  std::string handle{};
  std::string name{};
  std::string description{};
  std::string rules{};
  GroupAccess access = GroupAccess::kPublic;
};

// Fields left unset keep their value.
struct GroupUpdate {
  std::optional<std::string> name{};
  std::optional<std::string> description{};
  std::optional<std::string> rules{};
  std::optional<GroupAccess> access{};
};

// The viewer's standing in a group.
struct Standing {
  std::optional<MemberRole> role{};  // none: not a member
  bool requested = false;            // a join request is pending
  bool invited = false;              // an invitation is pending
};

// A group as one viewer may see it: `content_visible` says whether they may read its
// posts and member list (public groups, or members).
struct GroupView {
  Group group{};
  Standing standing{};
  bool content_visible = false;
};

struct Member {
  std::int64_t profile_id = 0;
  MemberRole role = MemberRole::kMember;
  TimePoint joined_at{};
};

enum class JoinOutcome { kJoined, kRequested };
std::string_view JoinOutcomeName(JoinOutcome outcome);  // "joined", "requested"

struct GroupPage {
  std::vector<Group> groups{};
  std::string next_cursor{};  // empty on the last page
};
struct MemberPage {
  std::vector<Member> members{};
  std::string next_cursor{};
};
struct PageQuery {
  std::string cursor{};
  int limit = kDefaultGroupPage;  // 1 … kMaxGroupPage
};

// The result of re-evaluating a VIP group: profiles removed because they no longer
// qualify, and tags given back to qualifying members whose customer lost the member tag.
struct VipSweep {
  std::int64_t kept = 0;
  std::int64_t removed = 0;
  std::int64_t retagged = 0;
};

// A group's posts as a viewer sees them: on the first page, the pinned posts (first
// pinned first) and then the others newest first; pinned posts are not repeated below.
struct GroupPosts {
  std::vector<social::Post> pinned{};
  social::PostPage posts{};
};

// Gate functions for posts in a group, inside the caller's transaction, for the posts
// module's group gate. A group of another shop, or none, answers false.
// May `viewer` (none: anonymous) read posts of group `group_id`?
Result<bool> MayReadGroup(store::Transaction& tx, std::int64_t shop_id, std::int64_t group_id,
                          std::optional<std::int64_t> viewer);
// May `author` post in group `group_id`? Members may; others may not.
Result<bool> MayPostInGroup(store::Transaction& tx, std::int64_t shop_id, std::int64_t group_id, std::int64_t author);
// The group's pinned post ids, first pinned first (they come before other posts).
Result<std::vector<std::int64_t>> PinnedPosts(store::Transaction& tx, std::int64_t shop_id, std::int64_t group_id);

// The posts module's gate for group posts: members and, in public groups, everyone read;
// members post. Register it with PostService::SetGroupGate at start-up.
class CommunityGroupGate final : public social::GroupGate {
 public:
  Result<bool> CanRead(store::Transaction& tx, std::int64_t shop_id, std::int64_t group_id,
                       std::optional<std::int64_t> viewer) override;
  // kNotFound when the group is absent or invite-only and hidden from the author;
  // "community/members-only" (kPermissionDenied) for a visible group they have not joined.
  Status CheckCanPost(store::Transaction& tx, std::int64_t shop_id, std::int64_t group_id,
                      std::int64_t author) override;
};

class GroupService {
 public:
  // `profiles` resolves a VIP joiner's customer; `posts` reads the posts pins name and
  // lists a group's posts, and its notifications tell invitees. All references must
  // outlive the service.
  GroupService(store::Database& db, const Clock& clock, social::ProfileService& profiles, social::PostService& posts)
      : db_(db), clock_(clock), profiles_(profiles), posts_(posts) {}

  // The creator becomes the owner. Errors: validation ("/handle", "/name", …),
  // "community/handle-taken".
  Result<Group> CreateGroup(std::int64_t shop_id, std::int64_t creator, const NewGroup& group);
  // Owner or moderators. Making a group public admits every pending request.
  Result<Group> UpdateGroup(std::int64_t shop_id, std::int64_t actor, std::int64_t group_id, const GroupUpdate& update);

  // The group by handle as `viewer` (none: anonymous) sees it; kNotFound when absent or
  // invite-only and the viewer is neither member nor invitee.
  Result<GroupView> ViewGroup(std::int64_t shop_id, std::string_view handle, std::optional<std::int64_t> viewer);
  Result<GroupView> ViewGroupById(std::int64_t shop_id, std::int64_t group_id, std::optional<std::int64_t> viewer);
  // Groups the viewer may see (public and private ones, and invite-only ones they
  // belong to or are invited to), newest first.
  Result<GroupPage> ListGroups(std::int64_t shop_id, std::optional<std::int64_t> viewer, const PageQuery& page);
  // Groups `profile_id` belongs to, newest membership first.
  Result<GroupPage> ListMyGroups(std::int64_t shop_id, std::int64_t profile_id, const PageQuery& page);

  // Public group: joins. Private: asks (kRequested). Invite-only: joins when invited,
  // kNotFound otherwise. VIP group: joins when the rule holds, else
  // "community/not-eligible" (kPermissionDenied) saying what is missing. Joining again
  // answers the current state.
  Result<JoinOutcome> Join(std::int64_t shop_id, std::int64_t actor, std::int64_t group_id);
  // Leaves, or withdraws a request. The owner cannot leave ("community/owner-cannot-leave").
  Status Leave(std::int64_t shop_id, std::int64_t actor, std::int64_t group_id);
  // Moderators settle join requests by requester profile id; kNotFound when none pending.
  Status ApproveRequest(std::int64_t shop_id, std::int64_t actor, std::int64_t group_id, std::int64_t requester);
  Status DeclineRequest(std::int64_t shop_id, std::int64_t actor, std::int64_t group_id, std::int64_t requester);
  // Pending requests, oldest first (moderators only).
  Result<std::vector<Member>> ListRequests(std::int64_t shop_id, std::int64_t actor, std::int64_t group_id);
  // Moderators invite a profile (any group access); inviting a member or an already
  // invited profile is a no-op. The invitee is notified (kGroupInvite).
  Status Invite(std::int64_t shop_id, std::int64_t actor, std::int64_t group_id, std::int64_t invitee);
  // Moderators remove a member (not the owner; moderators only by the owner).
  Status RemoveMember(std::int64_t shop_id, std::int64_t actor, std::int64_t group_id, std::int64_t member);
  // The owner appoints a member moderator, or makes a moderator a member again.
  Status SetModerator(std::int64_t shop_id, std::int64_t actor, std::int64_t group_id, std::int64_t member,
                      bool moderator);
  // Members of a group whose content the viewer may see ("community/members-only",
  // kPermissionDenied, otherwise), in joining order (the owner first), each with its role.
  Result<MemberPage> ListMembers(std::int64_t shop_id, std::optional<std::int64_t> viewer, std::int64_t group_id,
                                 const PageQuery& page);

  // Moderators pin a post of the group (at most kMaxPinnedPosts: "community/too-many-pins";
  // kNotFound for a post that is not in the group) or unpin it.
  Status Pin(std::int64_t shop_id, std::int64_t actor, std::int64_t group_id, std::int64_t post_id);
  Status Unpin(std::int64_t shop_id, std::int64_t actor, std::int64_t group_id, std::int64_t post_id);
  // The group's posts with its pins first (see GroupPosts); kNotFound as for ViewGroup,
  // "community/members-only" when the viewer may see the group but not its content.
  Result<GroupPosts> ListPosts(std::int64_t shop_id, std::int64_t group_id, std::optional<std::int64_t> viewer,
                               const social::PageRequest& page);

  // ---- staff ----
  // Needs moderation.act: every group of the shop, invite-only ones included.
  Result<GroupPage> ListAllGroups(const identity::Principal& staff, std::int64_t shop_id, const PageQuery& page);
  Result<Group> GetGroup(const identity::Principal& staff, std::int64_t shop_id, std::int64_t group_id);
  // Needs customers.manage (it decides who carries a customer tag): makes the group a VIP
  // group with `rule`, or an ordinary group again with none. Audited ("group.vip_changed").
  // Members who no longer qualify are removed at once (as ReevaluateVip). Only public and
  // private groups may be VIP ("community/vip-invite-only").
  Result<Group> SetVipRule(const identity::Principal& staff, std::int64_t shop_id, std::int64_t group_id,
                           const std::optional<VipRule>& rule);
  // Re-checks every member of a VIP group against its rule: those who no longer qualify
  // leave (and lose the member tag), qualifying ones get the member tag back if it was
  // taken away. The owner stays. Needs customers.manage; docs/community.md says when to
  // run it. Audited when it changed anything.
  Result<VipSweep> ReevaluateVip(const identity::Principal& staff, std::int64_t shop_id, std::int64_t group_id);
  // The same for every VIP group of every shop, each in its own transaction, audited with
  // actor "system"; for the server's periodic task. Returns the totals.
  Result<VipSweep> ReevaluateAllVip();

 private:
  // `staff` none: the periodic system pass.
  Result<VipSweep> Reevaluate(const identity::Principal* staff, std::int64_t shop_id, std::int64_t group_id);
  Result<GroupView> View(std::int64_t shop_id, std::optional<std::int64_t> group_id, std::string_view handle,
                         std::optional<std::int64_t> viewer);

  store::Database& db_;
  const Clock& clock_;
  social::ProfileService& profiles_;
  social::PostService& posts_;
};

}  // namespace plaza::community
