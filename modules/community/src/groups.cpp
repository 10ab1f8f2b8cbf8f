#include "plaza/community/groups.h"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <limits>

#include "community_internal.h"
#include "plaza/core/free_text.h"
#include "plaza/core/text.h"
#include "plaza/identity/audit.h"
#include "plaza/identity/identity_service.h"
#include "plaza/orders/reports.h"
#include "plaza/store/outbox.h"

namespace plaza::community {
namespace {

constexpr std::string_view kGroupColumns =
    "id, shop_id, handle, name, description, rules, access, owner_profile_id, is_vip, vip_tag, vip_min_orders, "
    "vip_member_tag, members_count, created_at, updated_at";

// "Before the largest id": the first page of a newest-first list.
constexpr std::int64_t kNoCursor = std::numeric_limits<std::int64_t>::max();

// Paid-order thresholds beyond any real customer's history would only hide a typo.
constexpr std::int64_t kMaxVipOrders = 100'000;

Group ReadGroup(const store::Row& row) {
  Group group;
  group.id = row.Int(0);
  group.shop_id = row.Int(1);
  group.handle = row.Text(2);
  group.name = row.Text(3);
  group.description = row.Text(4);
  group.rules = row.Text(5);
  group.access = ParseGroupAccess(row.Text(6)).value_or(GroupAccess::kInviteOnly);
  group.owner_profile_id = row.Int(7);
  if (row.Bool(8)) {
    VipRule rule;
    rule.customer_tag = row.OptionalText(9);
    rule.min_paid_orders = row.OptionalInt(10);
    rule.member_tag = row.OptionalText(11);
    group.vip = std::move(rule);
  }
  group.members_count = row.Int(12);
  group.created_at = FromUnixMillis(row.Int(13));
  group.updated_at = FromUnixMillis(row.Int(14));
  return group;
}

Result<std::optional<Group>> LoadGroup(store::Transaction& tx, std::int64_t shop_id, std::int64_t group_id) {
  PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT " + std::string(kGroupColumns) +
                                                   " FROM community_groups WHERE shop_id = ? AND id = ?",
                                               {shop_id, group_id}));
  if (!row) return std::optional<Group>();
  return std::optional<Group>(ReadGroup(*row));
}

Result<std::optional<Group>> LoadGroupByHandle(store::Transaction& tx, std::int64_t shop_id, std::string_view handle) {
  PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT " + std::string(kGroupColumns) +
                                                   " FROM community_groups WHERE shop_id = ? AND handle_key = ?",
                                               {shop_id, text::ToLowerAscii(handle)}));
  if (!row) return std::optional<Group>();
  return std::optional<Group>(ReadGroup(*row));
}

std::optional<MemberRole> ParseRole(std::string_view name) {
  if (name == "owner") return MemberRole::kOwner;
  if (name == "moderator") return MemberRole::kModerator;
  if (name == "member") return MemberRole::kMember;
  return std::nullopt;
}

Result<Standing> LoadStanding(store::Transaction& tx, std::int64_t shop_id, std::int64_t group_id,
                              std::optional<std::int64_t> viewer) {
  Standing standing;
  if (!viewer) return standing;
  PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT role FROM community_members WHERE shop_id = ? AND group_id = ? "
                                               "AND profile_id = ?",
                                               {shop_id, group_id, *viewer}));
  if (row) {
    standing.role = ParseRole(row->Text(0));
    return standing;
  }
  PLAZA_ASSIGN_OR_RETURN(auto request, tx.QueryOne("SELECT 1 FROM community_join_requests WHERE shop_id = ? AND "
                                                   "group_id = ? AND profile_id = ?",
                                                   {shop_id, group_id, *viewer}));
  standing.requested = request.has_value();
  PLAZA_ASSIGN_OR_RETURN(auto invitation, tx.QueryOne("SELECT 1 FROM community_invitations WHERE shop_id = ? AND "
                                                      "group_id = ? AND profile_id = ?",
                                                      {shop_id, group_id, *viewer}));
  standing.invited = invitation.has_value();
  return standing;
}

// Invite-only groups exist only for their members and invitees.
bool Discoverable(const Group& group, const Standing& standing) {
  return group.access != GroupAccess::kInviteOnly || standing.role.has_value() || standing.invited;
}

bool ContentVisible(const Group& group, const Standing& standing) {
  return group.access == GroupAccess::kPublic || standing.role.has_value();
}

bool IsModerator(const Standing& standing) {
  return standing.role == MemberRole::kOwner || standing.role == MemberRole::kModerator;
}

// Loads the group as `actor` sees it and requires them to moderate it. A group the actor
// may not even see is absent; one they see but do not moderate is forbidden.
Result<std::pair<Group, Standing>> LoadModerated(store::Transaction& tx, std::int64_t shop_id, std::int64_t group_id,
                                                 std::int64_t actor) {
  PLAZA_ASSIGN_OR_RETURN(auto group, LoadGroup(tx, shop_id, group_id));
  if (!group) return Error::NotFound("no such group");
  PLAZA_ASSIGN_OR_RETURN(Standing standing, LoadStanding(tx, shop_id, group_id, actor));
  if (!Discoverable(*group, standing)) return Error::NotFound("no such group");
  if (!IsModerator(standing)) {
    return Error{ErrorCode::kPermissionDenied, "community/not-moderator",
                 "only the group's owner and moderators can do this", ""};
  }
  return std::make_pair(std::move(*group), standing);
}

Status AppendGroupEvent(store::Transaction& tx, std::int64_t shop_id, std::int64_t group_id, std::string event_type,
                        boost::json::object payload, TimePoint now) {
  payload["group_id"] = group_id;
  store::OutboxEvent event;
  event.shop_id = shop_id;
  event.aggregate_type = "group";
  event.aggregate_id = std::to_string(group_id);
  event.event_type = std::move(event_type);
  event.payload_json = boost::json::serialize(payload);
  PLAZA_TRY(store::AppendEvent(tx, event, now));
  return Ok();
}

std::string MemberTagReason(std::int64_t group_id) {
  return "member of group " + std::to_string(group_id);
}

// Why `customer_id` does not qualify for a VIP group under `rule`, in words for the
// person asking; nullopt when they qualify.
Result<std::optional<std::string>> Ineligibility(store::Transaction& tx, std::int64_t shop_id, const VipRule& rule,
                                                 std::optional<std::int64_t> customer_id) {
  if (!customer_id) return std::optional<std::string>("This group is for customers with an account in the shop.");
  if (rule.customer_tag) {
    PLAZA_ASSIGN_OR_RETURN(std::vector<std::string> tags, identity::CustomerTags(tx, shop_id, *customer_id));
    const std::string wanted = text::ToLowerAscii(*rule.customer_tag);
    const bool has = std::any_of(tags.begin(), tags.end(),
                                 [&](const std::string& tag) { return text::ToLowerAscii(tag) == wanted; });
    if (!has) return std::optional<std::string>("This group is for customers tagged \"" + *rule.customer_tag + "\".");
  }
  if (rule.min_paid_orders) {
    PLAZA_ASSIGN_OR_RETURN(std::int64_t paid, orders::CountPaidOrders(tx, shop_id, *customer_id));
    if (paid < *rule.min_paid_orders) {
      return std::optional<std::string>("This group is for customers with at least " +
                                        std::to_string(*rule.min_paid_orders) + " paid orders; you have " +
                                        std::to_string(paid) + ".");
    }
  }
  return std::optional<std::string>();
}

Status SetMemberTag(store::Transaction& tx, std::int64_t shop_id, const Group& group,
                    std::optional<std::int64_t> customer_id, bool present, TimePoint now) {
  if (!group.vip || !group.vip->member_tag || !customer_id) return Ok();
  PLAZA_TRY(identity::SetSystemCustomerTag(tx, shop_id, *customer_id, *group.vip->member_tag, present,
                                           MemberTagReason(group.id), now));
  return Ok();
}

Status AddMember(store::Transaction& tx, const Group& group, std::int64_t profile_id,
                 std::optional<std::int64_t> customer_id, MemberRole role, TimePoint now) {
  PLAZA_TRY(
      tx.Execute("INSERT INTO community_members (shop_id, group_id, profile_id, customer_id, role, joined_at) "
                 "VALUES (?, ?, ?, ?, ?, ?)",
                 {group.shop_id, group.id, profile_id, customer_id, MemberRoleName(role), ToUnixMillis(now)}));
  PLAZA_TRY(tx.Execute("DELETE FROM community_join_requests WHERE shop_id = ? AND group_id = ? AND profile_id = ?",
                       {group.shop_id, group.id, profile_id}));
  PLAZA_TRY(tx.Execute("DELETE FROM community_invitations WHERE shop_id = ? AND group_id = ? AND profile_id = ?",
                       {group.shop_id, group.id, profile_id}));
  PLAZA_TRY(tx.Execute("UPDATE community_groups SET members_count = members_count + 1 WHERE shop_id = ? AND id = ?",
                       {group.shop_id, group.id}));
  PLAZA_TRY(SetMemberTag(tx, group.shop_id, group, customer_id, true, now));
  return AppendGroupEvent(tx, group.shop_id, group.id, "group.member_joined", {{"profile_id", profile_id}}, now);
}

// Removes a member; false when they were not one.
Result<bool> DropMember(store::Transaction& tx, const Group& group, std::int64_t profile_id, TimePoint now) {
  PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT customer_id FROM community_members WHERE shop_id = ? AND "
                                               "group_id = ? AND profile_id = ?",
                                               {group.shop_id, group.id, profile_id}));
  if (!row) return false;
  PLAZA_TRY(tx.Execute("DELETE FROM community_members WHERE shop_id = ? AND group_id = ? AND profile_id = ?",
                       {group.shop_id, group.id, profile_id}));
  PLAZA_TRY(tx.Execute("UPDATE community_groups SET members_count = members_count - 1 WHERE shop_id = ? AND id = ?",
                       {group.shop_id, group.id}));
  PLAZA_TRY(SetMemberTag(tx, group.shop_id, group, row->OptionalInt(0), false, now));
  PLAZA_TRY(AppendGroupEvent(tx, group.shop_id, group.id, "group.member_left", {{"profile_id", profile_id}}, now));
  return true;
}

// Brings a group's members in line with `rule` after `previous` (either may be none):
// takes back a member tag that is no longer the group's, removes members who do not
// qualify (never the owner) and gives the member tag to those who stay.
Result<VipSweep> Sweep(store::Transaction& tx, const Group& group, const std::optional<VipRule>& previous,
                       TimePoint now) {
  VipSweep sweep;
  PLAZA_ASSIGN_OR_RETURN(auto members, tx.Execute("SELECT profile_id, customer_id, role FROM community_members "
                                                  "WHERE shop_id = ? AND group_id = ? ORDER BY id",
                                                  {group.shop_id, group.id}));
  const std::optional<std::string> old_tag = previous ? previous->member_tag : std::nullopt;
  const std::optional<std::string> new_tag = group.vip ? group.vip->member_tag : std::nullopt;
  const bool tag_changed = old_tag && (!new_tag || text::ToLowerAscii(*old_tag) != text::ToLowerAscii(*new_tag));
  for (const store::Row& row : members.rows) {
    const std::int64_t profile_id = row.Int(0);
    const std::optional<std::int64_t> customer_id = row.OptionalInt(1);
    if (tag_changed && customer_id) {
      PLAZA_TRY(identity::SetSystemCustomerTag(tx, group.shop_id, *customer_id, *old_tag, false,
                                               MemberTagReason(group.id), now));
    }
    if (!group.vip) {
      ++sweep.kept;
      continue;
    }
    const bool owner = ParseRole(row.Text(2)) == MemberRole::kOwner;
    PLAZA_ASSIGN_OR_RETURN(auto reason, Ineligibility(tx, group.shop_id, *group.vip, customer_id));
    if (reason && !owner) {
      PLAZA_TRY(DropMember(tx, group, profile_id, now));
      ++sweep.removed;
      continue;
    }
    ++sweep.kept;
    if (new_tag && customer_id) {
      PLAZA_ASSIGN_OR_RETURN(bool changed, identity::SetSystemCustomerTag(tx, group.shop_id, *customer_id, *new_tag,
                                                                          true, MemberTagReason(group.id), now));
      if (changed && !tag_changed) ++sweep.retagged;
    }
  }
  return sweep;
}

Status ValidateText(std::string_view value, std::size_t max, const std::string& field, bool required, bool multiline) {
  return text::CheckFreeText(value, field,
                             {.what = "the text",
                              .min_length = required ? 1u : 0u,
                              .max_length = max,
                              .allow_newlines = multiline,
                              .require_non_blank = required,
                              .problem_area = "community"});
}

Status ValidateTag(const std::string& tag, const std::string& field) {
  PLAZA_TRY(ValidateText(tag, identity::kMaxCustomerTagLength, field, true, false));
  if (text::TrimAscii(tag) != tag) {
    return Error::Invalid("community/invalid-tag", "a tag cannot start or end with spaces", field);
  }
  return Ok();
}

Status ValidateVipRule(const VipRule& rule) {
  if (rule.customer_tag.has_value() == rule.min_paid_orders.has_value()) {
    return Error::Invalid("community/invalid-vip-rule",
                          "a VIP group follows either a customer tag or a number of paid orders", "/customer_tag");
  }
  if (rule.customer_tag) PLAZA_TRY(ValidateTag(*rule.customer_tag, "/customer_tag"));
  if (rule.min_paid_orders && (*rule.min_paid_orders < 1 || *rule.min_paid_orders > kMaxVipOrders)) {
    return Error::Invalid("community/invalid-vip-rule",
                          "the number of paid orders must be between 1 and " + std::to_string(kMaxVipOrders),
                          "/min_paid_orders");
  }
  if (rule.member_tag) {
    PLAZA_TRY(ValidateTag(*rule.member_tag, "/member_tag"));
    if (rule.customer_tag && text::ToLowerAscii(*rule.customer_tag) == text::ToLowerAscii(*rule.member_tag)) {
      return Error::Invalid("community/invalid-vip-rule",
                            "the member tag must differ from the tag that grants membership", "/member_tag");
    }
  }
  return Ok();
}

Status ValidateNewGroup(const NewGroup& group) {
  PLAZA_TRY(social::ValidateHandle(group.handle, "/handle"));
  // The storefront's form to start a group lives at /groups/new, where such a group's page
  // would be.
  if (text::ToLowerAscii(group.handle) == "new") {
    return Error::Invalid("community/reserved-handle", "the handle \"new\" is reserved; choose another", "/handle");
  }
  PLAZA_TRY(ValidateText(group.name, kMaxGroupNameLength, "/name", true, false));
  PLAZA_TRY(ValidateText(group.description, kMaxGroupDescriptionLength, "/description", false, true));
  PLAZA_TRY(ValidateText(group.rules, kMaxGroupRulesLength, "/rules", false, true));
  return Ok();
}

Result<GroupPage> PageOf(store::QueryResult result, std::size_t limit) {
  GroupPage page;
  for (const store::Row& row : result.rows) page.groups.push_back(ReadGroup(row));
  if (page.groups.size() > limit) {
    page.groups.resize(limit);
    page.next_cursor = std::to_string(page.groups.back().id);
  }
  return page;
}

}  // namespace

namespace internal {

Result<std::int64_t> ParseCursor(std::string_view cursor, std::int64_t when_empty) {
  if (cursor.empty()) return when_empty;
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(cursor.data(), cursor.data() + cursor.size(), value);
  if (error != std::errc() || end != cursor.data() + cursor.size() || value < 1) {
    return Error::Invalid("validation/cursor", "the cursor is not one this list gave", "cursor");
  }
  return value;
}

Result<int> CheckLimit(int limit) {
  if (limit < 1 || limit > kMaxGroupPage) {
    return Error::Invalid("validation/limit", "limit must be between 1 and " + std::to_string(kMaxGroupPage), "limit");
  }
  return limit;
}

Status ValidateUserText(std::string_view value, std::size_t max, const std::string& field, bool required,
                        bool multiline) {
  return ValidateText(value, max, field, required, multiline);
}

}  // namespace internal

std::string_view GroupAccessName(GroupAccess access) {
  switch (access) {
    case GroupAccess::kPublic:
      return "public";
    case GroupAccess::kPrivate:
      return "private";
    case GroupAccess::kInviteOnly:
      return "invite_only";
  }
  return "invite_only";
}

std::optional<GroupAccess> ParseGroupAccess(std::string_view name) {
  if (name == "public") return GroupAccess::kPublic;
  if (name == "private") return GroupAccess::kPrivate;
  if (name == "invite_only") return GroupAccess::kInviteOnly;
  return std::nullopt;
}

std::string_view MemberRoleName(MemberRole role) {
  switch (role) {
    case MemberRole::kOwner:
      return "owner";
    case MemberRole::kModerator:
      return "moderator";
    case MemberRole::kMember:
      return "member";
  }
  return "member";
}

std::string_view JoinOutcomeName(JoinOutcome outcome) {
  return outcome == JoinOutcome::kJoined ? "joined" : "requested";
}

Result<bool> MayReadGroup(store::Transaction& tx, std::int64_t shop_id, std::int64_t group_id,
                          std::optional<std::int64_t> viewer) {
  PLAZA_ASSIGN_OR_RETURN(auto group, LoadGroup(tx, shop_id, group_id));
  if (!group) return false;
  PLAZA_ASSIGN_OR_RETURN(Standing standing, LoadStanding(tx, shop_id, group_id, viewer));
  return ContentVisible(*group, standing);
}

Result<bool> MayPostInGroup(store::Transaction& tx, std::int64_t shop_id, std::int64_t group_id, std::int64_t author) {
  PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT 1 FROM community_members WHERE shop_id = ? AND group_id = ? AND "
                                               "profile_id = ?",
                                               {shop_id, group_id, author}));
  return row.has_value();
}

Result<std::vector<std::int64_t>> PinnedPosts(store::Transaction& tx, std::int64_t shop_id, std::int64_t group_id) {
  PLAZA_ASSIGN_OR_RETURN(auto result,
                         tx.Execute("SELECT post_id FROM community_pins WHERE shop_id = ? AND group_id = ? "
                                    "ORDER BY pinned_at, post_id",
                                    {shop_id, group_id}));
  std::vector<std::int64_t> ids;
  ids.reserve(result.rows.size());
  for (const store::Row& row : result.rows) ids.push_back(row.Int(0));
  return ids;
}

Result<bool> CommunityGroupGate::CanRead(store::Transaction& tx, std::int64_t shop_id, std::int64_t group_id,
                                         std::optional<std::int64_t> viewer) {
  return MayReadGroup(tx, shop_id, group_id, viewer);
}

Status CommunityGroupGate::CheckCanPost(store::Transaction& tx, std::int64_t shop_id, std::int64_t group_id,
                                        std::int64_t author) {
  PLAZA_ASSIGN_OR_RETURN(auto group, LoadGroup(tx, shop_id, group_id));
  if (!group) return Error::NotFound("no such group");
  PLAZA_ASSIGN_OR_RETURN(Standing standing, LoadStanding(tx, shop_id, group_id, author));
  if (!Discoverable(*group, standing)) return Error::NotFound("no such group");
  if (!standing.role) {
    return Error{ErrorCode::kPermissionDenied, "community/members-only", "join the group to post in it", ""};
  }
  return Ok();
}

Result<Group> GroupService::CreateGroup(std::int64_t shop_id, std::int64_t creator, const NewGroup& input) {
  PLAZA_TRY(ValidateNewGroup(input));
  PLAZA_ASSIGN_OR_RETURN(social::Profile profile, profiles_.GetProfile(shop_id, creator));
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Result<Group> {
    auto inserted = tx.Execute(
        "INSERT INTO community_groups (shop_id, handle, handle_key, name, description, rules, access, "
        "owner_profile_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {shop_id, input.handle, text::ToLowerAscii(input.handle), input.name, input.description, input.rules,
         GroupAccessName(input.access), creator, ToUnixMillis(now), ToUnixMillis(now)});
    if (!inserted.ok()) {
      if (inserted.error().type == "db/unique-violation") {
        return Error{ErrorCode::kConflict, "community/handle-taken", "another group already uses this handle",
                     "/handle"};
      }
      return std::move(inserted).error();
    }
    PLAZA_ASSIGN_OR_RETURN(auto group, LoadGroupByHandle(tx, shop_id, input.handle));
    if (!group) return Error::Internal("the new group was not found");
    PLAZA_TRY(AppendGroupEvent(tx, shop_id, group->id, "group.created", {{"owner_profile_id", creator}}, now));
    PLAZA_TRY(AddMember(tx, *group, creator, profile.customer_id, MemberRole::kOwner, now));
    group->members_count = 1;
    return *group;
  });
}

Result<Group> GroupService::UpdateGroup(std::int64_t shop_id, std::int64_t actor, std::int64_t group_id,
                                        const GroupUpdate& update) {
  if (update.name) PLAZA_TRY(ValidateText(*update.name, kMaxGroupNameLength, "/name", true, false));
  if (update.description) {
    PLAZA_TRY(ValidateText(*update.description, kMaxGroupDescriptionLength, "/description", false, true));
  }
  if (update.rules) PLAZA_TRY(ValidateText(*update.rules, kMaxGroupRulesLength, "/rules", false, true));
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Result<Group> {
    PLAZA_ASSIGN_OR_RETURN(auto moderated, LoadModerated(tx, shop_id, group_id, actor));
    Group group = std::move(moderated.first);
    if (update.name) group.name = *update.name;
    if (update.description) group.description = *update.description;
    if (update.rules) group.rules = *update.rules;
    if (update.access) {
      if (group.vip && *update.access == GroupAccess::kInviteOnly) {
        return Error{ErrorCode::kConflict, "community/vip-invite-only",
                     "a VIP group is joined by qualifying, so it cannot be invite-only", "/access"};
      }
      group.access = *update.access;
    }
    PLAZA_TRY(
        tx.Execute("UPDATE community_groups SET name = ?, description = ?, rules = ?, access = ?, updated_at = ? "
                   "WHERE shop_id = ? AND id = ?",
                   {group.name, group.description, group.rules, GroupAccessName(group.access), ToUnixMillis(now),
                    shop_id, group_id}));
    if (group.access == GroupAccess::kPublic) {
      // Those who asked to join wanted in; a public group no longer asks.
      PLAZA_ASSIGN_OR_RETURN(auto requests, tx.Execute("SELECT profile_id, customer_id FROM community_join_requests "
                                                       "WHERE shop_id = ? AND group_id = ? ORDER BY id",
                                                       {shop_id, group_id}));
      for (const store::Row& row : requests.rows) {
        PLAZA_TRY(AddMember(tx, group, row.Int(0), row.OptionalInt(1), MemberRole::kMember, now));
      }
    }
    PLAZA_ASSIGN_OR_RETURN(auto reloaded, LoadGroup(tx, shop_id, group_id));
    return *reloaded;
  });
}

Result<GroupView> GroupService::View(std::int64_t shop_id, std::optional<std::int64_t> group_id,
                                     std::string_view handle, std::optional<std::int64_t> viewer) {
  return db_.Read([&](store::Transaction& tx) -> Result<GroupView> {
    std::optional<Group> group;
    if (group_id) {
      PLAZA_ASSIGN_OR_RETURN(group, LoadGroup(tx, shop_id, *group_id));
    } else {
      PLAZA_ASSIGN_OR_RETURN(group, LoadGroupByHandle(tx, shop_id, handle));
    }
    if (!group) return Error::NotFound("no such group");
    PLAZA_ASSIGN_OR_RETURN(Standing standing, LoadStanding(tx, shop_id, group->id, viewer));
    if (!Discoverable(*group, standing)) return Error::NotFound("no such group");
    GroupView view;
    view.content_visible = ContentVisible(*group, standing);
    view.group = std::move(*group);
    view.standing = standing;
    return view;
  });
}

Result<GroupView> GroupService::ViewGroup(std::int64_t shop_id, std::string_view handle,
                                          std::optional<std::int64_t> viewer) {
  return View(shop_id, std::nullopt, handle, viewer);
}

Result<GroupView> GroupService::ViewGroupById(std::int64_t shop_id, std::int64_t group_id,
                                              std::optional<std::int64_t> viewer) {
  return View(shop_id, group_id, "", viewer);
}

Result<GroupPage> GroupService::ListGroups(std::int64_t shop_id, std::optional<std::int64_t> viewer,
                                           const PageQuery& page) {
  PLAZA_ASSIGN_OR_RETURN(std::int64_t before, internal::ParseCursor(page.cursor, kNoCursor));
  PLAZA_ASSIGN_OR_RETURN(int limit, internal::CheckLimit(page.limit));
  return db_.Read([&](store::Transaction& tx) -> Result<GroupPage> {
    // An invite-only group is listed only to its members and invitees; -1 matches no one.
    const std::int64_t who = viewer.value_or(-1);
    PLAZA_ASSIGN_OR_RETURN(
        auto result,
        tx.Execute("SELECT " + std::string(kGroupColumns) +
                       " FROM community_groups g WHERE g.shop_id = ? AND g.id < ? AND (g.access <> 'invite_only' "
                       "OR EXISTS (SELECT 1 FROM community_members m WHERE m.shop_id = g.shop_id AND m.group_id = g.id "
                       "AND m.profile_id = ?) OR EXISTS (SELECT 1 FROM community_invitations i WHERE i.shop_id = "
                       "g.shop_id AND i.group_id = g.id AND i.profile_id = ?)) ORDER BY g.id DESC LIMIT ?",
                   {shop_id, before, who, who, limit + 1}));
    return PageOf(std::move(result), static_cast<std::size_t>(limit));
  });
}

Result<GroupPage> GroupService::ListMyGroups(std::int64_t shop_id, std::int64_t profile_id, const PageQuery& page) {
  PLAZA_ASSIGN_OR_RETURN(std::int64_t before, internal::ParseCursor(page.cursor, kNoCursor));
  PLAZA_ASSIGN_OR_RETURN(int limit, internal::CheckLimit(page.limit));
  return db_.Read([&](store::Transaction& tx) -> Result<GroupPage> {
    PLAZA_ASSIGN_OR_RETURN(auto result, tx.Execute("SELECT " + std::string(kGroupColumns) +
                                                       " FROM community_groups WHERE shop_id = ? AND id < ? AND id IN "
                                                       "(SELECT group_id FROM community_members WHERE shop_id = ? AND "
                                                       "profile_id = ?) ORDER BY id DESC LIMIT ?",
                                                   {shop_id, before, shop_id, profile_id, limit + 1}));
    return PageOf(std::move(result), static_cast<std::size_t>(limit));
  });
}

Result<JoinOutcome> GroupService::Join(std::int64_t shop_id, std::int64_t actor, std::int64_t group_id) {
  PLAZA_ASSIGN_OR_RETURN(social::Profile profile, profiles_.GetProfile(shop_id, actor));
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Result<JoinOutcome> {
    PLAZA_ASSIGN_OR_RETURN(auto group, LoadGroup(tx, shop_id, group_id));
    if (!group) return Error::NotFound("no such group");
    PLAZA_ASSIGN_OR_RETURN(Standing standing, LoadStanding(tx, shop_id, group_id, actor));
    if (!Discoverable(*group, standing)) return Error::NotFound("no such group");
    if (standing.role) return JoinOutcome::kJoined;
    if (group->vip) {
      PLAZA_ASSIGN_OR_RETURN(auto reason, Ineligibility(tx, shop_id, *group->vip, profile.customer_id));
      if (reason) return Error{ErrorCode::kPermissionDenied, "community/not-eligible", *reason, ""};
    } else if (group->access == GroupAccess::kPrivate && !standing.invited) {
      if (!standing.requested) {
        PLAZA_TRY(
            tx.Execute("INSERT INTO community_join_requests (shop_id, group_id, profile_id, customer_id, "
                       "created_at) VALUES (?, ?, ?, ?, ?)",
                       {shop_id, group_id, actor, profile.customer_id, ToUnixMillis(now)}));
        PLAZA_TRY(AppendGroupEvent(tx, shop_id, group_id, "group.join_requested", {{"profile_id", actor}}, now));
      }
      return JoinOutcome::kRequested;
    }
    PLAZA_TRY(AddMember(tx, *group, actor, profile.customer_id, MemberRole::kMember, now));
    return JoinOutcome::kJoined;
  });
}

Status GroupService::Leave(std::int64_t shop_id, std::int64_t actor, std::int64_t group_id) {
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Status {
    PLAZA_ASSIGN_OR_RETURN(auto group, LoadGroup(tx, shop_id, group_id));
    if (!group) return Error::NotFound("no such group");
    PLAZA_ASSIGN_OR_RETURN(Standing standing, LoadStanding(tx, shop_id, group_id, actor));
    if (!Discoverable(*group, standing)) return Error::NotFound("no such group");
    if (standing.role == MemberRole::kOwner) {
      return Error::Conflict("community/owner-cannot-leave", "the owner cannot leave the group they own");
    }
    PLAZA_TRY(tx.Execute("DELETE FROM community_join_requests WHERE shop_id = ? AND group_id = ? AND profile_id = ?",
                         {shop_id, group_id, actor}));
    PLAZA_TRY(DropMember(tx, *group, actor, now));
    return Ok();
  });
}

Status GroupService::ApproveRequest(std::int64_t shop_id, std::int64_t actor, std::int64_t group_id,
                                    std::int64_t requester) {
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Status {
    PLAZA_ASSIGN_OR_RETURN(auto moderated, LoadModerated(tx, shop_id, group_id, actor));
    PLAZA_ASSIGN_OR_RETURN(auto request,
                           tx.QueryOne("SELECT customer_id FROM community_join_requests WHERE shop_id = ? "
                                       "AND group_id = ? AND profile_id = ?",
                                       {shop_id, group_id, requester}));
    if (!request) return Error::NotFound("no pending request from this profile");
    return AddMember(tx, moderated.first, requester, request->OptionalInt(0), MemberRole::kMember, now);
  });
}

Status GroupService::DeclineRequest(std::int64_t shop_id, std::int64_t actor, std::int64_t group_id,
                                    std::int64_t requester) {
  return db_.Write([&](store::Transaction& tx) -> Status {
    PLAZA_TRY(LoadModerated(tx, shop_id, group_id, actor));
    PLAZA_ASSIGN_OR_RETURN(auto deleted, tx.Execute("DELETE FROM community_join_requests WHERE shop_id = ? AND "
                                                    "group_id = ? AND profile_id = ?",
                                                    {shop_id, group_id, requester}));
    if (deleted.affected_rows == 0) return Error::NotFound("no pending request from this profile");
    return Ok();
  });
}

Result<std::vector<Member>> GroupService::ListRequests(std::int64_t shop_id, std::int64_t actor,
                                                       std::int64_t group_id) {
  return db_.Read([&](store::Transaction& tx) -> Result<std::vector<Member>> {
    PLAZA_TRY(LoadModerated(tx, shop_id, group_id, actor));
    // Requests wait for a person; a page of the oldest few hundred is all anyone handles.
    PLAZA_ASSIGN_OR_RETURN(auto result, tx.Execute("SELECT profile_id, created_at FROM community_join_requests WHERE "
                                                   "shop_id = ? AND group_id = ? ORDER BY id LIMIT 200",
                                                   {shop_id, group_id}));
    std::vector<Member> requests;
    for (const store::Row& row : result.rows) {
      requests.push_back(
          {.profile_id = row.Int(0), .role = MemberRole::kMember, .joined_at = FromUnixMillis(row.Int(1))});
    }
    return requests;
  });
}

Status GroupService::Invite(std::int64_t shop_id, std::int64_t actor, std::int64_t group_id, std::int64_t invitee) {
  PLAZA_ASSIGN_OR_RETURN(social::Profile profile, profiles_.GetProfile(shop_id, invitee));
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Status {
    PLAZA_ASSIGN_OR_RETURN(auto moderated, LoadModerated(tx, shop_id, group_id, actor));
    PLAZA_ASSIGN_OR_RETURN(Standing standing, LoadStanding(tx, shop_id, group_id, invitee));
    if (standing.role || standing.invited) return Ok();
    PLAZA_TRY(
        tx.Execute("INSERT INTO community_invitations (shop_id, group_id, profile_id, customer_id, invited_by, "
                   "created_at) VALUES (?, ?, ?, ?, ?, ?)",
                   {shop_id, group_id, invitee, profile.customer_id, actor, ToUnixMillis(now)}));
    PLAZA_TRY(posts_.notifications().Notify(tx, shop_id,
                                            {.recipient_profile_id = invitee,
                                             .kind = social::NotificationKind::kGroupInvite,
                                             .actor_profile_id = actor,
                                             .subject_kind = "group",
                                             .subject_id = group_id,
                                             .text = moderated.first.name}));
    return AppendGroupEvent(tx, shop_id, group_id, "group.invited", {{"profile_id", invitee}, {"invited_by", actor}},
                            now);
  });
}

Status GroupService::RemoveMember(std::int64_t shop_id, std::int64_t actor, std::int64_t group_id,
                                  std::int64_t member) {
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Status {
    PLAZA_ASSIGN_OR_RETURN(auto moderated, LoadModerated(tx, shop_id, group_id, actor));
    PLAZA_ASSIGN_OR_RETURN(Standing target, LoadStanding(tx, shop_id, group_id, member));
    if (!target.role) return Error::NotFound("this profile is not a member");
    if (target.role == MemberRole::kOwner ||
        (target.role == MemberRole::kModerator && moderated.second.role != MemberRole::kOwner)) {
      return Error{ErrorCode::kPermissionDenied, "community/not-owner",
                   "only the owner can remove a moderator, and nobody can remove the owner", ""};
    }
    PLAZA_TRY(DropMember(tx, moderated.first, member, now));
    return Ok();
  });
}

Status GroupService::SetModerator(std::int64_t shop_id, std::int64_t actor, std::int64_t group_id, std::int64_t member,
                                  bool moderator) {
  return db_.Write([&](store::Transaction& tx) -> Status {
    PLAZA_ASSIGN_OR_RETURN(auto moderated, LoadModerated(tx, shop_id, group_id, actor));
    if (moderated.second.role != MemberRole::kOwner) {
      return Error{ErrorCode::kPermissionDenied, "community/not-owner", "only the owner appoints moderators", ""};
    }
    PLAZA_ASSIGN_OR_RETURN(Standing target, LoadStanding(tx, shop_id, group_id, member));
    if (!target.role || target.role == MemberRole::kOwner) return Error::NotFound("this profile is not a member");
    PLAZA_TRY(tx.Execute(
        "UPDATE community_members SET role = ? WHERE shop_id = ? AND group_id = ? AND profile_id = ?",
        {MemberRoleName(moderator ? MemberRole::kModerator : MemberRole::kMember), shop_id, group_id, member}));
    return Ok();
  });
}

Result<MemberPage> GroupService::ListMembers(std::int64_t shop_id, std::optional<std::int64_t> viewer,
                                             std::int64_t group_id, const PageQuery& page) {
  PLAZA_ASSIGN_OR_RETURN(std::int64_t after, internal::ParseCursor(page.cursor, 0));
  PLAZA_ASSIGN_OR_RETURN(int limit, internal::CheckLimit(page.limit));
  return db_.Read([&](store::Transaction& tx) -> Result<MemberPage> {
    PLAZA_ASSIGN_OR_RETURN(auto group, LoadGroup(tx, shop_id, group_id));
    if (!group) return Error::NotFound("no such group");
    PLAZA_ASSIGN_OR_RETURN(Standing standing, LoadStanding(tx, shop_id, group_id, viewer));
    if (!Discoverable(*group, standing)) return Error::NotFound("no such group");
    if (!ContentVisible(*group, standing)) {
      return Error{ErrorCode::kPermissionDenied, "community/members-only", "only members see who else is a member", ""};
    }
    PLAZA_ASSIGN_OR_RETURN(auto result, tx.Execute("SELECT id, profile_id, role, joined_at FROM community_members "
                                                   "WHERE shop_id = ? AND group_id = ? AND id > ? ORDER BY id LIMIT ?",
                                                   {shop_id, group_id, after, limit + 1}));
    MemberPage out;
    std::int64_t last_id = 0;
    for (const store::Row& row : result.rows) {
      if (out.members.size() == static_cast<std::size_t>(limit)) {
        out.next_cursor = std::to_string(last_id);
        break;
      }
      last_id = row.Int(0);
      out.members.push_back({.profile_id = row.Int(1),
                             .role = ParseRole(row.Text(2)).value_or(MemberRole::kMember),
                             .joined_at = FromUnixMillis(row.Int(3))});
    }
    return out;
  });
}

Status GroupService::Pin(std::int64_t shop_id, std::int64_t actor, std::int64_t group_id, std::int64_t post_id) {
  // The post as the pinning moderator sees it; its group never changes once posted.
  PLAZA_ASSIGN_OR_RETURN(social::Post post, posts_.GetPost(shop_id, post_id, actor));
  if (post.group_id != group_id) return Error::NotFound("no such post in this group");
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Status {
    PLAZA_TRY(LoadModerated(tx, shop_id, group_id, actor));
    PLAZA_ASSIGN_OR_RETURN(std::vector<std::int64_t> pinned, PinnedPosts(tx, shop_id, group_id));
    if (std::find(pinned.begin(), pinned.end(), post_id) != pinned.end()) return Ok();
    if (pinned.size() >= kMaxPinnedPosts) {
      return Error::Conflict("community/too-many-pins",
                             "a group pins at most " + std::to_string(kMaxPinnedPosts) + " posts; unpin one first");
    }
    PLAZA_TRY(
        tx.Execute("INSERT INTO community_pins (shop_id, group_id, post_id, pinned_by, pinned_at) VALUES (?, ?, "
                   "?, ?, ?)",
                   {shop_id, group_id, post_id, actor, ToUnixMillis(now)}));
    return Ok();
  });
}

Status GroupService::Unpin(std::int64_t shop_id, std::int64_t actor, std::int64_t group_id, std::int64_t post_id) {
  return db_.Write([&](store::Transaction& tx) -> Status {
    PLAZA_TRY(LoadModerated(tx, shop_id, group_id, actor));
    PLAZA_TRY(tx.Execute("DELETE FROM community_pins WHERE shop_id = ? AND group_id = ? AND post_id = ?",
                         {shop_id, group_id, post_id}));
    return Ok();
  });
}

Result<GroupPosts> GroupService::ListPosts(std::int64_t shop_id, std::int64_t group_id,
                                           std::optional<std::int64_t> viewer, const social::PageRequest& page) {
  PLAZA_ASSIGN_OR_RETURN(GroupView view, ViewGroupById(shop_id, group_id, viewer));
  if (!view.content_visible) {
    return Error{ErrorCode::kPermissionDenied, "community/members-only", "only members read this group's posts", ""};
  }
  PLAZA_ASSIGN_OR_RETURN(std::vector<std::int64_t> pinned_ids,
                         db_.Read([&](store::Transaction& tx) { return PinnedPosts(tx, shop_id, group_id); }));
  GroupPosts out;
  if (page.cursor.empty()) {
    for (std::int64_t post_id : pinned_ids) {
      auto post = posts_.GetPost(shop_id, post_id, viewer);
      // A pinned post deleted or hidden since is simply not shown.
      if (post.ok()) {
        out.pinned.push_back(std::move(post).value());
      } else if (post.error().code != ErrorCode::kNotFound) {
        return std::move(post).error();
      }
    }
  }
  PLAZA_ASSIGN_OR_RETURN(out.posts, posts_.ListGroupPosts(shop_id, group_id, viewer, page));
  std::erase_if(out.posts.posts, [&](const social::Post& post) {
    return std::find(pinned_ids.begin(), pinned_ids.end(), post.id) != pinned_ids.end();
  });
  return out;
}

Result<GroupPage> GroupService::ListAllGroups(const identity::Principal& staff, std::int64_t shop_id,
                                              const PageQuery& page) {
  PLAZA_TRY(identity::Authorize(staff, shop_id, identity::Permission::kModerationAct));
  PLAZA_ASSIGN_OR_RETURN(std::int64_t before, internal::ParseCursor(page.cursor, kNoCursor));
  PLAZA_ASSIGN_OR_RETURN(int limit, internal::CheckLimit(page.limit));
  return db_.Read([&](store::Transaction& tx) -> Result<GroupPage> {
    PLAZA_ASSIGN_OR_RETURN(auto result, tx.Execute("SELECT " + std::string(kGroupColumns) +
                                                       " FROM community_groups WHERE shop_id = ? AND id < ? ORDER BY "
                                                       "id DESC LIMIT ?",
                                                   {shop_id, before, limit + 1}));
    return PageOf(std::move(result), static_cast<std::size_t>(limit));
  });
}

Result<Group> GroupService::GetGroup(const identity::Principal& staff, std::int64_t shop_id, std::int64_t group_id) {
  PLAZA_TRY(identity::Authorize(staff, shop_id, identity::Permission::kModerationAct));
  return db_.Read([&](store::Transaction& tx) -> Result<Group> {
    PLAZA_ASSIGN_OR_RETURN(auto group, LoadGroup(tx, shop_id, group_id));
    if (!group) return Error::NotFound("no such group");
    return *group;
  });
}

Result<Group> GroupService::SetVipRule(const identity::Principal& staff, std::int64_t shop_id, std::int64_t group_id,
                                       const std::optional<VipRule>& rule) {
  PLAZA_TRY(identity::Authorize(staff, shop_id, identity::Permission::kCustomersManage));
  if (rule) PLAZA_TRY(ValidateVipRule(*rule));
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Result<Group> {
    PLAZA_ASSIGN_OR_RETURN(auto group, LoadGroup(tx, shop_id, group_id));
    if (!group) return Error::NotFound("no such group");
    if (rule && group->access == GroupAccess::kInviteOnly) {
      return Error{ErrorCode::kConflict, "community/vip-invite-only",
                   "a VIP group is joined by qualifying, so it cannot be invite-only; make it public or private first",
                   ""};
    }
    if (rule && rule->member_tag) {
      // Two groups giving one tag would take it from a customer who leaves one of them
      // while still in the other.
      PLAZA_ASSIGN_OR_RETURN(auto clash,
                             tx.QueryOne("SELECT name FROM community_groups WHERE shop_id = ? AND id <> ? AND "
                                         "is_vip = 1 AND LOWER(vip_member_tag) = ?",
                                         {shop_id, group_id, text::ToLowerAscii(*rule->member_tag)}));
      if (clash) {
        return Error{ErrorCode::kConflict, "community/member-tag-taken",
                     "the group \"" + clash->Text(0) + "\" already gives this tag to its members", "/member_tag"};
      }
    }
    const std::optional<VipRule> previous = group->vip;
    group->vip = rule;
    PLAZA_TRY(tx.Execute(
        "UPDATE community_groups SET is_vip = ?, vip_tag = ?, vip_min_orders = ?, vip_member_tag = ?, "
        "updated_at = ? WHERE shop_id = ? AND id = ?",
        {rule.has_value(), rule ? rule->customer_tag : std::nullopt, rule ? rule->min_paid_orders : std::nullopt,
         rule ? rule->member_tag : std::nullopt, ToUnixMillis(now), shop_id, group_id}));
    PLAZA_ASSIGN_OR_RETURN(VipSweep sweep, Sweep(tx, *group, previous, now));
    boost::json::object details;
    if (rule) {
      details["customer_tag"] = rule->customer_tag ? boost::json::value(*rule->customer_tag) : nullptr;
      details["min_paid_orders"] = rule->min_paid_orders ? boost::json::value(*rule->min_paid_orders) : nullptr;
      details["member_tag"] = rule->member_tag ? boost::json::value(*rule->member_tag) : nullptr;
    }
    details["removed"] = sweep.removed;
    PLAZA_TRY(identity::AppendAudit(
        tx, identity::AuditBy(staff, rule ? "group.vip_changed" : "group.vip_removed",
                              "group:" + std::to_string(group_id), boost::json::serialize(details), now)));
    PLAZA_ASSIGN_OR_RETURN(auto reloaded, LoadGroup(tx, shop_id, group_id));
    return *reloaded;
  });
}

Result<VipSweep> GroupService::ReevaluateVip(const identity::Principal& staff, std::int64_t shop_id,
                                             std::int64_t group_id) {
  PLAZA_TRY(identity::Authorize(staff, shop_id, identity::Permission::kCustomersManage));
  return Reevaluate(&staff, shop_id, group_id);
}

Result<VipSweep> GroupService::ReevaluateAllVip() {
  // Crosses shops on purpose: this is the operator's pass over every tenant.
  PLAZA_ASSIGN_OR_RETURN(auto groups, db_.Read([&](store::Transaction& tx) {
    return tx.Execute("SELECT shop_id, id FROM community_groups WHERE is_vip = 1 ORDER BY shop_id, id");
  }));
  VipSweep total;
  for (const store::Row& row : groups.rows) {
    PLAZA_ASSIGN_OR_RETURN(VipSweep sweep, Reevaluate(nullptr, row.Int(0), row.Int(1)));
    total.kept += sweep.kept;
    total.removed += sweep.removed;
    total.retagged += sweep.retagged;
  }
  return total;
}

Result<VipSweep> GroupService::Reevaluate(const identity::Principal* staff, std::int64_t shop_id,
                                          std::int64_t group_id) {
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Result<VipSweep> {
    PLAZA_ASSIGN_OR_RETURN(auto group, LoadGroup(tx, shop_id, group_id));
    if (!group) return Error::NotFound("no such group");
    if (!group->vip) return Error::Conflict("community/not-vip", "this group has no VIP rule to apply");
    PLAZA_ASSIGN_OR_RETURN(VipSweep sweep, Sweep(tx, *group, group->vip, now));
    if (sweep.removed > 0 || sweep.retagged > 0) {
      const std::string target = "group:" + std::to_string(group_id);
      const std::string details = boost::json::serialize(
          boost::json::object{{"kept", sweep.kept}, {"removed", sweep.removed}, {"retagged", sweep.retagged}});
      identity::AuditEntry entry;
      if (staff != nullptr) {
        entry = identity::AuditBy(*staff, "group.vip_reevaluated", target, details, now);
      } else {
        entry = {.shop_id = shop_id,
                 .actor = "system",
                 .action = "group.vip_reevaluated",
                 .target = target,
                 .details_json = details,
                 .at = now};
      }
      PLAZA_TRY(identity::AppendAudit(tx, entry));
    }
    return sweep;
  });
}

}  // namespace plaza::community
