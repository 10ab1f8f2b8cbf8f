// Moderation: the signed-in customer's reports (`customer`), and for staff with
// moderation.act the keyword rules, the queue, its actions, bans and warnings (`admin`).
// Every rule — permissions, audit, what an action does — lives in
// moderation::ModerationService; these handlers only translate JSON.

#include <charconv>
#include <limits>

#include "plaza/moderation/moderation.h"
#include "routes.h"

namespace plaza::api {
namespace {

using http::JsonReader;
using http::Request;
using http::Response;

constexpr http::StringLimits kLooseNote{.max_length = 4 * moderation::kMaxReportNoteLength, .multiline = true};
constexpr http::StringLimits kLoosePattern{.max_length = 4 * moderation::kMaxPatternLength};
constexpr http::StringLimits kLooseWord{.max_length = 40};
constexpr std::int64_t kMaxId = std::numeric_limits<std::int64_t>::max();
// Ten years: longer bans are permanent ones.
constexpr std::int64_t kMaxBanHours = 24 * 3660;

boost::json::value TimeOrNull(const std::optional<TimePoint>& time) {
  return time ? boost::json::value(FormatRfc3339(*time)) : boost::json::value(nullptr);
}

boost::json::object EncodeContent(moderation::ContentRef ref) {
  return {{"kind", moderation::ContentKindName(ref.kind)}, {"id", ref.id}};
}

boost::json::object EncodeRule(const moderation::KeywordRule& rule) {
  return {{"id", rule.id},
          {"pattern", rule.pattern},
          {"action", moderation::RuleActionName(rule.action)},
          {"created_at", FormatRfc3339(rule.created_at)},
          {"updated_at", FormatRfc3339(rule.updated_at)}};
}

boost::json::object EncodeReport(const moderation::Report& report) {
  return {{"id", report.id},
          {"item_id", report.item_id},
          {"reporter_profile_id", report.reporter_profile_id},
          {"content", EncodeContent(report.content)},
          {"reason", moderation::ReportReasonName(report.reason)},
          {"note", report.note},
          {"open", report.open},
          {"created_at", FormatRfc3339(report.created_at)}};
}

boost::json::object EncodeItem(const moderation::QueueItem& item) {
  boost::json::object out{{"id", item.id}, {"content", EncodeContent(item.content)}, {"open", item.open}};
  if (item.summary) {
    out["summary"] = {{"author_profile_id", item.summary->author_profile_id},
                      {"excerpt", item.summary->excerpt},
                      {"visibility", moderation::VisibilityName(item.summary->visibility)},
                      {"created_at", FormatRfc3339(item.summary->created_at)}};
  } else {
    out["summary"] = nullptr;
  }
  out["report_count"] = item.report_count;
  boost::json::array reasons;
  for (moderation::ReportReason reason : item.reasons) reasons.emplace_back(moderation::ReportReasonName(reason));
  out["reasons"] = std::move(reasons);
  out["flags"] = boost::json::array(item.flags.begin(), item.flags.end());
  out["opened_at"] = FormatRfc3339(item.opened_at);
  out["resolution"] =
      item.resolution ? boost::json::value(moderation::ActionKindName(*item.resolution)) : boost::json::value(nullptr);
  out["resolved_at"] = TimeOrNull(item.resolved_at);
  return out;
}

boost::json::object EncodeBan(const moderation::Ban& ban) {
  return {{"id", ban.id},
          {"profile_id", ban.profile_id},
          {"item_id", ban.item_id ? boost::json::value(*ban.item_id) : boost::json::value(nullptr)},
          {"note", ban.note},
          {"issued_by", ban.issued_by},
          {"created_at", FormatRfc3339(ban.created_at)},
          {"ends_at", TimeOrNull(ban.ends_at)},
          {"lifted_at", TimeOrNull(ban.lifted_at)},
          {"lifted_by", ban.lifted_by.empty() ? boost::json::value(nullptr) : boost::json::value(ban.lifted_by)},
          {"active", ban.active}};
}

boost::json::object EncodeTrust(const moderation::TrustStatus& trust) {
  return {{"level", moderation::TrustLevelName(trust.level)},
          {"first_seen", TimeOrNull(trust.first_seen)},
          {"contributions", trust.contributions},
          {"last_strike", TimeOrNull(trust.last_strike)},
          {"ban", trust.ban ? boost::json::value(EncodeBan(*trust.ban)) : boost::json::value(nullptr)}};
}

boost::json::object EncodeDetail(const moderation::QueueItemDetail& detail,
                                 const std::optional<moderation::TrustStatus>& author_trust) {
  boost::json::object out = EncodeItem(detail.item);
  boost::json::array reports;
  for (const moderation::Report& report : detail.reports) reports.emplace_back(EncodeReport(report));
  out["reports"] = std::move(reports);
  boost::json::array flags;
  for (const moderation::Flag& flag : detail.open_flags) {
    flags.emplace_back(boost::json::object{{"reason", flag.reason}, {"created_at", FormatRfc3339(flag.created_at)}});
  }
  out["open_flags"] = std::move(flags);
  out["author_trust"] = author_trust ? boost::json::value(EncodeTrust(*author_trust)) : boost::json::value(nullptr);
  return out;
}

template <typename Enum>
Result<Enum> ParseEnum(std::optional<Enum> parsed, std::string_view what, std::string field) {
  if (!parsed) return Error::Invalid("validation/enum", std::string(what) + " is not one of the known values", field);
  return *parsed;
}

Result<std::optional<std::int64_t>> QueryId(const Request& request, std::string_view name) {
  const auto text = request.Query(name);
  if (!text) return std::optional<std::int64_t>();
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (error != std::errc() || end != text->data() + text->size() || value <= 0) {
    return Error::Invalid("validation/format", std::string(name) + " is not a positive integer", std::string(name));
  }
  return std::optional<std::int64_t>(value);
}

Result<moderation::KeywordRuleInput> ReadRule(const Request& request) {
  PLAZA_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(request));
  const JsonReader reader(body);
  PLAZA_TRY(reader.AllowOnly({"pattern", "action"}));
  moderation::KeywordRuleInput input;
  PLAZA_ASSIGN_OR_RETURN(input.pattern, reader.RequiredString("pattern", kLoosePattern));
  PLAZA_ASSIGN_OR_RETURN(std::string action, reader.RequiredString("action", kLooseWord));
  PLAZA_ASSIGN_OR_RETURN(input.action,
                         ParseEnum(moderation::ParseRuleAction(action), "action (mask or hold)", "/action"));
  return input;
}

Result<moderation::QueueFilter> ReadQueueFilter(const Request& request) {
  moderation::QueueFilter filter;
  if (auto state = request.Query("state")) {
    if (*state != "open" && *state != "resolved") {
      return Error::Invalid("validation/enum", "state must be \"open\" or \"resolved\"", "state");
    }
    filter.open = *state == "open";
  }
  if (auto kind = request.Query("kind")) {
    PLAZA_ASSIGN_OR_RETURN(filter.kind, ParseEnum(moderation::ParseContentKind(*kind), "kind", "kind"));
  }
  if (auto reason = request.Query("reason")) {
    PLAZA_ASSIGN_OR_RETURN(filter.reason, ParseEnum(moderation::ParseReportReason(*reason), "reason", "reason"));
  }
  PLAZA_ASSIGN_OR_RETURN(filter.author_profile_id, QueryId(request, "author_profile_id"));
  if (auto cursor = request.Query("cursor")) filter.cursor = std::string(*cursor);
  if (auto text = request.Query("limit")) {
    const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), filter.limit);
    if (error != std::errc() || end != text->data() + text->size()) {
      return Error::Invalid("validation/format", "limit is not an integer", "limit");
    }
  }
  return filter;
}

Result<moderation::ModerationAction> ReadAction(const Request& request) {
  PLAZA_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(request));
  const JsonReader reader(body);
  PLAZA_TRY(reader.AllowOnly({"action", "note", "duration_hours"}));
  moderation::ModerationAction action;
  PLAZA_ASSIGN_OR_RETURN(std::string kind, reader.RequiredString("action", kLooseWord));
  PLAZA_ASSIGN_OR_RETURN(action.kind, ParseEnum(moderation::ParseActionKind(kind), "action", "/action"));
  PLAZA_ASSIGN_OR_RETURN(auto note, reader.OptionalString("note", kLooseNote));
  action.note = note.value_or("");
  PLAZA_ASSIGN_OR_RETURN(auto hours, reader.OptionalInt64("duration_hours", 1, kMaxBanHours));
  if (hours && action.kind != moderation::ActionKind::kBan) {
    return Error::Invalid("validation/unknown-field", "duration_hours only applies to a ban", "/duration_hours");
  }
  if (hours) action.ban_for = std::chrono::hours(*hours);
  return action;
}

}  // namespace

void RegisterCustomerModerationRoutes(http::RouteGroup customer, const ApiServices& services) {
  customer.Post(
      "/customer/moderation/reports", Handle([&services](Request& request) -> Result<Response> {
        PLAZA_ASSIGN_OR_RETURN(std::int64_t me, MyProfile(services, request));
        PLAZA_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(request));
        const JsonReader reader(body);
        PLAZA_TRY(reader.AllowOnly({"kind", "id", "reason", "note"}));
        moderation::NewReport report;
        PLAZA_ASSIGN_OR_RETURN(std::string kind, reader.RequiredString("kind", kLooseWord));
        PLAZA_ASSIGN_OR_RETURN(report.content.kind, ParseEnum(moderation::ParseContentKind(kind), "kind", "/kind"));
        PLAZA_ASSIGN_OR_RETURN(report.content.id, reader.RequiredInt64("id", 1, kMaxId));
        PLAZA_ASSIGN_OR_RETURN(std::string reason, reader.RequiredString("reason", kLooseWord));
        PLAZA_ASSIGN_OR_RETURN(report.reason, ParseEnum(moderation::ParseReportReason(reason), "reason", "/reason"));
        PLAZA_ASSIGN_OR_RETURN(auto note, reader.OptionalString("note", kLooseNote));
        report.note = note.value_or("");
        PLAZA_ASSIGN_OR_RETURN(moderation::Report created,
                               services.moderation.ReportContent(ShopOf(request), me, report));
        // The reporter learns their report arrived, not who else reported or
        // what the queue holds.
        return Response::Json(boost::json::object{{"id", created.id},
                                                  {"content", EncodeContent(created.content)},
                                                  {"reason", moderation::ReportReasonName(created.reason)},
                                                  {"note", created.note},
                                                  {"created_at", FormatRfc3339(created.created_at)}},
                              201);
      }));
}

void RegisterModerationRoutes(http::RouteGroup admin, const ApiServices& services) {
  admin.Get("/moderation/rules", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_ASSIGN_OR_RETURN(auto rules, services.moderation.ListRules(Caller(request), ShopOf(request)));
              boost::json::array out;
              for (const auto& rule : rules) out.emplace_back(EncodeRule(rule));
              return Response::Json(boost::json::object{{"rules", std::move(out)}});
            }));
  admin.Post("/moderation/rules", Handle([&services](Request& request) -> Result<Response> {
               PLAZA_ASSIGN_OR_RETURN(auto input, ReadRule(request));
               PLAZA_ASSIGN_OR_RETURN(auto rule,
                                      services.moderation.CreateRule(Caller(request), ShopOf(request), input));
               return Response::Json(EncodeRule(rule), 201);
             }));
  admin.Get("/moderation/rules/{id}", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
              PLAZA_ASSIGN_OR_RETURN(auto rule, services.moderation.GetRule(Caller(request), ShopOf(request), id));
              return Response::Json(EncodeRule(rule));
            }));
  admin.Put("/moderation/rules/{id}", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
              PLAZA_ASSIGN_OR_RETURN(auto input, ReadRule(request));
              PLAZA_ASSIGN_OR_RETURN(auto rule,
                                     services.moderation.UpdateRule(Caller(request), ShopOf(request), id, input));
              return Response::Json(EncodeRule(rule));
            }));
  admin.Delete("/moderation/rules/{id}", Handle([&services](Request& request) -> Result<Response> {
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
                 PLAZA_TRY(services.moderation.DeleteRule(Caller(request), ShopOf(request), id));
                 return Response::NoContent();
               }));
  admin.Get("/moderation/queue", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_ASSIGN_OR_RETURN(auto filter, ReadQueueFilter(request));
              PLAZA_ASSIGN_OR_RETURN(auto page,
                                     services.moderation.ListQueue(Caller(request), ShopOf(request), filter));
              boost::json::array items;
              for (const auto& item : page.items) items.emplace_back(EncodeItem(item));
              boost::json::object out{{"items", std::move(items)}};
              out["next_cursor"] =
                  page.next_cursor.empty() ? boost::json::value(nullptr) : boost::json::value(page.next_cursor);
              return Response::Json(out);
            }));
  const auto detail_response = [&services](const Request& request,
                                           const moderation::QueueItemDetail& detail) -> Result<Response> {
    std::optional<moderation::TrustStatus> trust;
    if (detail.item.summary) {
      PLAZA_ASSIGN_OR_RETURN(
          trust, services.moderation.Trust(Caller(request), ShopOf(request), detail.item.summary->author_profile_id));
    }
    return Response::Json(EncodeDetail(detail, trust));
  };
  admin.Get("/moderation/queue/{id}", Handle([&services, detail_response](Request& request) -> Result<Response> {
              PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
              PLAZA_ASSIGN_OR_RETURN(auto detail, services.moderation.GetItem(Caller(request), ShopOf(request), id));
              return detail_response(request, detail);
            }));
  admin.Post(
      "/moderation/queue/{id}/actions", Handle([&services, detail_response](Request& request) -> Result<Response> {
        PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
        PLAZA_ASSIGN_OR_RETURN(auto action, ReadAction(request));
        PLAZA_ASSIGN_OR_RETURN(auto detail, services.moderation.Act(Caller(request), ShopOf(request), id, action));
        return detail_response(request, detail);
      }));
  admin.Get("/moderation/bans", Handle([&services](Request& request) -> Result<Response> {
              bool active_only = true;
              if (auto active = request.Query("active")) {
                if (*active != "true" && *active != "false") {
                  return Error::Invalid("validation/format", "active must be true or false", "active");
                }
                active_only = *active == "true";
              }
              PLAZA_ASSIGN_OR_RETURN(auto profile_id, QueryId(request, "profile_id"));
              PLAZA_ASSIGN_OR_RETURN(
                  auto bans, services.moderation.ListBans(Caller(request), ShopOf(request), active_only, profile_id));
              boost::json::array out;
              for (const auto& ban : bans) out.emplace_back(EncodeBan(ban));
              return Response::Json(boost::json::object{{"bans", std::move(out)}});
            }));
  admin.Post("/moderation/bans/{id}/lift", Handle([&services](Request& request) -> Result<Response> {
               PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
               PLAZA_ASSIGN_OR_RETURN(auto ban, services.moderation.LiftBan(Caller(request), ShopOf(request), id));
               return Response::Json(EncodeBan(ban));
             }));
  admin.Get("/moderation/warnings", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_ASSIGN_OR_RETURN(auto profile_id, QueryId(request, "profile_id"));
              PLAZA_ASSIGN_OR_RETURN(auto warnings,
                                     services.moderation.ListWarnings(Caller(request), ShopOf(request), profile_id));
              boost::json::array out;
              for (const auto& warning : warnings) {
                out.emplace_back(boost::json::object{
                    {"id", warning.id},
                    {"profile_id", warning.profile_id},
                    {"item_id", warning.item_id ? boost::json::value(*warning.item_id) : boost::json::value(nullptr)},
                    {"note", warning.note},
                    {"issued_by", warning.issued_by},
                    {"created_at", FormatRfc3339(warning.created_at)}});
              }
              return Response::Json(boost::json::object{{"warnings", std::move(out)}});
            }));
}

}  // namespace plaza::api
