#include "plaza/community/ideas.h"

#include <boost/json.hpp>
#include <limits>

#include "community_internal.h"
#include "plaza/core/text.h"
#include "plaza/identity/audit.h"
#include "plaza/store/outbox.h"

namespace plaza::community {
namespace {

constexpr std::string_view kIdeaColumns =
    "id, shop_id, author_profile_id, title, description, status, visibility, supports_count, decline_reason, "
    "product_id, created_at, review_at, decided_at";

// The catalog tag of products that came from the idea board, so merchants can find them.
constexpr std::string_view kIdeaProductTag = "community-idea";

std::optional<ContentVisibility> ParseContentVisibility(std::string_view name) {
  if (name == "visible") return ContentVisibility::kVisible;
  if (name == "held") return ContentVisibility::kHeld;
  if (name == "hidden") return ContentVisibility::kHidden;
  if (name == "removed") return ContentVisibility::kRemoved;
  return std::nullopt;
}

std::optional<TimePoint> OptionalTime(const store::Row& row, std::size_t column) {
  if (row.IsNull(column)) return std::nullopt;
  return FromUnixMillis(row.Int(column));
}

Idea ReadIdea(const store::Row& row) {
  Idea idea;
  idea.id = row.Int(0);
  idea.shop_id = row.Int(1);
  idea.author_profile_id = row.Int(2);
  idea.title = row.Text(3);
  idea.description = row.Text(4);
  idea.status = ParseIdeaStatus(row.Text(5)).value_or(IdeaStatus::kDeclined);
  idea.visibility = ParseContentVisibility(row.Text(6)).value_or(ContentVisibility::kHidden);
  idea.supports_count = row.Int(7);
  idea.decline_reason = row.OptionalText(8);
  idea.product_id = row.OptionalInt(9);
  idea.created_at = FromUnixMillis(row.Int(10));
  idea.review_at = OptionalTime(row, 11);
  idea.decided_at = OptionalTime(row, 12);
  return idea;
}

// Visible ideas are everyone's; a held one is also its author's while it waits for a
// moderator. Hidden and removed ones are for staff only.
bool VisibleTo(const Idea& idea, std::optional<std::int64_t> viewer) {
  if (idea.visibility == ContentVisibility::kVisible) return true;
  return idea.visibility == ContentVisibility::kHeld && viewer == idea.author_profile_id;
}

Result<std::int64_t> Threshold(store::Transaction& tx, std::int64_t shop_id) {
  PLAZA_ASSIGN_OR_RETURN(
      auto row, tx.QueryOne("SELECT idea_support_threshold FROM community_settings WHERE shop_id = ?", {shop_id}));
  return row ? row->Int(0) : kDefaultSupportThreshold;
}

Status AppendIdeaEvent(store::Transaction& tx, const Idea& idea, std::string event_type, boost::json::object payload,
                       TimePoint now) {
  payload["idea_id"] = idea.id;
  payload["author_profile_id"] = idea.author_profile_id;
  store::OutboxEvent event;
  event.shop_id = idea.shop_id;
  event.aggregate_type = "idea";
  event.aggregate_id = std::to_string(idea.id);
  event.event_type = std::move(event_type);
  event.payload_json = boost::json::serialize(payload);
  PLAZA_TRY(store::AppendEvent(tx, event, now));
  return Ok();
}

// Moves every open idea of the shop with at least `threshold` supports (or only
// `idea_id`, when given) to review. The status condition makes the move happen once.
Status PromoteReached(store::Transaction& tx, std::int64_t shop_id, std::optional<std::int64_t> idea_id,
                      std::int64_t threshold, TimePoint now) {
  const std::int64_t only = idea_id.value_or(0);
  PLAZA_ASSIGN_OR_RETURN(auto reached, tx.Execute("SELECT " + std::string(kIdeaColumns) +
                                                      " FROM community_ideas WHERE shop_id = ? AND status = 'open' "
                                                      "AND supports_count >= ? AND (? = 0 OR id = ?) ORDER BY id",
                                                  {shop_id, threshold, only, only}));
  for (const store::Row& row : reached.rows) {
    const Idea idea = ReadIdea(row);
    PLAZA_TRY(
        tx.Execute("UPDATE community_ideas SET status = 'review', review_at = ?, updated_at = ? WHERE shop_id = ? "
                   "AND id = ? AND status = 'open'",
                   {ToUnixMillis(now), ToUnixMillis(now), shop_id, idea.id}));
    PLAZA_TRY(AppendIdeaEvent(tx, idea, "idea.review_requested",
                              {{"supports_count", idea.supports_count}, {"threshold", threshold}}, now));
  }
  return Ok();
}

Result<bool> HasSupported(store::Transaction& tx, std::int64_t shop_id, std::int64_t idea_id,
                          std::optional<std::int64_t> viewer) {
  if (!viewer) return false;
  PLAZA_ASSIGN_OR_RETURN(auto row,
                         tx.QueryOne("SELECT 1 FROM community_idea_supports WHERE shop_id = ? AND idea_id = ? "
                                     "AND profile_id = ?",
                                     {shop_id, idea_id, *viewer}));
  return row.has_value();
}

Result<IdeaPage> ListWhere(store::Transaction& tx, std::int64_t shop_id, const IdeaQuery& query,
                           std::optional<std::int64_t> viewer, bool staff) {
  constexpr std::int64_t kNoBound = std::numeric_limits<std::int64_t>::max();
  // Newest first pages by id ("42"); most supported first by supports then id ("7.42").
  const bool by_support = query.order == IdeaOrder::kMostSupported;
  std::int64_t below_supports = kNoBound;
  std::int64_t before = kNoBound;
  if (by_support && !query.cursor.empty()) {
    const std::size_t dot = query.cursor.find('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == query.cursor.size()) {
      return Error::Invalid("validation/cursor", "the cursor is not one this list gave", "cursor");
    }
    PLAZA_ASSIGN_OR_RETURN(below_supports, internal::ParseCursor(query.cursor.substr(0, dot), kNoBound));
    PLAZA_ASSIGN_OR_RETURN(before, internal::ParseCursor(query.cursor.substr(dot + 1), kNoBound));
  } else if (!by_support) {
    PLAZA_ASSIGN_OR_RETURN(before, internal::ParseCursor(query.cursor, kNoBound));
  }
  PLAZA_ASSIGN_OR_RETURN(int limit, internal::CheckLimit(query.limit));
  const std::string status = query.status ? std::string(IdeaStatusName(*query.status)) : "";
  // -1 matches no author: an anonymous viewer sees only visible ideas.
  const std::int64_t who = viewer.value_or(-1);
  const std::string after_cursor = by_support ? "(supports_count < ? OR (supports_count = ? AND id < ?))" : "id < ?";
  std::vector<store::Param> params{shop_id};
  if (by_support) {
    params.insert(params.end(), {below_supports, below_supports, before});
  } else {
    params.emplace_back(before);
  }
  params.insert(params.end(), {status, status, staff, who, limit + 1});
  PLAZA_ASSIGN_OR_RETURN(
      auto result,
      tx.Execute("SELECT " + std::string(kIdeaColumns) + " FROM community_ideas WHERE shop_id = ? AND " + after_cursor +
                     " AND (? = '' OR status = ?) AND "
                     "(? = 1 OR visibility = 'visible' OR (visibility = 'held' AND author_profile_id = ?)) "
                     "ORDER BY " +
                     (by_support ? "supports_count DESC, id DESC" : "id DESC") + " LIMIT ?",
                 params));
  IdeaPage page;
  for (const store::Row& row : result.rows) page.ideas.push_back(ReadIdea(row));
  if (page.ideas.size() > static_cast<std::size_t>(limit)) {
    page.ideas.resize(static_cast<std::size_t>(limit));
    const Idea& last = page.ideas.back();
    page.next_cursor =
        by_support ? std::to_string(last.supports_count) + "." + std::to_string(last.id) : std::to_string(last.id);
  }
  return page;
}

std::string CreditedDescription(const Idea& idea, const social::Profile& author) {
  std::string html;
  std::size_t start = 0;
  // Each paragraph of the idea's plain text becomes an escaped <p>.
  while (start <= idea.description.size()) {
    const std::size_t end = std::min(idea.description.find('\n', start), idea.description.size());
    const std::string_view line = text::TrimAscii(std::string_view(idea.description).substr(start, end - start));
    if (!line.empty()) html += "<p>" + text::EscapeHtml(line) + "</p>";
    start = end + 1;
  }
  html += "<p>Based on a community idea by @" + text::EscapeHtml(author.handle) + ".</p>";
  return html;
}

}  // namespace

std::string_view IdeaStatusName(IdeaStatus status) {
  switch (status) {
    case IdeaStatus::kOpen:
      return "open";
    case IdeaStatus::kReview:
      return "review";
    case IdeaStatus::kAccepted:
      return "accepted";
    case IdeaStatus::kDeclined:
      return "declined";
  }
  return "declined";
}

std::optional<IdeaStatus> ParseIdeaStatus(std::string_view name) {
  if (name == "open") return IdeaStatus::kOpen;
  if (name == "review") return IdeaStatus::kReview;
  if (name == "accepted") return IdeaStatus::kAccepted;
  if (name == "declined") return IdeaStatus::kDeclined;
  return std::nullopt;
}

std::string_view ContentVisibilityName(ContentVisibility visibility) {
  switch (visibility) {
    case ContentVisibility::kVisible:
      return "visible";
    case ContentVisibility::kHeld:
      return "held";
    case ContentVisibility::kHidden:
      return "hidden";
    case ContentVisibility::kRemoved:
      return "removed";
  }
  return "hidden";
}

Result<Idea> LoadIdea(store::Transaction& tx, std::int64_t shop_id, std::int64_t idea_id) {
  PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT " + std::string(kIdeaColumns) +
                                                   " FROM community_ideas WHERE shop_id = ? AND id = ?",
                                               {shop_id, idea_id}));
  if (!row) return Error::NotFound("no such idea");
  return ReadIdea(*row);
}

Status SetIdeaVisibility(store::Transaction& tx, std::int64_t shop_id, std::int64_t idea_id,
                         ContentVisibility visibility) {
  PLAZA_ASSIGN_OR_RETURN(auto updated,
                         tx.Execute("UPDATE community_ideas SET visibility = ? WHERE shop_id = ? AND id = ?",
                                    {ContentVisibilityName(visibility), shop_id, idea_id}));
  if (updated.affected_rows == 0) return Error::NotFound("no such idea");
  return Ok();
}

Result<Idea> IdeaService::Submit(std::int64_t shop_id, std::int64_t author, const NewIdea& input) {
  PLAZA_TRY(internal::ValidateUserText(input.title, kMaxIdeaTitleLength, "/title", true, false));
  PLAZA_TRY(internal::ValidateUserText(input.description, kMaxIdeaDescriptionLength, "/description", true, true));
  PLAZA_TRY(profiles_.GetProfile(shop_id, author));
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Result<Idea> {
    PLAZA_TRY(moderation_.AdmitActivity(tx, shop_id, author, moderation::Activity::kIdea));
    PLAZA_ASSIGN_OR_RETURN(moderation::Screening title, moderation_.ScreenText(tx, shop_id, input.title));
    PLAZA_ASSIGN_OR_RETURN(moderation::Screening description, moderation_.ScreenText(tx, shop_id, input.description));
    const bool held = title.verdict == moderation::Screening::Verdict::kHold ||
                      description.verdict == moderation::Screening::Verdict::kHold;
    PLAZA_ASSIGN_OR_RETURN(
        auto inserted,
        tx.QueryOne("INSERT INTO community_ideas (shop_id, author_profile_id, title, description, status, visibility, "
                    "created_at, updated_at) VALUES (?, ?, ?, ?, 'open', ?, ?, ?) RETURNING id",
                    {shop_id, author, title.text, description.text, held ? "held" : "visible", ToUnixMillis(now),
                     ToUnixMillis(now)}));
    PLAZA_ASSIGN_OR_RETURN(Idea idea, LoadIdea(tx, shop_id, inserted->Int(0)));
    if (held) {
      PLAZA_TRY(moderation_.FlagForReview(tx, shop_id, {moderation::ContentKind::kIdea, idea.id}, "keyword rule"));
    }
    PLAZA_TRY(AppendIdeaEvent(tx, idea, "idea.submitted", {}, now));
    return idea;
  });
}

Result<IdeaView> IdeaService::ViewIdea(std::int64_t shop_id, std::int64_t idea_id, std::optional<std::int64_t> viewer) {
  return db_.Read([&](store::Transaction& tx) -> Result<IdeaView> {
    PLAZA_ASSIGN_OR_RETURN(Idea idea, LoadIdea(tx, shop_id, idea_id));
    if (!VisibleTo(idea, viewer)) return Error::NotFound("no such idea");
    PLAZA_ASSIGN_OR_RETURN(bool supported, HasSupported(tx, shop_id, idea_id, viewer));
    return IdeaView{.idea = std::move(idea), .supported = supported};
  });
}

Result<IdeaPage> IdeaService::ListIdeas(std::int64_t shop_id, std::optional<std::int64_t> viewer,
                                        const IdeaQuery& query) {
  return db_.Read([&](store::Transaction& tx) { return ListWhere(tx, shop_id, query, viewer, false); });
}

Result<IdeaView> IdeaService::Support(std::int64_t shop_id, std::int64_t supporter, std::int64_t idea_id) {
  const TimePoint now = clock_.Now();
  // Every supporter of a popular idea updates its one row: queue them instead of letting
  // PostgreSQL fail all but one and retry round after round.
  const std::int64_t key = store::QueueKey("community/idea", shop_id, idea_id);
  return db_.WriteQueued(std::span<const std::int64_t>(&key, 1), [&](store::Transaction& tx) -> Result<IdeaView> {
    PLAZA_ASSIGN_OR_RETURN(Idea idea, LoadIdea(tx, shop_id, idea_id));
    if (!VisibleTo(idea, supporter)) return Error::NotFound("no such idea");
    if (idea.author_profile_id == supporter) {
      return Error{ErrorCode::kPermissionDenied, "community/self-support", "you cannot support your own idea", ""};
    }
    if (idea.status == IdeaStatus::kAccepted || idea.status == IdeaStatus::kDeclined) {
      return Error::Conflict("community/idea-closed", "this idea has been decided and takes no more support");
    }
    PLAZA_ASSIGN_OR_RETURN(bool supported, HasSupported(tx, shop_id, idea_id, supporter));
    if (supported) return IdeaView{.idea = std::move(idea), .supported = true};
    PLAZA_TRY(
        tx.Execute("INSERT INTO community_idea_supports (shop_id, idea_id, profile_id, created_at) VALUES (?, ?, "
                   "?, ?)",
                   {shop_id, idea_id, supporter, ToUnixMillis(now)}));
    PLAZA_TRY(
        tx.Execute("UPDATE community_ideas SET supports_count = supports_count + 1, updated_at = ? WHERE "
                   "shop_id = ? AND id = ?",
                   {ToUnixMillis(now), shop_id, idea_id}));
    PLAZA_ASSIGN_OR_RETURN(std::int64_t threshold, Threshold(tx, shop_id));
    PLAZA_TRY(PromoteReached(tx, shop_id, idea_id, threshold, now));
    PLAZA_ASSIGN_OR_RETURN(Idea updated, LoadIdea(tx, shop_id, idea_id));
    return IdeaView{.idea = std::move(updated), .supported = true};
  });
}

Result<IdeaView> IdeaService::WithdrawSupport(std::int64_t shop_id, std::int64_t supporter, std::int64_t idea_id) {
  const TimePoint now = clock_.Now();
  const std::int64_t key = store::QueueKey("community/idea", shop_id, idea_id);
  return db_.WriteQueued(std::span<const std::int64_t>(&key, 1), [&](store::Transaction& tx) -> Result<IdeaView> {
    PLAZA_ASSIGN_OR_RETURN(Idea idea, LoadIdea(tx, shop_id, idea_id));
    if (!VisibleTo(idea, supporter)) return Error::NotFound("no such idea");
    if (idea.status == IdeaStatus::kAccepted || idea.status == IdeaStatus::kDeclined) {
      return Error::Conflict("community/idea-closed", "this idea has been decided; its supports are final");
    }
    PLAZA_ASSIGN_OR_RETURN(auto deleted, tx.Execute("DELETE FROM community_idea_supports WHERE shop_id = ? AND "
                                                    "idea_id = ? AND profile_id = ?",
                                                    {shop_id, idea_id, supporter}));
    if (deleted.affected_rows == 0) return IdeaView{.idea = std::move(idea), .supported = false};
    PLAZA_TRY(
        tx.Execute("UPDATE community_ideas SET supports_count = supports_count - 1, updated_at = ? WHERE "
                   "shop_id = ? AND id = ?",
                   {ToUnixMillis(now), shop_id, idea_id}));
    PLAZA_ASSIGN_OR_RETURN(Idea updated, LoadIdea(tx, shop_id, idea_id));
    return IdeaView{.idea = std::move(updated), .supported = false};
  });
}

Result<IdeaSettings> IdeaService::GetSettings(std::int64_t shop_id) {
  return db_.Read([&](store::Transaction& tx) -> Result<IdeaSettings> {
    PLAZA_ASSIGN_OR_RETURN(std::int64_t threshold, Threshold(tx, shop_id));
    return IdeaSettings{.support_threshold = threshold};
  });
}

Result<IdeaSettings> IdeaService::UpdateSettings(const identity::Principal& staff, std::int64_t shop_id,
                                                 const IdeaSettings& settings) {
  PLAZA_TRY(identity::Authorize(staff, shop_id, identity::Permission::kCatalogWrite));
  if (settings.support_threshold < 1 || settings.support_threshold > kMaxSupportThreshold) {
    return Error::Invalid("community/invalid-threshold",
                          "the support threshold must be between 1 and " + std::to_string(kMaxSupportThreshold),
                          "/support_threshold");
  }
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Result<IdeaSettings> {
    PLAZA_ASSIGN_OR_RETURN(std::int64_t previous, Threshold(tx, shop_id));
    PLAZA_ASSIGN_OR_RETURN(auto updated, tx.Execute("UPDATE community_settings SET idea_support_threshold = ?, "
                                                    "updated_at = ? WHERE shop_id = ?",
                                                    {settings.support_threshold, ToUnixMillis(now), shop_id}));
    if (updated.affected_rows == 0) {
      PLAZA_TRY(
          tx.Execute("INSERT INTO community_settings (shop_id, idea_support_threshold, updated_at) VALUES (?, ?, ?)",
                     {shop_id, settings.support_threshold, ToUnixMillis(now)}));
    }
    PLAZA_TRY(PromoteReached(tx, shop_id, std::nullopt, settings.support_threshold, now));
    PLAZA_TRY(identity::AppendAudit(
        tx, identity::AuditBy(staff, "ideas.settings_changed", "shop:" + std::to_string(shop_id),
                              boost::json::serialize(
                                  boost::json::object{{"before", {{"support_threshold", previous}}},
                                                      {"after", {{"support_threshold", settings.support_threshold}}}}),
                              now)));
    return settings;
  });
}

Result<IdeaPage> IdeaService::ListForStaff(const identity::Principal& staff, std::int64_t shop_id,
                                           const IdeaQuery& query) {
  PLAZA_TRY(identity::Authorize(staff, shop_id, identity::Permission::kCatalogRead));
  return db_.Read([&](store::Transaction& tx) { return ListWhere(tx, shop_id, query, std::nullopt, true); });
}

Result<Idea> IdeaService::GetForStaff(const identity::Principal& staff, std::int64_t shop_id, std::int64_t idea_id) {
  PLAZA_TRY(identity::Authorize(staff, shop_id, identity::Permission::kCatalogRead));
  return db_.Read([&](store::Transaction& tx) { return LoadIdea(tx, shop_id, idea_id); });
}

Result<Idea> IdeaService::Accept(const identity::Principal& staff, std::int64_t shop_id, std::int64_t idea_id) {
  PLAZA_TRY(identity::Authorize(staff, shop_id, identity::Permission::kCatalogWrite));
  PLAZA_ASSIGN_OR_RETURN(Idea idea, db_.Read([&](store::Transaction& tx) { return LoadIdea(tx, shop_id, idea_id); }));
  if (idea.status != IdeaStatus::kReview) {
    return Error::Conflict("community/idea-not-in-review", "only an idea in review can be accepted; this one is " +
                                                               std::string(IdeaStatusName(idea.status)));
  }
  PLAZA_ASSIGN_OR_RETURN(social::Profile author, profiles_.GetProfile(shop_id, idea.author_profile_id));
  // The catalog writes the product in its own transaction; if the idea was decided in
  // the meantime, the draft is deleted again below, so an idea has at most one product.
  catalog::ProductInput product;
  product.title = idea.title;
  product.description_html = CreditedDescription(idea, author);
  product.tags = {std::string(kIdeaProductTag)};
  product.status = catalog::ProductStatus::kDraft;
  PLAZA_ASSIGN_OR_RETURN(catalog::Product created, catalog_.CreateProduct(shop_id, product));
  const TimePoint now = clock_.Now();
  auto accepted = db_.Write([&](store::Transaction& tx) -> Result<Idea> {
    PLAZA_ASSIGN_OR_RETURN(
        auto updated,
        tx.Execute("UPDATE community_ideas SET status = 'accepted', product_id = ?, decided_by = ?, "
                   "decided_at = ?, updated_at = ? WHERE shop_id = ? AND id = ? AND status = 'review'",
                   {created.id, staff.ActorLabel(), ToUnixMillis(now), ToUnixMillis(now), shop_id, idea_id}));
    if (updated.affected_rows == 0) {
      return Error::Conflict("community/idea-not-in-review", "this idea was decided while it was being accepted");
    }
    PLAZA_ASSIGN_OR_RETURN(Idea decided, LoadIdea(tx, shop_id, idea_id));
    PLAZA_TRY(AppendIdeaEvent(tx, decided, "idea.accepted", {{"product_id", created.id}}, now));
    PLAZA_TRY(notifications_.Notify(tx, shop_id,
                                    {.recipient_profile_id = decided.author_profile_id,
                                     .kind = social::NotificationKind::kIdeaDecision,
                                     .subject_kind = "idea",
                                     .subject_id = idea_id,
                                     .text = "Accepted: " + decided.title}));
    PLAZA_TRY(identity::AppendAudit(
        tx, identity::AuditBy(staff, "idea.accepted", "idea:" + std::to_string(idea_id),
                              boost::json::serialize(boost::json::object{{"product_id", created.id}}), now)));
    return decided;
  });
  if (!accepted.ok()) {
    // Best effort: the draft was never linked to an idea, so leaving it would only be a
    // stray draft for the merchant to delete; the idea's error is what the caller needs.
    (void)catalog_.DeleteProduct(shop_id, created.id);
  }
  return accepted;
}

Result<Idea> IdeaService::Decline(const identity::Principal& staff, std::int64_t shop_id, std::int64_t idea_id,
                                  std::string_view reason) {
  PLAZA_TRY(identity::Authorize(staff, shop_id, identity::Permission::kCatalogWrite));
  PLAZA_TRY(internal::ValidateUserText(reason, kMaxDeclineReasonLength, "/reason", true, true));
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Result<Idea> {
    PLAZA_ASSIGN_OR_RETURN(Idea idea, LoadIdea(tx, shop_id, idea_id));
    if (idea.status == IdeaStatus::kAccepted || idea.status == IdeaStatus::kDeclined) {
      return Error::Conflict("community/idea-closed",
                             "this idea is already " + std::string(IdeaStatusName(idea.status)));
    }
    PLAZA_TRY(
        tx.Execute("UPDATE community_ideas SET status = 'declined', decline_reason = ?, decided_by = ?, "
                   "decided_at = ?, updated_at = ? WHERE shop_id = ? AND id = ?",
                   {reason, staff.ActorLabel(), ToUnixMillis(now), ToUnixMillis(now), shop_id, idea_id}));
    PLAZA_ASSIGN_OR_RETURN(Idea decided, LoadIdea(tx, shop_id, idea_id));
    PLAZA_TRY(AppendIdeaEvent(tx, decided, "idea.declined", {{"reason", std::string(reason)}}, now));
    PLAZA_TRY(notifications_.Notify(tx, shop_id,
                                    {.recipient_profile_id = decided.author_profile_id,
                                     .kind = social::NotificationKind::kIdeaDecision,
                                     .subject_kind = "idea",
                                     .subject_id = idea_id,
                                     .text = "Declined: " + std::string(reason)}));
    PLAZA_TRY(identity::AppendAudit(
        tx, identity::AuditBy(staff, "idea.declined", "idea:" + std::to_string(idea_id),
                              boost::json::serialize(boost::json::object{{"reason", std::string(reason)}}), now)));
    return decided;
  });
}

Result<moderation::ContentSummary> IdeaContentOwner::Describe(store::Transaction& tx, std::int64_t shop_id,
                                                              moderation::ContentRef ref) {
  PLAZA_ASSIGN_OR_RETURN(Idea idea, LoadIdea(tx, shop_id, ref.id));
  return moderation::ContentSummary{
      .author_profile_id = idea.author_profile_id,
      .excerpt = idea.title + "\n" + idea.description,
      .visibility =
          moderation::ParseVisibility(ContentVisibilityName(idea.visibility)).value_or(moderation::Visibility::kHidden),
      .created_at = idea.created_at};
}

Status IdeaContentOwner::SetVisibility(store::Transaction& tx, std::int64_t shop_id, moderation::ContentRef ref,
                                       moderation::Visibility visibility) {
  return SetIdeaVisibility(
      tx, shop_id, ref.id,
      ParseContentVisibility(moderation::VisibilityName(visibility)).value_or(ContentVisibility::kHidden));
}

}  // namespace plaza::community
