#pragma once
// The idea board, in the manner of LEGO Ideas: people submit product ideas, others
// support them (one support per profile, never their own), an idea whose supports reach
// the shop's threshold goes to staff review, and staff accept it (the catalog gets a
// draft product crediting the author) or decline it with a reason. docs/community.md.
//
// People act as social profile ids the caller has resolved; staff act as identity
// Principals (catalog.read to list, catalog.write to decide and to set the threshold).
// Every function filters by the shop: another shop's idea is absent (kNotFound).
//
// Ideas are moderated content: only `visible` ideas are shown to everyone, a `held` one
// to its author as well; staff see all.
//
// Thread-safety: an IdeaService may be used from any number of threads at once.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plaza/catalog/catalog.h"
#include "plaza/core/clock.h"
#include "plaza/core/result.h"
#include "plaza/identity/permissions.h"
#include "plaza/moderation/moderation.h"
#include "plaza/social/notifications.h"
#include "plaza/social/profiles.h"
#include "plaza/store/database.h"

namespace plaza::community {

inline constexpr std::size_t kMaxIdeaTitleLength = 120;         // code points
inline constexpr std::size_t kMaxIdeaDescriptionLength = 5000;  // code points
inline constexpr std::size_t kMaxDeclineReasonLength = 1000;    // code points
// Until the merchant sets one: enough support to show real demand in a small shop.
inline constexpr std::int64_t kDefaultSupportThreshold = 100;
// A threshold nobody could reach would silently close the board.
inline constexpr std::int64_t kMaxSupportThreshold = 1'000'000;

enum class IdeaStatus { kOpen, kReview, kAccepted, kDeclined };
std::string_view IdeaStatusName(IdeaStatus status);  // "open", "review", "accepted", "declined"
std::optional<IdeaStatus> ParseIdeaStatus(std::string_view name);

// The moderation state of content (the moderation module's four values).
enum class ContentVisibility { kVisible, kHeld, kHidden, kRemoved };
std::string_view ContentVisibilityName(ContentVisibility visibility);  // "visible", "held", …

struct Idea {
  std::int64_t id = 0;
  std::int64_t shop_id = 0;
  std::int64_t author_profile_id = 0;
  std::string title{};        // plain text, stored as written; encoders escape it
  std::string description{};  // plain text
  IdeaStatus status = IdeaStatus::kOpen;
  ContentVisibility visibility = ContentVisibility::kVisible;
  std::int64_t supports_count = 0;
  std::optional<std::string> decline_reason{};
  std::optional<std::int64_t> product_id{};  // the draft product of an accepted idea
  TimePoint created_at{};
  std::optional<TimePoint> review_at{};   // when it reached the threshold
  std::optional<TimePoint> decided_at{};  // accepted or declined
};

struct NewIdea {
  std::string title{};
  std::string description{};
};

struct IdeaSettings {
  std::int64_t support_threshold = kDefaultSupportThreshold;  // 1 … kMaxSupportThreshold
};

// kMostSupported pages by (supports, id), so an idea whose support changes between two
// pages may be skipped or repeated; the board is a ranking people browse, not a ledger.
enum class IdeaOrder { kNewest, kMostSupported };

struct IdeaQuery {
  std::optional<IdeaStatus> status{};
  std::string cursor{};  // empty for the first page; otherwise a previous page's next_cursor
  int limit = 20;        // 1 … 100
  IdeaOrder order = IdeaOrder::kNewest;
};

struct IdeaPage {
  std::vector<Idea> ideas{};  // in the query's order: newest first, or most supported first
  std::string next_cursor{};  // empty on the last page
};

// An idea as one viewer sees it.
struct IdeaView {
  Idea idea{};
  bool supported = false;  // the viewer supports it
};

// For the moderation module's content owner, inside the caller's transaction.
// kNotFound when absent.
Result<Idea> LoadIdea(store::Transaction& tx, std::int64_t shop_id, std::int64_t idea_id);
Status SetIdeaVisibility(store::Transaction& tx, std::int64_t shop_id, std::int64_t idea_id,
                         ContentVisibility visibility);

class IdeaService {
 public:
  // Decisions notify the author through `notifications`; submissions pass `moderation`'s
  // limits and keyword rules. All references must outlive the service.
  IdeaService(store::Database& db, const Clock& clock, catalog::CatalogService& catalog,
              social::ProfileService& profiles, social::NotificationService& notifications,
              moderation::ModerationService& moderation)
      : db_(db),
        clock_(clock),
        catalog_(catalog),
        profiles_(profiles),
        notifications_(notifications),
        moderation_(moderation) {}

  // Errors: validation ("/title", "/description": empty, too long, not UTF-8, control
  // characters), kNotFound for an unknown author profile, and moderation's refusals
  // ("moderation/banned", "moderation/rate-limited"). Keyword rules mask the texts or
  // hold the idea (visibility held, in the moderators' queue).
  Result<Idea> Submit(std::int64_t shop_id, std::int64_t author, const NewIdea& idea);
  // kNotFound when absent or not visible to the viewer (none: anonymous).
  Result<IdeaView> ViewIdea(std::int64_t shop_id, std::int64_t idea_id, std::optional<std::int64_t> viewer);
  Result<IdeaPage> ListIdeas(std::int64_t shop_id, std::optional<std::int64_t> viewer, const IdeaQuery& query);

  // One support per profile: supporting again is not an error and changes nothing.
  // The count changes in the same transaction as the support, and the support that
  // reaches the threshold moves the idea to review (once, whatever runs concurrently),
  // appending "idea.review_requested". Errors: "community/self-support"
  // (kPermissionDenied), "community/idea-closed" (kConflict) once decided.
  Result<IdeaView> Support(std::int64_t shop_id, std::int64_t supporter, std::int64_t idea_id);
  // Withdraws a support while the idea is open or in review; a no-op without one. An
  // idea in review stays in review.
  Result<IdeaView> WithdrawSupport(std::int64_t shop_id, std::int64_t supporter, std::int64_t idea_id);

  // ---- staff ----
  Result<IdeaSettings> GetSettings(std::int64_t shop_id);
  // Needs catalog.write. Audited ("ideas.settings_changed"). Open ideas that already have
  // the new threshold's supports go to review at once.
  Result<IdeaSettings> UpdateSettings(const identity::Principal& staff, std::int64_t shop_id,
                                      const IdeaSettings& settings);
  // Needs catalog.read: every idea, held and hidden ones included.
  Result<IdeaPage> ListForStaff(const identity::Principal& staff, std::int64_t shop_id, const IdeaQuery& query);
  Result<Idea> GetForStaff(const identity::Principal& staff, std::int64_t shop_id, std::int64_t idea_id);
  // Needs catalog.write; the idea must be in review ("community/idea-not-in-review").
  // Creates a draft product titled like the idea, its description the idea's text and a
  // line crediting the author's handle, tagged "community-idea"; the idea keeps its id.
  // Audited ("idea.accepted"); appends "idea.accepted"; notifies the author
  // (kIdeaDecision).
  Result<Idea> Accept(const identity::Principal& staff, std::int64_t shop_id, std::int64_t idea_id);
  // Needs catalog.write; the idea must be open or in review. `reason` (1 … 1000
  // characters) is shown to the author. Audited; appends "idea.declined"; notifies the
  // author with the reason.
  Result<Idea> Decline(const identity::Principal& staff, std::int64_t shop_id, std::int64_t idea_id,
                       std::string_view reason);

 private:
  store::Database& db_;
  const Clock& clock_;
  catalog::CatalogService& catalog_;
  social::ProfileService& profiles_;
  social::NotificationService& notifications_;
  moderation::ModerationService& moderation_;
};

// The moderation module's owner of kIdea content; register it with
// ModerationService::RegisterOwner(ContentKind::kIdea, owner) at start-up.
class IdeaContentOwner final : public moderation::ContentOwner {
 public:
  Result<moderation::ContentSummary> Describe(store::Transaction& tx, std::int64_t shop_id,
                                              moderation::ContentRef ref) override;
  Status SetVisibility(store::Transaction& tx, std::int64_t shop_id, moderation::ContentRef ref,
                       moderation::Visibility visibility) override;
};

}  // namespace plaza::community
