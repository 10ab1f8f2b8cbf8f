#include "plaza/social/profiles.h"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <unordered_map>

#include "notification_store.h"
#include "plaza/core/free_text.h"
#include "plaza/core/text.h"
#include "plaza/store/outbox.h"
#include "text_checks.h"

namespace plaza::social {
namespace {

using internal::ValidateText;
using text::CodePointName;
using text::IsInvisible;
using text::NextCodePoint;

constexpr std::string_view kProfileColumns =
    "p.id, p.shop_id, p.handle, p.display_name, p.bio, p.avatar_url, p.links, p.kind, p.is_private, "
    "p.customer_id, p.followers_count, p.following_count, p.created_at, p.updated_at";

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += '\n';
    out += item;
  }
  return out;
}

std::vector<std::string> Split(const std::string& text) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    items.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return items;
}

Profile ReadProfile(const store::Row& row, std::size_t first = 0) {
  Profile profile;
  profile.id = row.Int(first + 0);
  profile.shop_id = row.Int(first + 1);
  profile.handle = row.Text(first + 2);
  profile.display_name = row.Text(first + 3);
  profile.bio = row.Text(first + 4);
  profile.avatar_url = row.OptionalText(first + 5);
  profile.links = Split(row.Text(first + 6));
  profile.kind = ParseProfileKind(row.Text(first + 7)).value_or(ProfileKind::kCustomer);
  profile.is_private = row.Bool(first + 8);
  profile.customer_id = row.OptionalInt(first + 9);
  profile.followers_count = row.Int(first + 10);
  profile.following_count = row.Int(first + 11);
  profile.created_at = FromUnixMillis(row.Int(first + 12));
  profile.updated_at = FromUnixMillis(row.Int(first + 13));
  return profile;
}

Status ValidateLinks(const std::vector<std::string>& links) {
  if (links.size() > kMaxLinks) {
    return Error::Invalid("social/too-many-links", "a profile may show at most " + std::to_string(kMaxLinks) + " links",
                          "/links");
  }
  for (std::size_t i = 0; i < links.size(); ++i) PLAZA_TRY(ValidateHttpUrl(links[i], "/links/" + std::to_string(i)));
  return Ok();
}

Status ValidateNewProfile(const NewProfile& profile) {
  PLAZA_TRY(ValidateHandle(profile.handle));
  PLAZA_TRY(ValidateText(profile.display_name, "/display_name", "the display name", 1, kMaxDisplayNameLength, false));
  PLAZA_TRY(ValidateText(profile.bio, "/bio", "the bio", 0, kMaxBioLength, true));
  if (profile.avatar_url) PLAZA_TRY(ValidateHttpUrl(*profile.avatar_url, "/avatar_url"));
  return ValidateLinks(profile.links);
}

std::string HandleKey(std::string_view handle) {
  return text::ToLowerAscii(handle);
}

Result<std::optional<Profile>> FindById(store::Transaction& tx, std::int64_t shop_id, std::int64_t id) {
  PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT " + std::string(kProfileColumns) +
                                                   " FROM social_profiles p WHERE p.shop_id = ? AND p.id = ?",
                                               {shop_id, id}));
  if (!row) return std::optional<Profile>();
  return std::optional<Profile>(ReadProfile(*row));
}

Result<Profile> LoadById(store::Transaction& tx, std::int64_t shop_id, std::int64_t id) {
  PLAZA_ASSIGN_OR_RETURN(auto profile, FindById(tx, shop_id, id));
  if (!profile) return Error::NotFound("no such profile");
  return std::move(*profile);
}

Result<Profile> LoadByHandle(store::Transaction& tx, std::int64_t shop_id, std::string_view handle) {
  // A string that could never be a handle names nothing; no need to ask the database.
  if (handle.empty() || handle.size() > kMaxHandleLength) return Error::NotFound("no profile @" + std::string(handle));
  PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT " + std::string(kProfileColumns) +
                                                   " FROM social_profiles p WHERE p.shop_id = ? AND p.handle_key = ?",
                                               {shop_id, HandleKey(handle)}));
  if (!row) return Error::NotFound("no profile @" + std::string(handle));
  return ReadProfile(*row);
}

Result<bool> Exists(store::Transaction& tx, std::string_view sql, std::initializer_list<store::Param> params) {
  PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne(sql, params));
  return row.has_value();
}

Result<bool> Blocks(store::Transaction& tx, std::int64_t shop_id, std::int64_t blocker, std::int64_t blocked) {
  return Exists(tx, "SELECT 1 FROM social_blocks WHERE shop_id = ? AND blocker_id = ? AND blocked_id = ?",
                {shop_id, blocker, blocked});
}

Result<bool> Follows(store::Transaction& tx, std::int64_t shop_id, std::int64_t follower, std::int64_t followee) {
  return Exists(tx, "SELECT 1 FROM social_follows WHERE shop_id = ? AND follower_id = ? AND followee_id = ?",
                {shop_id, follower, followee});
}

Result<Relationship> RelationshipOf(store::Transaction& tx, std::int64_t shop_id, std::int64_t viewer,
                                    std::int64_t profile) {
  Relationship relationship;
  relationship.is_self = viewer == profile;
  if (relationship.is_self) return relationship;
  PLAZA_ASSIGN_OR_RETURN(relationship.following, Follows(tx, shop_id, viewer, profile));
  PLAZA_ASSIGN_OR_RETURN(relationship.followed_by, Follows(tx, shop_id, profile, viewer));
  PLAZA_ASSIGN_OR_RETURN(
      relationship.requested,
      Exists(tx, "SELECT 1 FROM social_follow_requests WHERE shop_id = ? AND requester_id = ? AND target_id = ?",
             {shop_id, viewer, profile}));
  PLAZA_ASSIGN_OR_RETURN(relationship.blocking, Blocks(tx, shop_id, viewer, profile));
  PLAZA_ASSIGN_OR_RETURN(relationship.muting,
                         Exists(tx, "SELECT 1 FROM social_mutes WHERE shop_id = ? AND muter_id = ? AND muted_id = ?",
                                {shop_id, viewer, profile}));
  return relationship;
}

// Loads `handle` as `viewer` may see it: absent when it blocks the viewer, exactly as
// when it does not exist, so a blocked person cannot tell a block from a deletion.
Result<ProfileView> LoadView(store::Transaction& tx, std::int64_t shop_id, std::string_view handle,
                             std::optional<std::int64_t> viewer) {
  PLAZA_ASSIGN_OR_RETURN(Profile profile, LoadByHandle(tx, shop_id, handle));
  ProfileView view;
  if (viewer) {
    PLAZA_ASSIGN_OR_RETURN(bool blocked, Blocks(tx, shop_id, profile.id, *viewer));
    if (blocked) return Error::NotFound("no profile @" + std::string(handle));
    PLAZA_ASSIGN_OR_RETURN(view.relationship, RelationshipOf(tx, shop_id, *viewer, profile.id));
  }
  view.content_visible = !profile.is_private || view.relationship.is_self || view.relationship.following;
  if (!view.content_visible) {
    profile.bio.clear();
    profile.links.clear();
  }
  view.profile = std::move(profile);
  return view;
}

Status AppendFollowEvent(store::Transaction& tx, std::int64_t shop_id, std::string event_type, std::int64_t follower,
                         std::int64_t followee, TimePoint now) {
  store::OutboxEvent event;
  event.shop_id = shop_id;
  event.aggregate_type = "social_profile";
  event.aggregate_id = std::to_string(followee);
  event.event_type = std::move(event_type);
  event.payload_json = "{\"follower_profile_id\":" + std::to_string(follower) +
                       ",\"followee_profile_id\":" + std::to_string(followee) + "}";
  PLAZA_ASSIGN_OR_RETURN(std::int64_t id, store::AppendEvent(tx, event, now));
  (void)id;  // consumers find the event through the outbox, not by id
  return Ok();
}

// The follow row and both counts change in one statement group of one transaction, so
// the counts cannot drift from the rows whatever runs concurrently.
Status AddFollow(store::Transaction& tx, std::int64_t shop_id, std::int64_t follower, std::int64_t followee,
                 TimePoint now) {
  PLAZA_TRY(tx.Execute("INSERT INTO social_follows (shop_id, follower_id, followee_id, created_at) VALUES (?, ?, ?, ?)",
                       {shop_id, follower, followee, ToUnixMillis(now)}));
  PLAZA_TRY(tx.Execute("UPDATE social_profiles SET following_count = following_count + 1 WHERE shop_id = ? AND id = ?",
                       {shop_id, follower}));
  PLAZA_TRY(tx.Execute("UPDATE social_profiles SET followers_count = followers_count + 1 WHERE shop_id = ? AND id = ?",
                       {shop_id, followee}));
  return AppendFollowEvent(tx, shop_id, "social.follow.created", follower, followee, now);
}

Status RemoveFollow(store::Transaction& tx, std::int64_t shop_id, std::int64_t follower, std::int64_t followee) {
  PLAZA_ASSIGN_OR_RETURN(
      store::QueryResult removed,
      tx.Execute("DELETE FROM social_follows WHERE shop_id = ? AND follower_id = ? AND followee_id = ?",
                 {shop_id, follower, followee}));
  if (removed.affected_rows == 0) return Ok();
  PLAZA_TRY(tx.Execute("UPDATE social_profiles SET following_count = following_count - 1 WHERE shop_id = ? AND id = ?",
                       {shop_id, follower}));
  PLAZA_TRY(tx.Execute("UPDATE social_profiles SET followers_count = followers_count - 1 WHERE shop_id = ? AND id = ?",
                       {shop_id, followee}));
  return Ok();
}

Status DeleteRequest(store::Transaction& tx, std::int64_t shop_id, std::int64_t requester, std::int64_t target,
                     bool* deleted = nullptr) {
  PLAZA_ASSIGN_OR_RETURN(
      store::QueryResult result,
      tx.Execute("DELETE FROM social_follow_requests WHERE shop_id = ? AND requester_id = ? AND target_id = ?",
                 {shop_id, requester, target}));
  if (deleted) *deleted = result.affected_rows > 0;
  return Ok();
}

constexpr std::string_view kCursorPrefix = "p1:";

std::string EncodeCursor(std::int64_t edge_id) {
  return text::HexEncode(text::AsBytes(std::string(kCursorPrefix) + std::to_string(edge_id)));
}

Result<std::optional<std::int64_t>> DecodeCursor(std::string_view cursor) {
  if (cursor.empty()) return std::optional<std::int64_t>();
  const Error invalid = Error::Invalid("social/invalid-cursor", "the cursor is not one this list handed out", "cursor");
  if (cursor.size() > 64) return invalid;
  const auto bytes = text::HexDecode(cursor);
  if (!bytes) return invalid;
  const std::string decoded(bytes->begin(), bytes->end());
  if (!decoded.starts_with(kCursorPrefix)) return invalid;
  const std::string digits = decoded.substr(kCursorPrefix.size());
  if (digits.empty() || digits.size() > 18 ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return invalid;
  }
  return std::optional<std::int64_t>(std::stoll(digits));
}

Status ValidatePage(const PageRequest& page) {
  if (page.limit < 1 || page.limit > kMaxPageSize) {
    return Error::Invalid("validation/range", "limit must be between 1 and " + std::to_string(kMaxPageSize), "limit");
  }
  return Ok();
}

// One page of profiles joined through an edge table, newest edge first. `edge_sql` is
// "FROM <edges> e JOIN social_profiles p ON … WHERE e.shop_id = ? AND e.<owner> = ?";
// profiles that block `viewer` are left out.
Result<ProfilePage> PageOfProfiles(store::Transaction& tx, std::string_view edge_sql, std::int64_t shop_id,
                                   std::int64_t owner, std::int64_t viewer, const PageRequest& page) {
  PLAZA_TRY(ValidatePage(page));
  PLAZA_ASSIGN_OR_RETURN(std::optional<std::int64_t> after, DecodeCursor(page.cursor));
  const std::string sql =
      "SELECT e.id, " + std::string(kProfileColumns) + " " + std::string(edge_sql) +
      " AND e.id < ? AND NOT EXISTS (SELECT 1 FROM social_blocks b WHERE b.shop_id = e.shop_id AND b.blocker_id = p.id"
      " AND b.blocked_id = ?) ORDER BY e.id DESC LIMIT ?";
  const std::vector<store::Param> params = {shop_id, owner, after.value_or(std::numeric_limits<std::int64_t>::max()),
                                            viewer, static_cast<std::int64_t>(page.limit) + 1};
  PLAZA_ASSIGN_OR_RETURN(store::QueryResult result, tx.Execute(sql, params));
  ProfilePage out;
  for (std::size_t i = 0; i < result.rows.size() && i < static_cast<std::size_t>(page.limit); ++i) {
    out.profiles.push_back(ReadProfile(result.rows[i], 1));
  }
  if (result.rows.size() > static_cast<std::size_t>(page.limit)) {
    out.next_cursor = EncodeCursor(result.rows[static_cast<std::size_t>(page.limit) - 1].Int(0));
  }
  return out;
}

}  // namespace

std::string_view ProfileKindName(ProfileKind kind) {
  switch (kind) {
    case ProfileKind::kCustomer:
      return "customer";
    case ProfileKind::kBrand:
      return "brand";
    case ProfileKind::kCreator:
      return "creator";
  }
  return "customer";
}

std::optional<ProfileKind> ParseProfileKind(std::string_view name) {
  if (name == "customer") return ProfileKind::kCustomer;
  if (name == "brand") return ProfileKind::kBrand;
  if (name == "creator") return ProfileKind::kCreator;
  return std::nullopt;
}

std::string_view FollowStateName(FollowState state) {
  return state == FollowState::kFollowing ? "following" : "requested";
}

Status ValidateHandle(std::string_view handle, const std::string& field) {
  if (!text::IsValidUtf8(handle)) return Error::Invalid("validation/utf8", "the handle is not valid UTF-8", field);
  std::size_t position = 0;
  for (std::size_t pos = 0; pos < handle.size();) {
    const char32_t c = NextCodePoint(handle, pos);
    ++position;
    const bool allowed =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
    if (!allowed) {
      const std::string shown =
          IsInvisible(c) ? "the invisible character " + CodePointName(c) : "the character " + CodePointName(c);
      return Error::Invalid("social/invalid-handle",
                            "a handle may contain only letters a-z, digits, '_' and '.'; found " + shown +
                                " at position " + std::to_string(position),
                            field);
    }
  }
  if (handle.size() < kMinHandleLength || handle.size() > kMaxHandleLength) {
    return Error::Invalid("social/handle-length",
                          "a handle has " + std::to_string(kMinHandleLength) + " to " +
                              std::to_string(kMaxHandleLength) + " characters; this one has " +
                              std::to_string(handle.size()),
                          field);
  }
  if (handle.front() == '.' || handle.back() == '.' || handle.find("..") != std::string_view::npos) {
    return Error::Invalid("social/invalid-handle", "a handle may not start or end with '.' or hold two '.' in a row",
                          field);
  }
  return Ok();
}

Status ValidateHttpUrl(std::string_view url, const std::string& field) {
  if (url.size() > kMaxUrlLength) {
    return Error::Invalid("validation/too-long",
                          "a link may be at most " + std::to_string(kMaxUrlLength) + " characters long", field);
  }
  const std::string lower = text::ToLowerAscii(url.substr(0, std::min<std::size_t>(url.size(), 8)));
  std::size_t authority_start = 0;
  if (lower.starts_with("https://")) {
    authority_start = 8;
  } else if (lower.starts_with("http://")) {
    authority_start = 7;
  } else {
    return Error::Invalid("social/invalid-url", "a link must start with http:// or https://", field);
  }
  for (const char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7F) {
      return Error::Invalid("social/invalid-url",
                            "a link may not contain spaces, control or non-ASCII characters; percent-encode them",
                            field);
    }
  }
  const std::size_t authority_end = std::min(url.find_first_of("/?#", authority_start), url.size());
  const std::string_view authority = url.substr(authority_start, authority_end - authority_start);
  // "https://brand.example@attacker.example" reads as the brand and goes elsewhere.
  if (authority.find('@') != std::string_view::npos) {
    return Error::Invalid("social/invalid-url", "a link may not carry a user name or password", field);
  }
  if (authority.empty() || authority.front() == ':' || authority.front() == '.') {
    return Error::Invalid("social/invalid-url", "the link has no host name", field);
  }
  return Ok();
}

Result<Profile> ProfileService::CreateProfile(std::int64_t shop_id, const NewProfile& input) {
  PLAZA_TRY(ValidateNewProfile(input));
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Result<Profile> {
    PLAZA_ASSIGN_OR_RETURN(bool taken, Exists(tx, "SELECT 1 FROM social_profiles WHERE shop_id = ? AND handle_key = ?",
                                              {shop_id, HandleKey(input.handle)}));
    if (taken) return Error::Conflict("social/handle-taken", "the handle @" + input.handle + " is taken");
    if (input.customer_id) {
      PLAZA_ASSIGN_OR_RETURN(bool has_profile,
                             Exists(tx, "SELECT 1 FROM social_profiles WHERE shop_id = ? AND customer_id = ?",
                                    {shop_id, *input.customer_id}));
      if (has_profile) return Error::Conflict("social/customer-has-profile", "this customer already has a profile");
    }
    PLAZA_ASSIGN_OR_RETURN(
        auto row,
        tx.QueryOne("INSERT INTO social_profiles (shop_id, handle, handle_key, display_name, bio, avatar_url, links, "
                    "kind, is_private, customer_id, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    {shop_id, input.handle, HandleKey(input.handle), input.display_name, input.bio, input.avatar_url,
                     Join(input.links), ProfileKindName(input.kind), input.is_private, input.customer_id,
                     ToUnixMillis(now), ToUnixMillis(now)}));
    return LoadById(tx, shop_id, row->Int(0));
  });
}

Result<Profile> ProfileService::UpdateProfile(std::int64_t shop_id, std::int64_t profile_id,
                                              const ProfileUpdate& update) {
  if (update.handle) PLAZA_TRY(ValidateHandle(*update.handle));
  if (update.display_name) {
    PLAZA_TRY(ValidateText(*update.display_name, "/display_name", "the display name", 1, kMaxDisplayNameLength, false));
  }
  if (update.bio) PLAZA_TRY(ValidateText(*update.bio, "/bio", "the bio", 0, kMaxBioLength, true));
  if (update.avatar_url && *update.avatar_url) PLAZA_TRY(ValidateHttpUrl(**update.avatar_url, "/avatar_url"));
  if (update.links) PLAZA_TRY(ValidateLinks(*update.links));
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Result<Profile> {
    PLAZA_ASSIGN_OR_RETURN(Profile profile, LoadById(tx, shop_id, profile_id));
    if (update.handle && HandleKey(*update.handle) != HandleKey(profile.handle)) {
      PLAZA_ASSIGN_OR_RETURN(bool taken,
                             Exists(tx, "SELECT 1 FROM social_profiles WHERE shop_id = ? AND handle_key = ?",
                                    {shop_id, HandleKey(*update.handle)}));
      if (taken) return Error::Conflict("social/handle-taken", "the handle @" + *update.handle + " is taken");
    }
    if (update.handle) profile.handle = *update.handle;
    if (update.display_name) profile.display_name = *update.display_name;
    if (update.bio) profile.bio = *update.bio;
    if (update.avatar_url) profile.avatar_url = *update.avatar_url;
    if (update.links) profile.links = *update.links;
    const bool becomes_public = update.is_private && !*update.is_private && profile.is_private;
    if (update.is_private) profile.is_private = *update.is_private;
    PLAZA_TRY(tx.Execute(
        "UPDATE social_profiles SET handle = ?, handle_key = ?, display_name = ?, bio = ?, avatar_url = ?, links = ?, "
        "is_private = ?, updated_at = ? WHERE shop_id = ? AND id = ?",
        {profile.handle, HandleKey(profile.handle), profile.display_name, profile.bio, profile.avatar_url,
         Join(profile.links), profile.is_private, ToUnixMillis(now), shop_id, profile_id}));
    if (becomes_public) {
      // The people waiting asked to follow; a public profile has nothing left to approve.
      PLAZA_ASSIGN_OR_RETURN(
          store::QueryResult pending,
          tx.Execute("SELECT requester_id FROM social_follow_requests WHERE shop_id = ? AND target_id = ? ORDER BY id",
                     {shop_id, profile_id}));
      for (const store::Row& row : pending.rows) {
        PLAZA_TRY(DeleteRequest(tx, shop_id, row.Int(0), profile_id));
        PLAZA_TRY(AddFollow(tx, shop_id, row.Int(0), profile_id, now));
      }
    }
    return LoadById(tx, shop_id, profile_id);
  });
}

Result<Profile> ProfileService::GetProfile(std::int64_t shop_id, std::int64_t profile_id) {
  return db_.Read([&](store::Transaction& tx) { return LoadById(tx, shop_id, profile_id); });
}

Result<std::vector<Profile>> ProfileService::GetProfiles(std::int64_t shop_id,
                                                         const std::vector<std::int64_t>& profile_ids) {
  std::vector<std::int64_t> unique = profile_ids;
  std::sort(unique.begin(), unique.end());
  unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
  std::unordered_map<std::int64_t, Profile> found;
  // Chunks keep the IN list well under both engines' limits on parameters.
  constexpr std::size_t kChunk = 500;
  PLAZA_TRY(db_.Read([&](store::Transaction& tx) -> Status {
    for (std::size_t start = 0; start < unique.size(); start += kChunk) {
      const std::size_t count = std::min(kChunk, unique.size() - start);
      std::vector<store::Param> params{shop_id};
      params.insert(params.end(), unique.begin() + static_cast<std::ptrdiff_t>(start),
                    unique.begin() + static_cast<std::ptrdiff_t>(start + count));
      PLAZA_ASSIGN_OR_RETURN(
          store::QueryResult result,
          tx.Execute("SELECT " + std::string(kProfileColumns) +
                         " FROM social_profiles p WHERE p.shop_id = ? AND p.id IN (" + store::Placeholders(count) + ")",
                     params));
      for (const store::Row& row : result.rows) {
        Profile profile = ReadProfile(row);
        found.emplace(profile.id, std::move(profile));
      }
    }
    return Ok();
  }));
  std::vector<Profile> out;
  out.reserve(found.size());
  for (const std::int64_t id : profile_ids) {
    auto it = found.find(id);
    if (it == found.end()) continue;
    out.push_back(std::move(it->second));
    found.erase(it);
  }
  return out;
}

Result<Profile> ProfileService::ProfileOfCustomer(std::int64_t shop_id, std::int64_t customer_id) {
  return db_.Read([&](store::Transaction& tx) -> Result<Profile> {
    PLAZA_ASSIGN_OR_RETURN(auto row,
                           tx.QueryOne("SELECT " + std::string(kProfileColumns) +
                                           " FROM social_profiles p WHERE p.shop_id = ? AND p.customer_id = ?",
                                       {shop_id, customer_id}));
    if (!row) {
      Error error = Error::NotFound("you have no social profile yet; create one first");
      error.type = "social/no-profile";
      return error;
    }
    return ReadProfile(*row);
  });
}

Result<ProfileView> ProfileService::ViewProfile(std::int64_t shop_id, std::string_view handle,
                                                std::optional<std::int64_t> viewer) {
  return db_.Read([&](store::Transaction& tx) { return LoadView(tx, shop_id, handle, viewer); });
}

Result<FollowState> ProfileService::Follow(std::int64_t shop_id, std::int64_t actor, std::string_view target) {
  const TimePoint now = clock_.Now();
  // Everyone following one popular profile updates its row; queueing them behind each
  // other avoids rounds of serialization failures on PostgreSQL.
  PLAZA_ASSIGN_OR_RETURN(Profile resolved,
                         db_.Read([&](store::Transaction& tx) { return LoadByHandle(tx, shop_id, target); }));
  const std::int64_t keys[] = {store::QueueKey("social/profile", shop_id, resolved.id)};
  return db_.WriteQueued(keys, [&](store::Transaction& tx) -> Result<FollowState> {
    PLAZA_ASSIGN_OR_RETURN(Profile me, LoadById(tx, shop_id, actor));
    PLAZA_ASSIGN_OR_RETURN(Profile them, LoadByHandle(tx, shop_id, target));
    if (me.id == them.id) return Error::Invalid("social/self-follow", "you cannot follow yourself", "/handle");
    PLAZA_ASSIGN_OR_RETURN(bool blocked_by_them, Blocks(tx, shop_id, them.id, me.id));
    if (blocked_by_them) return Error::NotFound("no profile @" + std::string(target));
    PLAZA_ASSIGN_OR_RETURN(bool blocking, Blocks(tx, shop_id, me.id, them.id));
    if (blocking) {
      return Error::Conflict("social/blocked", "you block @" + them.handle + "; unblock them to follow");
    }
    PLAZA_ASSIGN_OR_RETURN(bool following, Follows(tx, shop_id, me.id, them.id));
    if (following) return FollowState::kFollowing;
    PLAZA_ASSIGN_OR_RETURN(
        bool requested,
        Exists(tx, "SELECT 1 FROM social_follow_requests WHERE shop_id = ? AND requester_id = ? AND target_id = ?",
               {shop_id, me.id, them.id}));
    if (requested) return FollowState::kRequested;
    if (them.is_private) {
      PLAZA_TRY(tx.Execute(
          "INSERT INTO social_follow_requests (shop_id, requester_id, target_id, created_at) VALUES (?, ?, ?, ?)",
          {shop_id, me.id, them.id, ToUnixMillis(now)}));
      PLAZA_TRY(AppendFollowEvent(tx, shop_id, "social.follow_request.created", me.id, them.id, now));
      PLAZA_TRY(StoreNotification(
          tx, shop_id,
          {.recipient_profile_id = them.id, .kind = NotificationKind::kFollowRequest, .actor_profile_id = me.id}, now));
      return FollowState::kRequested;
    }
    PLAZA_TRY(AddFollow(tx, shop_id, me.id, them.id, now));
    PLAZA_TRY(StoreNotification(
        tx, shop_id, {.recipient_profile_id = them.id, .kind = NotificationKind::kFollow, .actor_profile_id = me.id},
        now));
    return FollowState::kFollowing;
  });
}

Status ProfileService::Unfollow(std::int64_t shop_id, std::int64_t actor, std::string_view target) {
  return db_.Write([&](store::Transaction& tx) -> Status {
    PLAZA_ASSIGN_OR_RETURN(Profile me, LoadById(tx, shop_id, actor));
    PLAZA_ASSIGN_OR_RETURN(Profile them, LoadByHandle(tx, shop_id, target));
    PLAZA_TRY(DeleteRequest(tx, shop_id, me.id, them.id));
    return RemoveFollow(tx, shop_id, me.id, them.id);
  });
}

Status ProfileService::ApproveRequest(std::int64_t shop_id, std::int64_t actor, std::string_view requester) {
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Status {
    PLAZA_ASSIGN_OR_RETURN(Profile me, LoadById(tx, shop_id, actor));
    PLAZA_ASSIGN_OR_RETURN(Profile them, LoadByHandle(tx, shop_id, requester));
    bool deleted = false;
    PLAZA_TRY(DeleteRequest(tx, shop_id, them.id, me.id, &deleted));
    if (!deleted) return Error::NotFound("@" + them.handle + " has not asked to follow you");
    return AddFollow(tx, shop_id, them.id, me.id, now);
  });
}

Status ProfileService::DeclineRequest(std::int64_t shop_id, std::int64_t actor, std::string_view requester) {
  return db_.Write([&](store::Transaction& tx) -> Status {
    PLAZA_ASSIGN_OR_RETURN(Profile me, LoadById(tx, shop_id, actor));
    PLAZA_ASSIGN_OR_RETURN(Profile them, LoadByHandle(tx, shop_id, requester));
    bool deleted = false;
    PLAZA_TRY(DeleteRequest(tx, shop_id, them.id, me.id, &deleted));
    if (!deleted) return Error::NotFound("@" + them.handle + " has not asked to follow you");
    return Ok();
  });
}

Result<ProfilePage> ProfileService::ListFollowRequests(std::int64_t shop_id, std::int64_t actor,
                                                       const PageRequest& page) {
  return db_.Read([&](store::Transaction& tx) -> Result<ProfilePage> {
    PLAZA_ASSIGN_OR_RETURN(Profile me, LoadById(tx, shop_id, actor));
    return PageOfProfiles(tx,
                          "FROM social_follow_requests e JOIN social_profiles p ON p.shop_id = e.shop_id AND "
                          "p.id = e.requester_id WHERE e.shop_id = ? AND e.target_id = ?",
                          shop_id, me.id, me.id, page);
  });
}

Status ProfileService::Block(std::int64_t shop_id, std::int64_t actor, std::string_view target) {
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Status {
    PLAZA_ASSIGN_OR_RETURN(Profile me, LoadById(tx, shop_id, actor));
    PLAZA_ASSIGN_OR_RETURN(Profile them, LoadByHandle(tx, shop_id, target));
    if (me.id == them.id) return Error::Invalid("social/self-block", "you cannot block yourself", "/handle");
    PLAZA_TRY(RemoveFollow(tx, shop_id, me.id, them.id));
    PLAZA_TRY(RemoveFollow(tx, shop_id, them.id, me.id));
    PLAZA_TRY(DeleteRequest(tx, shop_id, me.id, them.id));
    PLAZA_TRY(DeleteRequest(tx, shop_id, them.id, me.id));
    PLAZA_ASSIGN_OR_RETURN(bool blocking, Blocks(tx, shop_id, me.id, them.id));
    if (blocking) return Ok();
    PLAZA_TRY(tx.Execute("INSERT INTO social_blocks (shop_id, blocker_id, blocked_id, created_at) VALUES (?, ?, ?, ?)",
                         {shop_id, me.id, them.id, ToUnixMillis(now)}));
    return Ok();
  });
}

Status ProfileService::Unblock(std::int64_t shop_id, std::int64_t actor, std::string_view target) {
  return db_.Write([&](store::Transaction& tx) -> Status {
    PLAZA_ASSIGN_OR_RETURN(Profile me, LoadById(tx, shop_id, actor));
    PLAZA_ASSIGN_OR_RETURN(Profile them, LoadByHandle(tx, shop_id, target));
    PLAZA_TRY(tx.Execute("DELETE FROM social_blocks WHERE shop_id = ? AND blocker_id = ? AND blocked_id = ?",
                         {shop_id, me.id, them.id}));
    return Ok();
  });
}

Status ProfileService::Mute(std::int64_t shop_id, std::int64_t actor, std::string_view target) {
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Status {
    PLAZA_ASSIGN_OR_RETURN(Profile me, LoadById(tx, shop_id, actor));
    PLAZA_ASSIGN_OR_RETURN(Profile them, LoadByHandle(tx, shop_id, target));
    if (me.id == them.id) return Error::Invalid("social/self-mute", "you cannot mute yourself", "/handle");
    PLAZA_ASSIGN_OR_RETURN(bool muting,
                           Exists(tx, "SELECT 1 FROM social_mutes WHERE shop_id = ? AND muter_id = ? AND muted_id = ?",
                                  {shop_id, me.id, them.id}));
    if (muting) return Ok();
    PLAZA_TRY(tx.Execute("INSERT INTO social_mutes (shop_id, muter_id, muted_id, created_at) VALUES (?, ?, ?, ?)",
                         {shop_id, me.id, them.id, ToUnixMillis(now)}));
    return Ok();
  });
}

Status ProfileService::Unmute(std::int64_t shop_id, std::int64_t actor, std::string_view target) {
  return db_.Write([&](store::Transaction& tx) -> Status {
    PLAZA_ASSIGN_OR_RETURN(Profile me, LoadById(tx, shop_id, actor));
    PLAZA_ASSIGN_OR_RETURN(Profile them, LoadByHandle(tx, shop_id, target));
    PLAZA_TRY(tx.Execute("DELETE FROM social_mutes WHERE shop_id = ? AND muter_id = ? AND muted_id = ?",
                         {shop_id, me.id, them.id}));
    return Ok();
  });
}

Result<std::vector<std::int64_t>> ProfileService::MutedBy(std::int64_t shop_id, std::int64_t actor) {
  return db_.Read([&](store::Transaction& tx) -> Result<std::vector<std::int64_t>> {
    PLAZA_ASSIGN_OR_RETURN(
        store::QueryResult result,
        tx.Execute("SELECT muted_id FROM social_mutes WHERE shop_id = ? AND muter_id = ? ORDER BY muted_id",
                   {shop_id, actor}));
    std::vector<std::int64_t> ids;
    for (const store::Row& row : result.rows) ids.push_back(row.Int(0));
    return ids;
  });
}

Result<ProfilePage> ProfileService::ListFollowers(std::int64_t shop_id, std::string_view handle,
                                                  std::optional<std::int64_t> viewer, const PageRequest& page) {
  return ListEdges(shop_id, handle, viewer, page, /*followers=*/true);
}

Result<ProfilePage> ProfileService::ListFollowing(std::int64_t shop_id, std::string_view handle,
                                                  std::optional<std::int64_t> viewer, const PageRequest& page) {
  return ListEdges(shop_id, handle, viewer, page, /*followers=*/false);
}

Result<ProfilePage> ProfileService::ListEdges(std::int64_t shop_id, std::string_view handle,
                                              std::optional<std::int64_t> viewer, const PageRequest& page,
                                              bool followers) {
  return db_.Read([&](store::Transaction& tx) -> Result<ProfilePage> {
    PLAZA_ASSIGN_OR_RETURN(ProfileView view, LoadView(tx, shop_id, handle, viewer));
    if (!view.content_visible) {
      return Error{ErrorCode::kPermissionDenied,
                   "social/private-profile",
                   "@" + view.profile.handle +
                       " is private; only approved followers see who they follow and who "
                       "follows them",
                   {}};
    }
    return PageOfProfiles(tx,
                          followers ? "FROM social_follows e JOIN social_profiles p ON p.shop_id = e.shop_id AND "
                                      "p.id = e.follower_id WHERE e.shop_id = ? AND e.followee_id = ?"
                                    : "FROM social_follows e JOIN social_profiles p ON p.shop_id = e.shop_id AND "
                                      "p.id = e.followee_id WHERE e.shop_id = ? AND e.follower_id = ?",
                          shop_id, view.profile.id, viewer.value_or(0), page);
  });
}

Result<std::optional<std::int64_t>> ProfileIdOfCustomer(store::Transaction& tx, std::int64_t shop_id,
                                                        std::int64_t customer_id) {
  PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT id FROM social_profiles WHERE shop_id = ? AND customer_id = ?",
                                               {shop_id, customer_id}));
  if (!row) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(row->Int(0));
}

}  // namespace plaza::social
