// The moderation queue: open (or resolved) items oldest first with their reports and
// flags, and one item's page with the content summary, every report, the author's trust
// and the action form. What an action does, who may take it and the audit row are the
// moderation module's; the page only turns the form into a ModerationAction.

#include <charconv>

#include "plaza/moderation/moderation.h"
#include "routes.h"
#include "settings_fields.h"

namespace plaza::web::admin {
namespace {

using http::Response;
namespace mod = moderation;

constexpr std::int64_t kMaxBanHours = 24 * 3660;

std::string Reasons(const mod::QueueItem& item) {
  std::vector<std::string> reasons;
  for (mod::ReportReason reason : item.reasons) reasons.emplace_back(mod::ReportReasonName(reason));
  for (const std::string& flag : item.flags) reasons.push_back(flag);
  return JoinList(reasons);
}

std::string ContentLabel(mod::ContentRef ref) {
  return std::string(mod::ContentKindName(ref.kind)) + " #" + std::to_string(ref.id);
}

Trusted QueueTable(const mod::QueuePage& page, bool open) {
  HtmlWriter html;
  if (page.items.empty()) {
    html.Raw("<p>").Text(open ? "Nothing is waiting for a moderator." : "No resolved items yet.").Raw("</p>");
    return {html.Take()};
  }
  html.Raw(
      "<table><thead><tr><th scope=\"col\">Content</th><th scope=\"col\">Excerpt</th><th scope=\"col\">Visibility</th>"
      "<th scope=\"col\">Reports</th><th scope=\"col\">Reasons</th><th scope=\"col\">In the queue since</th>"
      "</tr></thead><tbody>");
  for (const mod::QueueItem& item : page.items) {
    html.Raw("<tr><td><a href=\"/admin/moderation/")
        .Text(std::to_string(item.id))
        .Raw("\">")
        .Text(ContentLabel(item.content))
        .Raw("</a></td><td>")
        .Text(item.summary ? item.summary->excerpt : "(no longer exists)")
        .Raw("</td><td>")
        .Text(item.summary ? mod::VisibilityName(item.summary->visibility) : "")
        .Raw("</td><td>")
        .Text(std::to_string(item.report_count))
        .Raw("</td><td>")
        .Text(Reasons(item))
        .Raw("</td><td>")
        .Text(FormatRfc3339(item.opened_at))
        .Raw("</td></tr>");
  }
  html.Raw("</tbody></table>");
  return {html.Take()};
}

Response QueuePage(const PageServices& services, AdminRequest& request) {
  mod::QueueFilter filter;
  filter.open = request.http.Query("state") != "resolved";
  if (auto cursor = request.http.Query("cursor")) filter.cursor = std::string(*cursor);
  auto page = services.moderation.ListQueue(request.staff, request.shop.id, filter);
  HtmlWriter html;
  html.Fragment(NoticeFrom(request.http))
      .Raw(
          "<p><a href=\"/admin/moderation\">Open</a> · <a href=\"/admin/moderation?state=resolved\">Resolved</a> · "
          "<a href=\"/admin/moderation/rules\">Keyword rules</a> · <a href=\"/admin/moderation/bans\">Bans</a> · "
          "<a href=\"/admin/moderation/warnings\">Warnings</a></p>");
  if (!page.ok()) {
    html.Fragment(ErrorBox(page.error().detail));
    return AdminPage(request, "Moderation", {html.Take()}, 422);
  }
  html.Fragment(QueueTable(*page, filter.open));
  if (!page->next_cursor.empty()) {
    html.Raw("<p><a href=\"/admin/moderation?state=")
        .Text(filter.open ? "open" : "resolved")
        .Raw("&amp;cursor=")
        .Text(page->next_cursor)
        .Raw("\">Older items</a></p>");
  }
  return AdminPage(request, "Moderation", {html.Take()});
}

Trusted ActionForm(const AdminRequest& request, std::int64_t item_id, const FieldErrors& errors) {
  const std::vector<std::pair<std::string, std::string>> actions{
      {"dismiss", "Dismiss: nothing to do"},     {"hide", "Hide the content"}, {"restore", "Restore the content"},
      {"remove", "Remove the content for good"}, {"warn", "Warn the author"},  {"ban", "Ban the author"},
  };
  HtmlWriter html;
  html.Raw("<form method=\"post\" class=\"admin-form\" action=\"/admin/moderation/")
      .Text(std::to_string(item_id))
      .Raw("\" novalidate>")
      .Fragment(CsrfField(request.staff))
      .Fragment(FormErrorBox(errors))
      .Fragment(Select("action", "Action", actions, request.Field("action"), errors))
      .Fragment(TextArea("note", "Note", request.Field("note"), errors,
                         "For the record; a warning shows it to the author.", 3))
      .Fragment(Input({.name = "duration_hours",
                       .label = "Ban length in hours",
                       .value = request.Field("duration_hours"),
                       .type = "number",
                       .hint = "Bans only. Leave empty to ban for good.",
                       .extra = "min=\"1\""},
                      errors))
      .Raw("<button type=\"submit\">Apply</button></form>");
  return {html.Take()};
}

Response ItemPage(const PageServices& services, AdminRequest& request, std::int64_t item_id, const FieldErrors& errors,
                  int status) {
  auto detail = services.moderation.GetItem(request.staff, request.shop.id, item_id);
  if (!detail.ok()) {
    return AdminPage(request, "Moderation item", ErrorBox(detail.error().detail),
                     detail.error().code == ErrorCode::kNotFound ? 404 : 422);
  }
  const mod::QueueItem& item = detail->item;
  HtmlWriter html;
  html.Fragment(NoticeFrom(request.http)).Raw("<p><a href=\"/admin/moderation\">Back to the queue</a></p><dl>");
  html.Raw("<dt>Content</dt><dd>").Text(ContentLabel(item.content)).Raw("</dd>");
  html.Raw("<dt>State</dt><dd>")
      .Text(item.open ? "Open"
                      : "Resolved: " + std::string(item.resolution ? mod::ActionKindName(*item.resolution) : ""))
      .Raw("</dd>");
  if (item.summary) {
    html.Raw("<dt>Author profile</dt><dd>")
        .Text(std::to_string(item.summary->author_profile_id))
        .Raw("</dd><dt>Visibility</dt><dd>")
        .Text(mod::VisibilityName(item.summary->visibility))
        .Raw("</dd><dt>Excerpt</dt><dd>")
        .Text(item.summary->excerpt)
        .Raw("</dd>");
    if (item.summary->author_profile_id != 0) {
      if (auto trust = services.moderation.Trust(request.staff, request.shop.id, item.summary->author_profile_id);
          trust.ok()) {
        html.Raw("<dt>Author's trust</dt><dd>")
            .Text(std::string(mod::TrustLevelName(trust->level)) + ", " + std::to_string(trust->contributions) +
                  " contributions" + (trust->ban ? ", banned" : ""))
            .Raw("</dd>");
      }
    }
  } else {
    html.Raw("<dt>Excerpt</dt><dd>The content no longer exists.</dd>");
  }
  html.Raw("<dt>Flags</dt><dd>").Text(item.flags.empty() ? "none" : JoinList(item.flags)).Raw("</dd></dl>");
  html.Raw("<h2>Reports</h2>");
  if (detail->reports.empty()) {
    html.Raw("<p>No reports.</p>");
  } else {
    html.Raw(
        "<table><thead><tr><th scope=\"col\">Reporter profile</th><th scope=\"col\">Reason</th>"
        "<th scope=\"col\">Note</th><th scope=\"col\">State</th><th scope=\"col\">When</th></tr></thead><tbody>");
    for (const mod::Report& report : detail->reports) {
      html.Raw("<tr><td>")
          .Text(std::to_string(report.reporter_profile_id))
          .Raw("</td><td>")
          .Text(mod::ReportReasonName(report.reason))
          .Raw("</td><td>")
          .Text(report.note)
          .Raw("</td><td>")
          .Text(report.open ? "open" : "closed")
          .Raw("</td><td>")
          .Text(FormatRfc3339(report.created_at))
          .Raw("</td></tr>");
    }
    html.Raw("</tbody></table>");
  }
  html.Raw("<h2>Act</h2>").Fragment(ActionForm(request, item_id, errors));
  return AdminPage(request, "Moderation item", {html.Take()}, status);
}

std::optional<std::int64_t> ItemId(const AdminRequest& request) {
  const std::string_view text = request.http.PathParam("id");
  std::int64_t id = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (error != std::errc() || end != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

Response Act(const PageServices& services, AdminRequest& request, std::int64_t item_id) {
  FieldErrors errors;
  mod::ModerationAction action;
  const auto kind = mod::ParseActionKind(request.Field("action"));
  if (!kind) errors.Add("action", "Choose what to do with this item.");
  action.kind = kind.value_or(mod::ActionKind::kDismiss);
  action.note = request.Field("note");
  if (const std::string hours = request.Field("duration_hours"); !hours.empty()) {
    if (action.kind != mod::ActionKind::kBan) {
      errors.Add("duration_hours", "A length only applies to a ban; leave it empty for other actions.");
    } else if (auto parsed = ParseInteger(hours, "duration_hours", "The ban length", errors, 1, kMaxBanHours)) {
      action.ban_for = std::chrono::hours(*parsed);
    }
  }
  if (errors.empty()) {
    auto done = services.moderation.Act(request.staff, request.shop.id, item_id, action);
    if (done.ok()) return Response::Redirect("/admin/moderation?notice=saved");
    if (done.error().code == ErrorCode::kNotFound) return ItemPage(services, request, item_id, errors, 404);
    errors.Add(done.error(), {{"/note", "note"}, {"/duration_hours", "duration_hours"}});
  }
  return ItemPage(services, request, item_id, errors, 422);
}

}  // namespace

void RegisterModerationPages(http::Router& router, const PageServices& services) {
  using identity::Permission;
  router.Get("/admin/moderation", AdminRoute(services, Permission::kModerationAct, [&services](AdminRequest& request) {
               return QueuePage(services, request);
             }));
  router.Get("/admin/moderation/{id}",
             AdminRoute(services, Permission::kModerationAct, [&services](AdminRequest& request) {
               const auto id = ItemId(request);
               if (!id) return AdminPage(request, "Moderation item", ErrorBox("No such moderation item."), 404);
               return ItemPage(services, request, *id, {}, 200);
             }));
  router.Post("/admin/moderation/{id}",
              AdminRoute(services, Permission::kModerationAct, [&services](AdminRequest& request) {
                const auto id = ItemId(request);
                if (!id) return AdminPage(request, "Moderation item", ErrorBox("No such moderation item."), 404);
                return Act(services, request, *id);
              }));
}

}  // namespace plaza::web::admin
