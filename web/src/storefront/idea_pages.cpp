// The idea board in the storefront:
//
//   GET  /ideas                 ideas most supported first (?sort=newest for newest first),
//                               ?status=open|review|accepted|declined, ?cursor= for the
//                               next page, and the link to submit one
//   GET  /ideas/new             the submission form (signed in, with a community profile)
//   POST /ideas                 csrf_token, title, description -> 303 /ideas/{id}
//   GET  /ideas/{id}            the idea, its author, the progress to the shop's support
//                               threshold, the decision and its reason, the support form
//   POST /ideas/{id}/support    csrf_token -> 303 /ideas/{id}
//   POST /ideas/{id}/unsupport  csrf_token -> 303 /ideas/{id}
//
// Who may see, submit or support an idea, the threshold and the decisions are
// community::IdeaService's; the pages turn its answers into words and forms. A visitor
// who is not signed in is sent to the log-in page and one without a community profile to
// its creation, each coming back to the page they were on.

#include <algorithm>
#include <charconv>
#include <variant>

#include "../form.h"
#include "cart_view.h"
#include "plaza/community/ideas.h"
#include "routes.h"
#include "shop_page.h"
#include "social_frame.h"
#include "visit.h"

namespace plaza::web::storefront {
namespace {

using http::Request;
using http::Response;
namespace community = plaza::community;

constexpr int kIdeasPerPage = 20;

std::string IdeaPath(std::int64_t id) {
  return "/ideas/" + std::to_string(id);
}

std::string_view StatusLabel(community::IdeaStatus status) {
  switch (status) {
    case community::IdeaStatus::kOpen:
      return "Gathering support";
    case community::IdeaStatus::kReview:
      return "In review by the shop";
    case community::IdeaStatus::kAccepted:
      return "Accepted";
    case community::IdeaStatus::kDeclined:
      return "Declined";
  }
  return "";
}

// "12 of 100 supports" with a progress bar that stops at the threshold.
void Progress(HtmlWriter& html, const community::Idea& idea, std::int64_t threshold, bool large) {
  const std::string label_id = "idea-progress-" + std::to_string(idea.id);
  html.Raw("<div class=\"idea-progress")
      .Raw(large ? " large" : "")
      .Raw("\"><p id=\"")
      .Text(label_id)
      .Raw("\">")
      .Text(std::to_string(idea.supports_count))
      .Raw(idea.supports_count == 1 ? " supporter" : " supporters")
      .Raw(" of ")
      .Text(std::to_string(threshold))
      .Raw(" needed</p><progress max=\"")
      .Text(std::to_string(threshold))
      .Raw("\" value=\"")
      .Text(std::to_string(std::min(idea.supports_count, threshold)))
      .Raw("\" aria-labelledby=\"")
      .Text(label_id)
      .Raw("\"></progress></div>");
}

std::int64_t Threshold(const PageServices& services, std::int64_t shop_id) {
  auto settings = services.ideas.GetSettings(shop_id);
  return settings.ok() ? settings->support_threshold : community::kDefaultSupportThreshold;
}

// The list's link; the board ranks by support unless ?sort=newest.
std::string IdeasLink(std::optional<community::IdeaStatus> status, community::IdeaOrder order,
                      std::string_view cursor) {
  std::string query;
  if (status) query += "&status=" + std::string(community::IdeaStatusName(*status));
  if (order == community::IdeaOrder::kNewest) query += "&sort=newest";
  if (!cursor.empty()) query += "&cursor=" + std::string(cursor);
  if (query.empty()) return "/ideas";
  query[0] = '?';
  return "/ideas" + query;
}

Response ListPage(const PageServices& services, const Visit& visit, const Request& request) {
  const auto viewer = ViewerProfile(services, visit);
  community::IdeaQuery query{.limit = kIdeasPerPage, .order = community::IdeaOrder::kMostSupported};
  if (request.Query("sort") == "newest") query.order = community::IdeaOrder::kNewest;
  if (auto status = request.Query("status")) query.status = community::ParseIdeaStatus(*status);
  if (auto cursor = request.Query("cursor"); cursor && IsCursor(*cursor)) query.cursor = std::string(*cursor);
  auto page = services.ideas.ListIdeas(visit.shop.id, viewer ? std::optional(viewer->id) : std::nullopt, query);
  if (!page.ok() && !query.cursor.empty()) {
    query.cursor.clear();
    page = services.ideas.ListIdeas(visit.shop.id, viewer ? std::optional(viewer->id) : std::nullopt, query);
  }
  if (!page.ok()) return MessagePage(services, visit, "Ideas", "The ideas could not be loaded; please try again.", 503);
  const std::int64_t threshold = Threshold(services, visit.shop.id);

  HtmlWriter html;
  html.Raw("<div class=\"ideas\"><h1>Ideas</h1><p class=\"lead\">Suggest what the shop should make next. An idea with ")
      .Text(std::to_string(threshold))
      .Raw(
          " supporters goes to the shop for review.</p><p><a class=\"button\" href=\"/ideas/new\">Submit an "
          "idea</a></p><nav aria-label=\"Filter ideas\" class=\"idea-filter\"><ul>");
  const std::optional<community::IdeaStatus> filters[] = {
      std::nullopt, community::IdeaStatus::kOpen, community::IdeaStatus::kReview, community::IdeaStatus::kAccepted,
      community::IdeaStatus::kDeclined};
  for (const auto& filter : filters) {
    html.Raw("<li><a href=\"").Text(IdeasLink(filter, query.order, {})).Raw("\"");
    if (filter == query.status) html.Raw(" aria-current=\"true\"");
    html.Raw(">").Text(filter ? StatusLabel(*filter) : "All ideas").Raw("</a></li>");
  }
  html.Raw("</ul></nav><nav aria-label=\"Order ideas\" class=\"idea-filter\"><ul>");
  for (const auto order : {community::IdeaOrder::kMostSupported, community::IdeaOrder::kNewest}) {
    html.Raw("<li><a href=\"").Text(IdeasLink(query.status, order, {})).Raw("\"");
    if (order == query.order) html.Raw(" aria-current=\"true\"");
    html.Raw(order == community::IdeaOrder::kNewest ? ">Newest" : ">Most supported").Raw("</a></li>");
  }
  html.Raw("</ul></nav>");
  if (page->ideas.empty()) {
    html.Raw("<p>No ideas here yet.</p>");
  } else {
    html.Raw("<ol class=\"idea-list\">");
    for (const community::Idea& idea : page->ideas) {
      html.Raw("<li class=\"idea-item card\"><h2><a href=\"")
          .Text(IdeaPath(idea.id))
          .Raw("\">")
          .Text(idea.title)
          .Raw("</a></h2><p class=\"idea-status\">")
          .Text(StatusLabel(idea.status));
      if (idea.visibility == community::ContentVisibility::kHeld) html.Raw(" · awaiting moderation");
      html.Raw("</p>");
      Progress(html, idea, threshold, false);
      html.Raw("</li>");
    }
    html.Raw("</ol>");
  }
  if (!page->next_cursor.empty()) {
    html.Raw("<p><a href=\"")
        .Text(IdeasLink(query.status, query.order, page->next_cursor))
        .Raw("\">More ideas</a></p>");
  }
  html.Raw("</div>");
  PageMeta meta;
  meta.title = "Ideas";
  meta.description = "Product ideas from the community";
  meta.path = "/ideas";
  meta.noindex = query.status.has_value() || query.order == community::IdeaOrder::kNewest || !query.cursor.empty();
  return ShopPage(services, visit, meta, {html.Take()});
}

struct IdeaForm {
  std::string title{};
  std::string description{};
  std::string title_error{};
  std::string description_error{};
  std::string general_error{};
};

void FieldError(HtmlWriter& html, std::string_view id, std::string_view message) {
  if (message.empty()) return;
  html.Raw("<p class=\"field-error\" role=\"alert\" id=\"").Text(id).Raw("\">").Text(message).Raw("</p>");
}

Response FormPage(const PageServices& services, const Visit& visit, const IdeaForm& form, int status) {
  HtmlWriter html;
  html.Raw("<div class=\"card idea-form\"><h1>Submit an idea</h1><p>Describe the product you would like the shop to ")
      .Raw("make. Others can support it; with enough supporters the shop reviews it.</p>")
      .Fragment(Alert(form.general_error))
      .Raw("<form method=\"post\" action=\"/ideas\" novalidate>");
  html.Fragment(CsrfField(*visit.customer));
  html.Raw("<label for=\"title\">Title</label><input id=\"title\" name=\"title\" type=\"text\" maxlength=\"")
      .Text(std::to_string(community::kMaxIdeaTitleLength))
      .Raw("\" required value=\"")
      .Text(form.title)
      .Raw("\"");
  if (!form.title_error.empty()) html.Raw(" aria-invalid=\"true\" aria-describedby=\"title-error\"");
  html.Raw(">");
  FieldError(html, "title-error", form.title_error);
  html.Raw(
          "<label for=\"description\">Description</label><textarea id=\"description\" name=\"description\" rows=\"8\" ")
      .Raw("required");
  if (!form.description_error.empty()) html.Raw(" aria-invalid=\"true\" aria-describedby=\"description-error\"");
  html.Raw(">").Text(form.description).Raw("</textarea>");
  FieldError(html, "description-error", form.description_error);
  html.Raw("<button type=\"submit\">Submit the idea</button></form></div>");
  return ShopPage(services, visit, PrivatePage("Submit an idea", "/ideas/new"), {html.Take()}, status);
}

// The words for a refused submission, beside the field the error names.
Response SubmitError(const PageServices& services, const Visit& visit, IdeaForm form, const Error& error) {
  if (error.field == "/title") {
    form.title_error = error.type == "validation/required" || form.title.empty()
                           ? "Give your idea a title."
                           : "Keep the title to one line of at most " + std::to_string(community::kMaxIdeaTitleLength) +
                                 " characters, without invisible characters.";
    return FormPage(services, visit, form, 422);
  }
  if (error.field == "/description") {
    form.description_error = form.description.empty() ? "Describe your idea."
                                                      : "Keep the description under " +
                                                            std::to_string(community::kMaxIdeaDescriptionLength) +
                                                            " characters, without invisible characters.";
    return FormPage(services, visit, form, 422);
  }
  if (error.code == ErrorCode::kRateLimited || error.code == ErrorCode::kPermissionDenied) {
    form.general_error = error.detail;
    return FormPage(services, visit, form, error.code == ErrorCode::kRateLimited ? 429 : 403);
  }
  return MessagePage(services, visit, "Submit an idea", "The idea could not be saved; please try again.", 503);
}

Response Submit(const PageServices& services, GuestPost& post) {
  const Visit& visit = post.visit;
  auto member = MemberOrRedirect(services, visit, "/ideas/new");
  if (auto* answer = std::get_if<Response>(&member)) return std::move(*answer);
  if (!identity::CheckCsrf(*visit.customer, FormValue(post.form, "csrf_token")).ok()) {
    return MessagePage(services, visit, "Submit an idea", "The form expired; reload the page and try again.", 403);
  }
  IdeaForm form{.title = FormValue(post.form, "title"), .description = FormValue(post.form, "description")};
  auto idea = services.ideas.Submit(visit.shop.id, std::get<social::Profile>(member).id,
                                    {.title = form.title, .description = form.description});
  if (!idea.ok()) return SubmitError(services, visit, std::move(form), idea.error());
  return RedirectAfterPost(visit, IdeaPath(idea->id));
}

void Decision(HtmlWriter& html, const PageServices& services, const Visit& visit, const community::Idea& idea) {
  if (idea.status == community::IdeaStatus::kReview) {
    html.Raw("<p class=\"idea-decision\">This idea reached the support it needed; the shop is reviewing it.</p>");
  } else if (idea.status == community::IdeaStatus::kAccepted) {
    html.Raw("<p class=\"idea-decision\">The shop accepted this idea and is working on it.");
    if (idea.product_id) {
      auto product = services.catalog.GetProduct(visit.shop.id, *idea.product_id);
      if (product.ok() && product->status == catalog::ProductStatus::kActive) {
        html.Raw(" <a href=\"/products/").Text(product->handle).Raw("\">See the product</a>.");
      }
    }
    html.Raw("</p>");
  } else if (idea.status == community::IdeaStatus::kDeclined) {
    html.Raw("<div class=\"idea-decision\"><p>The shop declined this idea.</p>");
    if (idea.decline_reason) {
      html.Raw("<p><strong>The shop's reason:</strong></p><blockquote>");
      UserText(html, *idea.decline_reason);
      html.Raw("</blockquote>");
    }
    html.Raw("</div>");
  }
}

void SupportForm(HtmlWriter& html, const Visit& visit, const std::optional<social::Profile>& viewer,
                 const community::IdeaView& view) {
  const community::Idea& idea = view.idea;
  if (idea.status == community::IdeaStatus::kAccepted || idea.status == community::IdeaStatus::kDeclined) {
    html.Raw("<p>Support is closed: the idea has been decided.</p>");
    return;
  }
  const std::string path = IdeaPath(idea.id);
  if (!visit.customer) {
    html.Raw("<p><a href=\"").Text(LogInPath(path)).Raw("\">Log in</a> to support this idea.</p>");
    return;
  }
  if (!viewer) {
    html.Raw("<p><a href=\"")
        .Text(NewProfilePath(path))
        .Raw("\">Create your community profile</a> to support this idea.</p>");
    return;
  }
  if (viewer->id == idea.author_profile_id) {
    html.Raw("<p>This is your idea. Share its link to gather support.</p>");
    return;
  }
  html.Raw("<form method=\"post\" class=\"idea-support\" action=\"")
      .Text(path)
      .Raw(view.supported ? "/unsupport\">" : "/support\">");
  html.Fragment(CsrfField(*visit.customer));
  if (view.supported) {
    html.Raw("<p>You support this idea.</p><button type=\"submit\" class=\"secondary\">Withdraw my support</button>");
  } else {
    html.Raw("<button type=\"submit\">Support this idea</button>");
  }
  html.Raw("</form>");
}

Response IdeaPage(const PageServices& services, const Visit& visit, std::int64_t idea_id) {
  const auto viewer = ViewerProfile(services, visit);
  auto view = services.ideas.ViewIdea(visit.shop.id, idea_id, viewer ? std::optional(viewer->id) : std::nullopt);
  if (!view.ok()) {
    if (view.error().code == ErrorCode::kNotFound) {
      return MessagePage(services, visit, "Idea not found", "There is no idea at this address.", 404);
    }
    return MessagePage(services, visit, "Idea", "The idea could not be loaded; please try again.", 503);
  }
  const community::Idea& idea = view->idea;
  const std::int64_t threshold = Threshold(services, visit.shop.id);
  auto author = services.profiles.GetProfile(visit.shop.id, idea.author_profile_id);

  HtmlWriter html;
  html.Raw("<article class=\"idea card\"><p><a href=\"/ideas\">All ideas</a></p><h1>")
      .Text(idea.title)
      .Raw("</h1><div class=\"idea-credit\"><span>Idea by</span> ");
  if (author.ok()) {
    ProfileChip(html, *author);
  } else {
    html.Raw("a former member");
  }
  html.Raw(" ");
  TimeElement(html, idea.created_at, services.clock.Now());
  html.Raw("</div>");
  if (idea.visibility == community::ContentVisibility::kHeld) {
    html.Raw(
        "<p class=\"notice\" role=\"status\">Awaiting review by the shop's moderators: only you can see this idea "
        "for now.</p>");
  }
  html.Raw("<p class=\"idea-status\"><strong>Status:</strong> ").Text(StatusLabel(idea.status)).Raw("</p>");
  Progress(html, idea, threshold, true);
  Decision(html, services, visit, idea);
  html.Raw("<div class=\"idea-description\">");
  UserText(html, idea.description);
  html.Raw("</div>");
  SupportForm(html, visit, viewer, *view);
  if (!viewer || viewer->id != idea.author_profile_id) {
    html.Raw("<p class=\"report-link\"><a href=\"/report?kind=idea&amp;id=")
        .Text(std::to_string(idea.id))
        .Raw("\" rel=\"nofollow\">Report this idea</a></p>");
  }
  html.Raw("</article>");
  PageMeta meta;
  meta.title = idea.title;
  meta.description = ShortDescription(idea.description, idea.title);
  meta.path = IdeaPath(idea.id);
  meta.noindex = idea.visibility != community::ContentVisibility::kVisible;
  return ShopPage(services, visit, meta, {html.Take()});
}

Response SupportAction(const PageServices& services, GuestPost& post, std::string_view id_text, bool support) {
  const Visit& visit = post.visit;
  const auto idea_id = ParseId(id_text);
  if (!idea_id) return MessagePage(services, visit, "Idea not found", "There is no idea at this address.", 404);
  const std::string path = IdeaPath(*idea_id);
  auto member = MemberOrRedirect(services, visit, path);
  if (auto* answer = std::get_if<Response>(&member)) return std::move(*answer);
  if (!identity::CheckCsrf(*visit.customer, FormValue(post.form, "csrf_token")).ok()) {
    return MessagePage(services, visit, "Support an idea", "The form expired; reload the page and try again.", 403);
  }
  const std::int64_t me = std::get<social::Profile>(member).id;
  auto done = support ? services.ideas.Support(visit.shop.id, me, *idea_id)
                      : services.ideas.WithdrawSupport(visit.shop.id, me, *idea_id);
  if (done.ok()) return RedirectAfterPost(visit, path);
  const Error& error = done.error();
  if (error.code == ErrorCode::kNotFound) {
    return MessagePage(services, visit, "Idea not found", "There is no idea at this address.", 404);
  }
  if (error.type == "community/self-support") {
    return MessagePage(services, visit, "Support an idea", "You cannot support your own idea.", 403);
  }
  if (error.type == "community/idea-closed") {
    return MessagePage(services, visit, "Support an idea",
                       "This idea has been decided, so its support can no longer change.", 409);
  }
  return MessagePage(services, visit, "Support an idea", "That did not work; please try again.", 503);
}

}  // namespace

void RegisterIdeaPages(http::Router& router, const PageServices& services) {
  router.Get("/ideas", [&services](Request& request) -> Response {
    auto visit = BeginVisit(services, request);
    if (!visit.ok()) return Response::Problem(visit.error(), request.request_id);
    return ListPage(services, *visit, request);
  });

  router.Get("/ideas/new", [&services](Request& request) -> Response {
    auto visit = BeginVisit(services, request);
    if (!visit.ok()) return Response::Problem(visit.error(), request.request_id);
    auto member = MemberOrRedirect(services, *visit, "/ideas/new");
    if (auto* answer = std::get_if<Response>(&member)) return std::move(*answer);
    return FormPage(services, *visit, {}, 200);
  });

  router.Post("/ideas", [&services](Request& request) -> Response {
    auto begun = BeginGuestPost(services, request);
    if (auto* answer = std::get_if<Response>(&begun)) return std::move(*answer);
    return Submit(services, std::get<GuestPost>(begun));
  });

  router.Get("/ideas/{id}", [&services](Request& request) -> Response {
    auto visit = BeginVisit(services, request);
    if (!visit.ok()) return Response::Problem(visit.error(), request.request_id);
    const auto idea_id = ParseId(request.PathParam("id"));
    if (!idea_id) return MessagePage(services, *visit, "Idea not found", "There is no idea at this address.", 404);
    return IdeaPage(services, *visit, *idea_id);
  });

  for (const bool support : {true, false}) {
    router.Post(support ? "/ideas/{id}/support" : "/ideas/{id}/unsupport",
                [&services, support](Request& request) -> Response {
                  auto begun = BeginGuestPost(services, request);
                  if (auto* answer = std::get_if<Response>(&begun)) return std::move(*answer);
                  return SupportAction(services, std::get<GuestPost>(begun), request.PathParam("id"), support);
                });
  }
}

}  // namespace plaza::web::storefront
