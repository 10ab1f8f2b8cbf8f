// Reporting community content to the shop's moderators, for pages that show posts,
// comments, reviews, questions, answers, ideas or profiles. Those pages link to the form
// or post to it directly:
//
//   GET  /report?kind=<kind>&id=<id>   the form with the reasons (works with scripts off)
//   POST /report                       form fields:
//        csrf_token  the signed-in customer's token (Principal::csrf_token)
//        kind        post | comment | review | question | answer | idea | profile
//        id          the content's id
//        reason      spam | harassment | hate | sexual | violence | misinformation | illegal | other
//        note        optional, up to 1000 characters
//
// A report is made as the customer's social profile through ModerationService::
// ReportContent, which owns every rule (own content, content not visible, one open
// report per reporter, rate limits). A visitor who is not signed in is sent to the
// log-in page, a customer without a community profile to create one (coming back to the
// form). Success is a 303 to /report/sent; a missing or unknown reason or a bad
// note comes back as the form with the error at the field (422).

#include <charconv>
#include <variant>

#include "../form.h"
#include "cart_view.h"
#include "plaza/moderation/moderation.h"
#include "routes.h"
#include "shop_page.h"
#include "social_frame.h"
#include "visit.h"

namespace plaza::web::storefront {
namespace {

using http::Request;
using http::Response;
namespace mod = moderation;

std::string_view ReasonLabel(mod::ReportReason reason) {
  switch (reason) {
    case mod::ReportReason::kSpam:
      return "Spam or advertising";
    case mod::ReportReason::kHarassment:
      return "Harassment or bullying";
    case mod::ReportReason::kHate:
      return "Hate speech";
    case mod::ReportReason::kSexual:
      return "Sexual content";
    case mod::ReportReason::kViolence:
      return "Violence or threats";
    case mod::ReportReason::kMisinformation:
      return "False or misleading information";
    case mod::ReportReason::kIllegal:
      return "Something illegal";
    case mod::ReportReason::kOther:
      return "Something else";
  }
  return "";
}

std::optional<mod::ContentRef> ParseContent(std::string_view kind_text, std::string_view id_text) {
  const auto kind = mod::ParseContentKind(kind_text);
  std::int64_t id = 0;
  const auto [end, error] = std::from_chars(id_text.data(), id_text.data() + id_text.size(), id);
  if (!kind || error != std::errc() || end != id_text.data() + id_text.size() || id <= 0) return std::nullopt;
  return mod::ContentRef{*kind, id};
}

struct ReportForm {
  mod::ContentRef content{};
  std::string reason{};
  std::string note{};
  std::string reason_error{};
  std::string note_error{};
  std::string general_error{};
};

Trusted FieldError(std::string_view id, std::string_view message) {
  HtmlWriter html;
  if (!message.empty()) {
    html.Raw("<p class=\"field-error\" role=\"alert\" id=\"").Text(id).Raw("\">").Text(message).Raw("</p>");
  }
  return {html.Take()};
}

Response FormPage(const PageServices& services, const Visit& visit, const ReportForm& form, int status) {
  const std::string kind(mod::ContentKindName(form.content.kind));
  HtmlWriter html;
  html.Raw("<div class=\"card report-form\"><h1>Report this ")
      .Text(kind)
      .Raw("</h1><p>The shop's moderators will look at it. The author is not told who reported it.</p>")
      .Fragment(Alert(form.general_error))
      .Raw("<form method=\"post\" action=\"/report\" novalidate>")
      .Fragment(CsrfField(*visit.customer))
      .Raw("<input type=\"hidden\" name=\"kind\" value=\"")
      .Text(kind)
      .Raw("\"><input type=\"hidden\" name=\"id\" value=\"")
      .Text(std::to_string(form.content.id))
      .Raw("\"><fieldset");
  if (!form.reason_error.empty()) html.Raw(" aria-describedby=\"reason-error\"");
  html.Raw("><legend>What is wrong with it?</legend>").Fragment(FieldError("reason-error", form.reason_error));
  for (mod::ReportReason reason : mod::AllReportReasons()) {
    const std::string name(mod::ReportReasonName(reason));
    html.Raw("<div class=\"choice\"><input type=\"radio\" name=\"reason\" id=\"reason-")
        .Text(name)
        .Raw("\" value=\"")
        .Text(name)
        .Raw("\"")
        .Raw(form.reason == name ? " checked" : "")
        .Raw("><label for=\"reason-")
        .Text(name)
        .Raw("\">")
        .Text(ReasonLabel(reason))
        .Raw("</label></div>");
  }
  html.Raw(
      "</fieldset><label for=\"note\">Anything the moderators should know (optional)</label><textarea id=\"note\" "
      "name=\"note\" rows=\"4\" maxlength=\"1000\"");
  if (!form.note_error.empty()) html.Raw(" aria-invalid=\"true\" aria-describedby=\"note-error\"");
  html.Raw(">")
      .Text(form.note)
      .Raw("</textarea>")
      .Fragment(FieldError("note-error", form.note_error))
      .Raw("<button type=\"submit\">Send the report</button></form></div>");
  return ShopPage(services, visit, PrivatePage("Report", "/report"), {html.Take()}, status);
}

Response ToLogIn(const Visit& visit) {
  return RedirectAfterPost(visit, "/account/login");
}

// The reporter's social profile, or the way to create one that comes back to the form.
std::variant<std::int64_t, Response> Reporter(const PageServices& services, const Visit& visit,
                                              const mod::ContentRef& content) {
  if (const auto profile = ViewerProfile(services, visit)) return profile->id;
  return RedirectAfterPost(visit, NewProfilePath("/report?kind=" + std::string(mod::ContentKindName(content.kind)) +
                                                 "&id=" + std::to_string(content.id)));
}

Response Submit(const PageServices& services, GuestPost& post) {
  const Visit& visit = post.visit;
  if (!visit.customer) return ToLogIn(visit);
  if (!identity::CheckCsrf(*visit.customer, FormValue(post.form, "csrf_token")).ok()) {
    return MessagePage(services, visit, "Report", "The form expired; reload the page and try again.", 403);
  }
  const auto content = ParseContent(FormValue(post.form, "kind"), FormValue(post.form, "id"));
  if (!content) return MessagePage(services, visit, "Report", "There is nothing here to report.", 404);
  ReportForm form{.content = *content, .reason = FormValue(post.form, "reason"), .note = FormValue(post.form, "note")};
  const auto reason = mod::ParseReportReason(form.reason);
  if (!reason) {
    form.reason_error = "Choose what is wrong with it.";
    return FormPage(services, visit, form, 422);
  }
  auto reporter = Reporter(services, visit, *content);
  if (auto* answer = std::get_if<Response>(&reporter)) return std::move(*answer);
  auto report = services.moderation.ReportContent(visit.shop.id, std::get<std::int64_t>(reporter),
                                                  {.content = *content, .reason = *reason, .note = form.note});
  if (report.ok()) return RedirectAfterPost(visit, "/report/sent");
  const Error& error = report.error();
  if (error.code == ErrorCode::kNotFound) {
    return MessagePage(services, visit, "Report", "There is nothing here to report.", 404);
  }
  if (error.type == "moderation/already-reported") {
    return MessagePage(services, visit, "Report", "You have already reported this; the moderators will look at it.",
                       409);
  }
  if (error.field == "/note") {
    form.note_error = "Keep the note under 1000 characters.";
    return FormPage(services, visit, form, 422);
  }
  if (error.type == "moderation/own-content") {
    form.general_error = "You cannot report your own content.";
    return FormPage(services, visit, form, 422);
  }
  if (error.code == ErrorCode::kRateLimited || error.code == ErrorCode::kPermissionDenied) {
    form.general_error = error.detail;
    return FormPage(services, visit, form, error.code == ErrorCode::kRateLimited ? 429 : 403);
  }
  return MessagePage(services, visit, "Report", "We could not send the report; please try again.", 503);
}

}  // namespace

void RegisterReportPages(http::Router& router, const PageServices& services) {
  router.Get("/report", [&services](Request& request) -> Response {
    auto visit = BeginVisit(services, request);
    if (!visit.ok()) return Response::Problem(visit.error(), request.request_id);
    if (!visit->customer) return ToLogIn(*visit);
    const auto content = ParseContent(request.Query("kind").value_or(""), request.Query("id").value_or(""));
    if (!content) return MessagePage(services, *visit, "Report", "There is nothing here to report.", 404);
    return FormPage(services, *visit, {.content = *content}, 200);
  });

  router.Post("/report", [&services](Request& request) -> Response {
    auto begun = BeginGuestPost(services, request);
    if (auto* answer = std::get_if<Response>(&begun)) return std::move(*answer);
    return Submit(services, std::get<GuestPost>(begun));
  });

  router.Get("/report/sent", [&services](Request& request) -> Response {
    auto visit = BeginVisit(services, request);
    if (!visit.ok()) return Response::Problem(visit.error(), request.request_id);
    return MessagePage(services, *visit, "Thank you for your report",
                       "The shop's moderators will look at it and act if it breaks the community rules.", 200);
  });
}

}  // namespace plaza::web::storefront
