// Customer care for reviews and questions: the shop's reviews (all, without a reply, or
// flagged with their fake-review signals) with the merchant's reply form, and the
// questions still without an answer with the brand's answer form. Everything goes
// through the review and question services with the staff principal (care.reply), so
// replies and answers are audited there.

#include <algorithm>
#include <charconv>

#include "../form.h"
#include "plaza/reviews/questions.h"
#include "plaza/reviews/reviews.h"
#include "routes.h"
#include "settings_fields.h"

namespace plaza::web::admin {
namespace {

using http::Response;
using identity::Permission;

std::string AuthorName(const PageServices& services, std::int64_t shop_id, std::optional<std::int64_t> profile_id) {
  if (!profile_id) return "the brand";
  auto profile = services.profiles.GetProfile(shop_id, *profile_id);
  if (!profile.ok()) return "a customer";
  return profile->handle;
}

Response ReviewsPage(const PageServices& services, AdminRequest& request, const Error* failed = nullptr) {
  const std::string filter(request.http.Query("filter").value_or(""));
  reviews::StaffReviewQuery query{.flagged_only = filter == "flagged", .unreplied_only = filter == "unanswered"};
  if (auto after = request.http.Query("after"); after && IsCursor(*after)) query.page.cursor = std::string(*after);
  auto page = services.reviews.ListForStaff(request.staff, request.shop.id, query);
  if (!page.ok()) return AdminPage(request, "Reviews", ErrorBox(page.error().detail), 422);
  HtmlWriter html;
  html.Fragment(NoticeFrom(request.http));
  if (failed) html.Fragment(ErrorBox(failed->detail));
  html.Raw("<nav aria-label=\"Review filters\"><ul class=\"filters\">");
  for (const auto& [value, label] : {std::pair<std::string_view, std::string_view>{"", "All"},
                                     {"unanswered", "Without a reply"},
                                     {"flagged", "Flagged"}}) {
    html.Raw("<li><a href=\"/admin/reviews").Raw(value.empty() ? "" : "?filter=").Text(value).Raw("\"");
    if (value == filter) html.Raw(" aria-current=\"page\"");
    html.Raw(">").Text(label).Raw("</a></li>");
  }
  html.Raw("</ul></nav>");
  if (page->reviews.empty()) html.Raw("<p>No reviews here.</p>");
  html.Raw("<ul class=\"admin-reviews\">");
  for (const reviews::Review& review : page->reviews) {
    const std::string id = std::to_string(review.id);
    html.Raw("<li class=\"card\"><h2>")
        .Text(std::to_string(review.rating))
        .Raw(" of 5 stars: ")
        .Text(review.title.empty() ? "(no title)" : review.title)
        .Raw("</h2><p class=\"muted\">By ")
        .Text(AuthorName(services, request.shop.id, review.author_profile_id))
        .Raw(" on <a href=\"/admin/products/")
        .Text(std::to_string(review.product_id))
        .Raw("\">product ")
        .Text(std::to_string(review.product_id))
        .Raw("</a>, ")
        .Text(reviews::VisibilityName(review.visibility))
        .Raw(review.verified_buyer ? ", verified buyer" : "")
        .Raw(review.incentivised ? ", incentive disclosed" : "")
        .Raw("</p><p>")
        .Text(review.body)
        .Raw("</p>");
    if (!review.signals.empty()) {
      html.Raw("<p class=\"signals\">Signals: ");
      for (std::size_t i = 0; i < review.signals.size(); ++i) {
        if (i > 0) html.Raw(", ");
        html.Raw("<span class=\"badge\">").Text(review.signals[i]).Raw("</span>");
      }
      html.Raw("</p>");
    }
    html.Raw("<form method=\"post\" action=\"/admin/reviews/")
        .Text(id)
        .Raw("/reply\">")
        .Fragment(CsrfField(request.staff));
    html.Raw("<label for=\"reply-")
        .Text(id)
        .Raw("\">Reply as the shop (empty removes the reply)</label><textarea id=\"reply-")
        .Text(id)
        .Raw("\" name=\"text\" rows=\"3\" maxlength=\"2000\">")
        .Text(review.reply ? review.reply->text : std::string())
        .Raw("</textarea><button type=\"submit\">Save reply</button></form></li>");
  }
  html.Raw("</ul>");
  if (!page->next_cursor.empty() && IsCursor(page->next_cursor)) {
    html.Raw("<p><a rel=\"next\" href=\"/admin/reviews?")
        .Raw(filter.empty() ? "" : "filter=")
        .Text(filter.empty() ? "" : filter + "&")
        .Raw("after=")
        .Text(page->next_cursor)
        .Raw("\">Older reviews</a></p>");
  }
  return AdminPage(request, "Reviews", {html.Take()}, failed ? 422 : 200);
}

Response QuestionsPage(const PageServices& services, AdminRequest& request, const Error* failed = nullptr) {
  reviews::PageRequest page_request;
  if (auto after = request.http.Query("after"); after && IsCursor(*after)) page_request.cursor = std::string(*after);
  auto page = services.questions.ListUnanswered(request.staff, request.shop.id, page_request);
  if (!page.ok()) return AdminPage(request, "Unanswered questions", ErrorBox(page.error().detail), 422);
  HtmlWriter html;
  html.Fragment(NoticeFrom(request.http));
  if (failed) html.Fragment(ErrorBox(failed->detail));
  if (page->questions.empty()) html.Raw("<p>Every question has an answer.</p>");
  html.Raw("<ul class=\"admin-questions\">");
  for (const reviews::Question& question : page->questions) {
    const std::string id = std::to_string(question.id);
    html.Raw("<li class=\"card\"><p>")
        .Text(question.text)
        .Raw("</p><p class=\"muted\">Asked by ")
        .Text(AuthorName(services, request.shop.id, question.author_profile_id))
        .Raw(" about <a href=\"/admin/products/")
        .Text(std::to_string(question.product_id))
        .Raw("\">product ")
        .Text(std::to_string(question.product_id))
        .Raw("</a></p><form method=\"post\" action=\"/admin/questions/")
        .Text(id)
        .Raw("/answer\">")
        .Fragment(CsrfField(request.staff))
        .Raw("<label for=\"answer-")
        .Text(id)
        .Raw("\">Answer for the brand</label><textarea id=\"answer-")
        .Text(id)
        .Raw(
            "\" name=\"text\" rows=\"3\" maxlength=\"3000\" required></textarea><button type=\"submit\">Post "
            "answer</button></form></li>");
  }
  html.Raw("</ul>");
  if (!page->next_cursor.empty() && IsCursor(page->next_cursor)) {
    html.Raw("<p><a rel=\"next\" href=\"/admin/questions?after=")
        .Text(page->next_cursor)
        .Raw("\">More questions</a></p>");
  }
  return AdminPage(request, "Unanswered questions", {html.Take()}, failed ? 422 : 200);
}

}  // namespace

void RegisterReviewPages(http::Router& router, const PageServices& services) {
  router.Get("/admin/reviews", AdminRoute(services, Permission::kCareReply, [&services](AdminRequest& request) {
               return ReviewsPage(services, request);
             }));
  router.Post("/admin/reviews/{id}/reply",
              AdminRoute(services, Permission::kCareReply, [&services](AdminRequest& request) -> Response {
                const auto id = ParseId(request.http.PathParam("id"));
                if (!id) return AdminPage(request, "Reviews", ErrorBox("No such review."), 404);
                auto replied = services.reviews.Reply(request.staff, request.shop.id, *id, request.Field("text"));
                if (!replied.ok()) {
                  if (replied.error().code == ErrorCode::kNotFound) {
                    return AdminPage(request, "Reviews", ErrorBox("No such review."), 404);
                  }
                  return ReviewsPage(services, request, &replied.error());
                }
                return Response::Redirect("/admin/reviews?notice=saved");
              }));
  router.Get("/admin/questions", AdminRoute(services, Permission::kCareReply, [&services](AdminRequest& request) {
               return QuestionsPage(services, request);
             }));
  router.Post("/admin/questions/{id}/answer",
              AdminRoute(services, Permission::kCareReply, [&services](AdminRequest& request) -> Response {
                const auto id = ParseId(request.http.PathParam("id"));
                if (!id) return AdminPage(request, "Unanswered questions", ErrorBox("No such question."), 404);
                auto answered =
                    services.questions.AnswerAsBrand(request.staff, request.shop.id, *id, request.Field("text"));
                if (!answered.ok()) {
                  if (answered.error().code == ErrorCode::kNotFound) {
                    return AdminPage(request, "Unanswered questions", ErrorBox("No such question."), 404);
                  }
                  return QuestionsPage(services, request, &answered.error());
                }
                return Response::Redirect("/admin/questions?notice=saved");
              }));
}

}  // namespace plaza::web::admin
