// The moderation settings a shop keeps beside the queue: keyword rules (list, add, edit,
// delete, and "test a text" that shows the verdict and the stored text a rule set would
// give), bans (list, lift) and warnings. Validation, permissions and the audit rows are
// ModerationService's; the pages turn forms into its inputs and its errors into fields.
//
//   GET  /admin/moderation/rules[?text=...]   rules, the add form, the test form (and its result)
//   POST /admin/moderation/rules              add: pattern, action (mask|hold)
//   GET  /admin/moderation/rules/{id}         edit form and delete button
//   POST /admin/moderation/rules/{id}         edit: pattern, action
//   POST /admin/moderation/rules/{id}/delete
//   GET  /admin/moderation/bans[?all=1]       active bans (all=1: lifted and expired too)
//   POST /admin/moderation/bans/{id}/lift
//   GET  /admin/moderation/warnings

#include <charconv>

#include "plaza/moderation/moderation.h"
#include "routes.h"
#include "settings_fields.h"

namespace plaza::web::admin {
namespace {

using http::Response;
namespace mod = moderation;

const std::map<std::string, std::string, std::less<>> kRulePointers{{"/pattern", "pattern"}, {"/action", "action"}};

std::optional<std::int64_t> PathId(const AdminRequest& request) {
  const std::string_view text = request.http.PathParam("id");
  std::int64_t id = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (error != std::errc() || end != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

Trusted SubNav() {
  return {std::string(
      "<nav aria-label=\"Moderation\"><p><a href=\"/admin/moderation\">Queue</a> · "
      "<a href=\"/admin/moderation/rules\">Keyword rules</a> · <a href=\"/admin/moderation/bans\">Bans</a> · "
      "<a href=\"/admin/moderation/warnings\">Warnings</a></p></nav>")};
}

Trusted RuleFields(std::string_view pattern, std::string_view action, const FieldErrors& errors) {
  const std::vector<std::pair<std::string, std::string>> actions{
      {"mask", "Mask: store the text with the word replaced by asterisks"},
      {"hold", "Hold: keep the text out of sight until a moderator decides"},
  };
  HtmlWriter html;
  html.Fragment(Input({.name = "pattern",
                       .label = "Word or phrase",
                       .value = pattern,
                       .hint = "Matched whole-word, ignoring case, accents and look-alike letters. "
                               "End with * to match longer words too.",
                       .required = true},
                      errors))
      .Fragment(Select("action", "What to do", actions, action.empty() ? "mask" : action, errors));
  return {html.Take()};
}

Trusted RulesTable(const std::vector<mod::KeywordRule>& rules) {
  HtmlWriter html;
  if (rules.empty()) {
    html.Raw("<p>No keyword rules yet: every text is stored as written.</p>");
    return {html.Take()};
  }
  html.Raw(
      "<table><thead><tr><th scope=\"col\">Word or phrase</th><th scope=\"col\">Action</th>"
      "<th scope=\"col\">Changed</th></tr></thead><tbody>");
  for (const mod::KeywordRule& rule : rules) {
    html.Raw("<tr><td><a href=\"/admin/moderation/rules/")
        .Text(std::to_string(rule.id))
        .Raw("\">")
        .Text(rule.pattern)
        .Raw("</a></td><td>")
        .Text(mod::RuleActionName(rule.action))
        .Raw("</td><td>")
        .Text(FormatRfc3339(rule.updated_at))
        .Raw("</td></tr>");
  }
  html.Raw("</tbody></table>");
  return {html.Take()};
}

std::string_view VerdictText(mod::Screening::Verdict verdict) {
  switch (verdict) {
    case mod::Screening::Verdict::kAllow:
      return "Allowed: stored as written.";
    case mod::Screening::Verdict::kMask:
      return "Masked: stored with the matched words replaced.";
    case mod::Screening::Verdict::kHold:
      return "Held: kept out of sight until a moderator decides.";
  }
  return "";
}

// The rules applied to a sample text in a read-only transaction: nothing is stored.
Trusted TestForm(const PageServices& services, const AdminRequest& request) {
  const auto sample = request.http.Query("text");
  HtmlWriter html;
  html.Raw("<h2>Test a text</h2><form method=\"get\" class=\"admin-form\" action=\"/admin/moderation/rules\">")
      .Fragment(TextArea("text", "Text", sample ? std::string_view(*sample) : std::string_view(), FieldErrors{},
                         "Shows what the rules above would do to it; nothing is saved.", 3))
      .Raw("<button type=\"submit\">Test</button></form>");
  if (!sample) return {html.Take()};
  auto screening = services.db.Read(
      [&](store::Transaction& tx) { return services.moderation.ScreenText(tx, request.shop.id, *sample); });
  html.Raw("<section aria-labelledby=\"test-result\" class=\"rule-test\"><h3 id=\"test-result\">Result</h3>");
  if (!screening.ok()) {
    html.Fragment(ErrorBox(screening.error().detail)).Raw("</section>");
    return {html.Take()};
  }
  html.Raw("<p class=\"verdict\">")
      .Text(VerdictText(screening->verdict))
      .Raw("</p><dl><dt>Stored text</dt><dd class=\"screened\">")
      .Text(screening->text)
      .Raw("</dd><dt>Rules that matched</dt><dd>")
      .Text(screening->matched.empty() ? "none" : JoinList(screening->matched))
      .Raw("</dd></dl></section>");
  return {html.Take()};
}

Response RulesPage(const PageServices& services, AdminRequest& request, const FieldErrors& errors, int status) {
  auto rules = services.moderation.ListRules(request.staff, request.shop.id);
  HtmlWriter html;
  html.Fragment(SubNav()).Fragment(NoticeFrom(request.http));
  if (!rules.ok()) {
    html.Fragment(ErrorBox(rules.error().detail));
    return AdminPage(request, "Keyword rules", {html.Take()}, 422);
  }
  html.Fragment(RulesTable(*rules))
      .Raw(
          "<h2>Add a rule</h2><form method=\"post\" class=\"admin-form\" action=\"/admin/moderation/rules\" "
          "novalidate>")
      .Fragment(CsrfField(request.staff))
      .Fragment(FormErrorBox(errors))
      .Fragment(RuleFields(request.Field("pattern"), request.Field("action"), errors))
      .Raw("<button type=\"submit\">Add the rule</button></form>")
      .Fragment(TestForm(services, request));
  return AdminPage(request, "Keyword rules", {html.Take()}, status);
}

// The form's rule, or nullopt with the errors set.
std::optional<mod::KeywordRuleInput> ReadRule(const AdminRequest& request, FieldErrors& errors) {
  mod::KeywordRuleInput input;
  input.pattern = request.Field("pattern");
  const auto action = mod::ParseRuleAction(request.Field("action"));
  if (!action) errors.Add("action", "Choose whether the rule masks or holds.");
  if (input.pattern.empty()) errors.Add("pattern", "Enter the word or phrase to look for.");
  if (!errors.empty()) return std::nullopt;
  input.action = *action;
  return input;
}

Response CreateRule(const PageServices& services, AdminRequest& request) {
  FieldErrors errors;
  if (auto input = ReadRule(request, errors)) {
    auto created = services.moderation.CreateRule(request.staff, request.shop.id, *input);
    if (created.ok()) return RedirectWithNotice("/admin/moderation/rules", "created");
    errors.Add(created.error(), kRulePointers);
    if (created.error().type == "moderation/duplicate-rule") {
      errors = {};
      errors.Add("pattern", created.error().detail);
    }
  }
  return RulesPage(services, request, errors, 422);
}

Response RulePage(const PageServices& services, AdminRequest& request, std::int64_t rule_id, const FieldErrors& errors,
                  int status) {
  auto rule = services.moderation.GetRule(request.staff, request.shop.id, rule_id);
  if (!rule.ok()) {
    return AdminPage(request, "Keyword rule", ErrorBox(rule.error().detail),
                     rule.error().code == ErrorCode::kNotFound ? 404 : 422);
  }
  const bool posted = request.http.method == http::Method::kPost;
  const std::string path = "/admin/moderation/rules/" + std::to_string(rule_id);
  HtmlWriter html;
  html.Fragment(SubNav())
      .Fragment(NoticeFrom(request.http))
      .Raw("<form method=\"post\" class=\"admin-form\" action=\"")
      .Text(path)
      .Raw("\" novalidate>")
      .Fragment(CsrfField(request.staff))
      .Fragment(FormErrorBox(errors))
      .Fragment(RuleFields(posted ? request.Field("pattern") : rule->pattern,
                           posted ? request.Field("action") : mod::RuleActionName(rule->action), errors))
      .Raw("<button type=\"submit\">Save</button></form><h2>Delete</h2>")
      .Fragment(ActionButton(request, path + "/delete", "Delete this rule"));
  return AdminPage(request, "Keyword rule", {html.Take()}, status);
}

Response UpdateRule(const PageServices& services, AdminRequest& request, std::int64_t rule_id) {
  FieldErrors errors;
  if (auto input = ReadRule(request, errors)) {
    auto updated = services.moderation.UpdateRule(request.staff, request.shop.id, rule_id, *input);
    if (updated.ok()) return RedirectWithNotice("/admin/moderation/rules/" + std::to_string(rule_id), "saved");
    if (updated.error().code == ErrorCode::kNotFound) return RulePage(services, request, rule_id, errors, 404);
    if (updated.error().type == "moderation/duplicate-rule") {
      errors.Add("pattern", updated.error().detail);
    } else {
      errors.Add(updated.error(), kRulePointers);
    }
  }
  return RulePage(services, request, rule_id, errors, 422);
}

std::string ProfileLabel(std::int64_t profile_id) {
  return "profile #" + std::to_string(profile_id);
}

std::string Ends(const mod::Ban& ban) {
  if (ban.lifted_at) return "lifted " + FormatRfc3339(*ban.lifted_at) + " by " + ban.lifted_by;
  if (!ban.ends_at) return "never";
  return FormatRfc3339(*ban.ends_at);
}

Response BansPage(const PageServices& services, AdminRequest& request, int status = 200) {
  const bool all = request.http.Query("all") == "1";
  auto bans = services.moderation.ListBans(request.staff, request.shop.id, !all);
  HtmlWriter html;
  html.Fragment(SubNav()).Fragment(NoticeFrom(request.http));
  html.Raw(all ? "<p><a href=\"/admin/moderation/bans\">Active bans only</a></p>"
               : "<p><a href=\"/admin/moderation/bans?all=1\">Include lifted and expired bans</a></p>");
  if (!bans.ok()) {
    html.Fragment(ErrorBox(bans.error().detail));
    return AdminPage(request, "Bans", {html.Take()}, 422);
  }
  if (bans->empty()) {
    html.Raw("<p>").Text(all ? "Nobody has been banned." : "Nobody is banned right now.").Raw("</p>");
    return AdminPage(request, "Bans", {html.Take()}, status);
  }
  html.Raw(
      "<table><thead><tr><th scope=\"col\">Profile</th><th scope=\"col\">Note</th><th scope=\"col\">By</th>"
      "<th scope=\"col\">Since</th><th scope=\"col\">Ends</th><th scope=\"col\">Queue item</th>"
      "<th scope=\"col\"><span class=\"visually-hidden\">Actions</span></th></tr></thead><tbody>");
  for (const mod::Ban& ban : *bans) {
    html.Raw("<tr><td>")
        .Text(ProfileLabel(ban.profile_id))
        .Raw("</td><td>")
        .Text(ban.note)
        .Raw("</td><td>")
        .Text(ban.issued_by)
        .Raw("</td><td>")
        .Text(FormatRfc3339(ban.created_at))
        .Raw("</td><td>")
        .Text(Ends(ban))
        .Raw("</td><td>");
    if (ban.item_id) {
      html.Raw("<a href=\"/admin/moderation/")
          .Text(std::to_string(*ban.item_id))
          .Raw("\">#")
          .Text(std::to_string(*ban.item_id))
          .Raw("</a>");
    }
    html.Raw("</td><td>");
    if (ban.active) {
      html.Fragment(ActionButton(request, "/admin/moderation/bans/" + std::to_string(ban.id) + "/lift",
                                 "Lift the ban on " + ProfileLabel(ban.profile_id)));
    }
    html.Raw("</td></tr>");
  }
  html.Raw("</tbody></table>");
  return AdminPage(request, "Bans", {html.Take()}, status);
}

Response WarningsPage(const PageServices& services, AdminRequest& request) {
  auto warnings = services.moderation.ListWarnings(request.staff, request.shop.id);
  HtmlWriter html;
  html.Fragment(SubNav());
  if (!warnings.ok()) {
    html.Fragment(ErrorBox(warnings.error().detail));
    return AdminPage(request, "Warnings", {html.Take()}, 422);
  }
  if (warnings->empty()) {
    html.Raw("<p>No warnings have been given.</p>");
    return AdminPage(request, "Warnings", {html.Take()});
  }
  html.Raw(
      "<table><thead><tr><th scope=\"col\">Profile</th><th scope=\"col\">Message</th><th scope=\"col\">By</th>"
      "<th scope=\"col\">When</th><th scope=\"col\">Queue item</th></tr></thead><tbody>");
  for (const mod::Warning& warning : *warnings) {
    html.Raw("<tr><td>")
        .Text(ProfileLabel(warning.profile_id))
        .Raw("</td><td>")
        .Text(warning.note)
        .Raw("</td><td>")
        .Text(warning.issued_by)
        .Raw("</td><td>")
        .Text(FormatRfc3339(warning.created_at))
        .Raw("</td><td>");
    if (warning.item_id) {
      html.Raw("<a href=\"/admin/moderation/")
          .Text(std::to_string(*warning.item_id))
          .Raw("\">#")
          .Text(std::to_string(*warning.item_id))
          .Raw("</a>");
    }
    html.Raw("</td></tr>");
  }
  html.Raw("</tbody></table>");
  return AdminPage(request, "Warnings", {html.Take()});
}

Response NotFound(AdminRequest& request, std::string_view title, std::string_view message) {
  return AdminPage(request, title, ErrorBox(message), 404);
}

}  // namespace

void RegisterModerationRulePages(http::Router& router, const PageServices& services) {
  using identity::Permission;
  const auto route = [&services](AdminHandler handler) {
    return AdminRoute(services, Permission::kModerationAct, std::move(handler));
  };
  router.Get("/admin/moderation/rules",
             route([&services](AdminRequest& request) { return RulesPage(services, request, {}, 200); }));
  router.Post("/admin/moderation/rules",
              route([&services](AdminRequest& request) { return CreateRule(services, request); }));
  router.Get("/admin/moderation/rules/{id}", route([&services](AdminRequest& request) {
               const auto id = PathId(request);
               if (!id) return NotFound(request, "Keyword rule", "No such keyword rule.");
               return RulePage(services, request, *id, {}, 200);
             }));
  router.Post("/admin/moderation/rules/{id}", route([&services](AdminRequest& request) {
                const auto id = PathId(request);
                if (!id) return NotFound(request, "Keyword rule", "No such keyword rule.");
                return UpdateRule(services, request, *id);
              }));
  router.Post("/admin/moderation/rules/{id}/delete", route([&services](AdminRequest& request) {
                const auto id = PathId(request);
                if (!id) return NotFound(request, "Keyword rule", "No such keyword rule.");
                const Status deleted = services.moderation.DeleteRule(request.staff, request.shop.id, *id);
                if (deleted.ok()) return RedirectWithNotice("/admin/moderation/rules", "deleted");
                if (deleted.error().code == ErrorCode::kNotFound) {
                  return NotFound(request, "Keyword rule", deleted.error().detail);
                }
                return AdminPage(request, "Keyword rule", ErrorBox(deleted.error().detail), 422);
              }));
  router.Get("/admin/moderation/bans",
             route([&services](AdminRequest& request) { return BansPage(services, request); }));
  router.Post("/admin/moderation/bans/{id}/lift", route([&services](AdminRequest& request) {
                const auto id = PathId(request);
                if (!id) return NotFound(request, "Bans", "No such ban.");
                auto lifted = services.moderation.LiftBan(request.staff, request.shop.id, *id);
                if (lifted.ok()) return RedirectWithNotice("/admin/moderation/bans", "saved");
                if (lifted.error().code == ErrorCode::kNotFound)
                  return NotFound(request, "Bans", lifted.error().detail);
                return AdminPage(request, "Bans", ErrorBox(lifted.error().detail), 422);
              }));
  router.Get("/admin/moderation/warnings",
             route([&services](AdminRequest& request) { return WarningsPage(services, request); }));
}

}  // namespace plaza::web::admin
