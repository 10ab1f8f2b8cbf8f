// The community feeds as pages, and the parts of them other pages show:
//
//   GET  /feed                              the following timeline of a signed-in customer with a
//                                           profile; ?tab=discover (and every anonymous visitor) gets
//                                           discovery; ?after=<cursor> is the next page
//   GET  /account/notifications             the customer's notifications, newest first (?after=)
//   POST /account/notifications/{id}/read   marks one read        (csrf_token)
//   POST /account/notifications/read-all    marks all read        (csrf_token)
//   POST /account/purchase-sharing          share_purchases=on or absent (csrf_token)
//
// The rules (who sees which post, who is counted as a buyer, who is notified) live in
// social::FeedService and social::NotificationService; these pages only ask and render.

#include <charconv>

#include "../form.h"
#include "cart_view.h"
#include "catalog_view.h"
#include "feed_sections.h"
#include "routes.h"
#include "shop_page.h"
#include "social_frame.h"

namespace plaza::web::storefront {
namespace {

using http::Request;
using http::Response;

std::optional<std::int64_t> ProfileIdOf(const PageServices& services, const Visit& visit) {
  auto profile = ViewerProfile(services, visit);
  if (!profile) return std::nullopt;
  return profile->id;
}

std::optional<std::int64_t> ParseCount(std::string_view text) {
  std::int64_t count = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), count);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || count < 0) return std::nullopt;
  return count;
}

// ---- Notifications --------------------------------------------------------------------

// What happened, as the sentence after the actor's name (or the shop's).
std::string_view Happened(social::NotificationKind kind) {
  using K = social::NotificationKind;
  switch (kind) {
    case K::kFollow:
      return "started following you.";
    case K::kFollowRequest:
      return "asked to follow you.";
    case K::kReply:
      return "replied to you.";
    case K::kMention:
      return "mentioned you.";
    case K::kLike:
      return "liked your post.";
    case K::kAnswer:
      return "answered your question.";
    case K::kReviewReply:
      return "replied to your review.";
    case K::kGroupInvite:
      return "invited you to a group.";
    case K::kIdeaDecision:
      return "decided on your idea.";
    case K::kOrderSocial:
      return "delivered your order. Other shoppers would like to know what you think of it.";
  }
  return "";
}

// Where the notification leads, or "" when its subject has no page the reader may open
// (a comment's post is not named by the notification; a hidden review leads nowhere).
std::string SubjectPath(const PageServices& services, const Visit& visit, std::int64_t viewer,
                        const social::Notification& item) {
  using K = social::NotificationKind;
  if (item.kind == K::kFollow && !item.actor_handle.empty()) return "/people/" + item.actor_handle;
  if (item.kind == K::kFollowRequest) return "/account/follow-requests";
  const std::string id = std::to_string(item.subject_id);
  if (item.subject_kind == "post") return "/posts/" + id;
  if (item.subject_kind == "comment") {
    auto comment = services.comments.GetComment(visit.shop.id, item.subject_id, viewer);
    return comment.ok() ? "/posts/" + std::to_string(comment->post_id) + "#comment-" + id : std::string();
  }
  if (item.subject_kind == "idea") return "/ideas/" + id;
  if (item.subject_kind == "product") {
    auto product = services.catalog.GetProduct(visit.shop.id, item.subject_id);
    return product.ok() ? "/products/" + product->handle + "/review" : std::string();
  }
  if (item.subject_kind == "group") {
    auto group = services.groups.ViewGroupById(visit.shop.id, item.subject_id, viewer);
    return group.ok() ? "/groups/" + group->group.handle : std::string();
  }
  std::optional<std::int64_t> product_id;
  std::string_view anchor;
  if (item.subject_kind == "review") {
    auto review = services.reviews.GetReview(visit.shop.id, item.subject_id, viewer);
    if (review.ok()) product_id = review->product_id;
    anchor = "#reviews";
  } else if (item.subject_kind == "question") {
    auto question = services.questions.GetQuestion(visit.shop.id, item.subject_id, viewer);
    if (question.ok()) product_id = question->product_id;
    anchor = "#questions";
  }
  if (!product_id) return {};
  auto product = services.catalog.GetProduct(visit.shop.id, *product_id);
  return product.ok() ? "/products/" + product->handle + std::string(anchor) : std::string();
}

void NotificationItem(HtmlWriter& html, const PageServices& services, const Visit& visit, std::int64_t viewer,
                      const social::Notification& item) {
  const bool unread = !item.read_at.has_value();
  html.Raw(unread ? "<li class=\"notification unread\">" : "<li class=\"notification\">");
  if (unread) html.Raw("<span class=\"notification-new\">New</span> ");
  html.Raw("<p>");
  if (!item.actor_handle.empty()) {
    html.Raw("<a href=\"/people/")
        .Text(item.actor_handle)
        .Raw("\">")
        .Text(item.actor_display_name.empty() ? "@" + item.actor_handle : item.actor_display_name)
        .Raw("</a> ");
  } else {
    html.Text(visit.shop.name).Raw(" ");
  }
  html.Text(Happened(item.kind)).Raw("</p>");
  if (!item.text.empty()) html.Raw("<blockquote class=\"excerpt\">").Text(item.text).Raw("</blockquote>");
  html.Raw("<p class=\"muted\">");
  TimeElement(html, item.created_at, services.clock.Now());
  const std::string path = SubjectPath(services, visit, viewer, item);
  if (!path.empty()) html.Raw(" · <a href=\"").Text(path).Raw("\">View</a>");
  html.Raw("</p>");
  if (unread) {
    html.Raw("<form class=\"inline\" method=\"post\" action=\"/account/notifications/")
        .Text(std::to_string(item.id))
        .Raw("/read\">")
        .Fragment(CsrfField(*visit.customer))
        .Raw("<button type=\"submit\" class=\"secondary\">Mark as read</button></form>");
  }
  html.Raw("</li>");
}

Response NotificationsPage(const PageServices& services, const Visit& visit, const Request& request) {
  const std::optional<std::int64_t> viewer = ProfileIdOf(services, visit);
  HtmlWriter html;
  html.Raw("<h1>Notifications</h1>");
  if (!viewer) {
    html.Raw("<p>Notifications come with a community profile. <a href=\"")
        .Text(NewProfilePath("/account/notifications"))
        .Raw("\">Create your profile</a></p>");
    return ShopPage(services, visit, PrivatePage("Notifications", "/account/notifications"), {html.Take()});
  }
  if (const std::optional<std::int64_t> marked = ParseCount(request.Query("marked").value_or(""))) {
    html.Raw("<p class=\"notice\" role=\"status\">")
        .Text(*marked == 1 ? std::string("1 notification marked as read.")
                           : std::to_string(*marked) + " notifications marked as read.")
        .Raw("</p>");
  }
  const std::string after(request.Query("after").value_or(""));
  auto page = services.notifications.List(visit.shop.id, *viewer, {.cursor = after, .limit = 20});
  if (!page.ok()) {
    if (page.error().code == ErrorCode::kInvalidArgument) {
      return MessagePage(services, visit, "Notifications", "That page of notifications is not available.", 400);
    }
    return MessagePage(services, visit, "Notifications", "Notifications cannot be shown right now.", 500);
  }
  auto unread = services.notifications.UnreadCount(visit.shop.id, *viewer);
  if (unread.ok() && *unread > 0) {
    html.Raw("<p>")
        .Text(std::to_string(*unread) + (*unread == 1 ? " unread notification." : " unread notifications."))
        .Raw("</p><form method=\"post\" action=\"/account/notifications/read-all\">")
        .Fragment(CsrfField(*visit.customer))
        .Raw("<button type=\"submit\">Mark all as read</button></form>");
  }
  if (page->notifications.empty()) {
    html.Raw(after.empty() ? "<p>No notifications yet.</p>" : "<p>No older notifications.</p>");
  } else {
    html.Raw("<ul class=\"notifications\">");
    for (const social::Notification& item : page->notifications) {
      NotificationItem(html, services, visit, *viewer, item);
    }
    html.Raw("</ul>");
  }
  if (!page->next_cursor.empty()) {
    html.Raw("<p><a href=\"/account/notifications?after=")
        .Text(QueryEscape(page->next_cursor))
        .Raw("\">Older notifications</a></p>");
  }
  return ShopPage(services, visit, PrivatePage("Notifications", "/account/notifications"), {html.Take()});
}

// ---- The feed -------------------------------------------------------------------------

constexpr int kFeedPageSize = 20;
constexpr int kProductPostsPageSize = 4;

std::string FeedPath(bool discover, std::string_view after) {
  std::string path = discover ? "/feed?tab=discover" : "/feed";
  if (!after.empty()) path += std::string(discover ? "&" : "?") + "after=" + QueryEscape(after);
  return path;
}

Response FeedPage(const PageServices& services, const Visit& visit, const Request& request) {
  const std::optional<social::Profile> viewer = ViewerProfile(services, visit);
  // Without a profile there is nobody followed, so discovery is the whole community.
  const bool discover = !viewer || request.Query("tab") == "discover";
  const std::string after(request.Query("after").value_or(""));
  const social::PageRequest page_request{.cursor = after, .limit = kFeedPageSize};
  auto page = discover
                  ? services.feeds.Discovery(
                        visit.shop.id, viewer ? std::optional<std::int64_t>(viewer->id) : std::nullopt, page_request)
                  : services.feeds.Timeline(visit.shop.id, viewer->id, page_request);
  if (!page.ok()) {
    if (page.error().code == ErrorCode::kInvalidArgument) {
      return MessagePage(services, visit, "Community", "That page of the feed is no longer available.", 400);
    }
    return MessagePage(services, visit, "Community", "The feed cannot be shown right now.", 500);
  }

  HtmlWriter html;
  html.Raw("<h1>Community</h1>");
  if (viewer) {
    html.Raw("<nav class=\"tabs\" aria-label=\"Feeds\"><a href=\"/feed\"")
        .Raw(discover ? "" : " aria-current=\"page\"")
        .Raw(">Following</a> <a href=\"/feed?tab=discover\"")
        .Raw(discover ? " aria-current=\"page\"" : "")
        .Raw(">Discover</a></nav><p class=\"compose\"><a href=\"/posts/new\">Write a post</a></p>");
  } else if (visit.customer) {
    html.Raw("<p>Create your community profile to follow people and post. <a href=\"")
        .Text(NewProfilePath("/feed"))
        .Raw("\">Create your profile</a></p>");
  } else {
    html.Raw("<p>Popular posts of the last days. <a href=\"")
        .Text(LogInPath("/feed"))
        .Raw("\">Log in</a> to follow people and see their posts first.</p>");
  }
  if (!discover && page->posts.empty() && after.empty()) {
    html.Raw(
        "<p>Nothing here yet: posts of the people you follow appear here. <a href=\"/feed?tab=discover\">Discover "
        "people to follow</a></p>");
  } else {
    const std::string here = FeedPath(discover, after);
    PostList(html, services, visit, page->posts, {.return_to = here, .on_post_page = false, .heading_level = 2},
             discover ? "No posts in the last days yet." : "No older posts.");
  }
  if (!page->next_cursor.empty()) {
    html.Raw("<p><a href=\"")
        .Text(FeedPath(discover, page->next_cursor))
        .Raw(discover ? "\">More posts</a></p>" : "\">Older posts</a></p>");
  }
  return ShopPage(services, visit, PrivatePage(discover ? "Discover" : "Your feed", "/feed"), {html.Take()});
}

// The start of a signed-in customer's form post on these pages: the visit, the form with
// a valid CSRF token, and the customer's profile; or the answer to send instead.
struct ProfilePost {
  Visit visit;
  FormFields form;
  std::int64_t profile_id = 0;
};

std::variant<ProfilePost, Response> BeginProfilePost(const PageServices& services, const Request& request,
                                                     std::string_view back) {
  auto visit = BeginVisit(services, request);
  if (!visit.ok()) return Response::Problem(visit.error(), request.request_id);
  if (!visit->customer) return RedirectAfterPost(*visit, LogInPath(back));
  auto form = ReadForm(request);
  if (!form.ok() || !identity::CheckCsrf(*visit->customer, FormValue(*form, "csrf_token")).ok()) {
    return MessagePage(services, *visit, "Form expired", "The form expired; reload the page and try again.", 403);
  }
  const std::optional<std::int64_t> profile = ProfileIdOf(services, *visit);
  if (!profile) return RedirectAfterPost(*visit, NewProfilePath(back));
  return ProfilePost{std::move(*visit), std::move(*form), *profile};
}

}  // namespace

// ---- Parts of other pages -------------------------------------------------------------

Trusted CommunityLinks(const PageServices& services, const Visit& visit) {
  HtmlWriter html;
  html.Raw("<a href=\"/feed\">Community</a> <a href=\"/groups\">Groups</a> <a href=\"/ideas\">Ideas</a> ");
  if (visit.customer) {
    std::int64_t unread = 0;
    if (const std::optional<std::int64_t> profile = ProfileIdOf(services, visit)) {
      // The header must render even when the count cannot be read; it then shows none.
      auto count = services.notifications.UnreadCount(visit.shop.id, *profile);
      if (count.ok()) unread = *count;
    }
    html.Raw("<a href=\"/account/notifications\">Notifications");
    if (unread > 0) {
      html.Raw(" <span class=\"unread-count\">")
          .Text(std::to_string(unread))
          .Raw("<span class=\"visually-hidden\"> unread</span></span>");
    }
    html.Raw("</a> ");
  }
  return {html.Take()};
}

Trusted PurchaseSharingSection(const PageServices& services, const Visit& visit, const http::Request& request) {
  HtmlWriter html;
  if (!visit.customer) return {};
  html.Raw(
      "<section aria-labelledby=\"sharing-heading\"><h2 id=\"sharing-heading\">Community</h2>"
      "<p><a href=\"/account/notifications\">Notifications</a> · <a href=\"/feed\">Your feed</a></p>");
  const std::optional<std::int64_t> profile = ProfileIdOf(services, visit);
  if (!profile) {
    html.Raw("<p>Join the shop's community to follow people, post and share what you buy. <a href=\"")
        .Text(NewProfilePath("/account"))
        .Raw("\">Create your community profile</a></p></section>");
    return {html.Take()};
  }
  auto sharing = services.feeds.PurchaseSharing(visit.shop.id, *profile);
  if (!sharing.ok()) {
    html.Fragment(Alert("Your sharing choice cannot be shown right now.")).Raw("</section>");
    return {html.Take()};
  }
  if (auto saved = request.Query("sharing")) {
    if (*saved == "on" || *saved == "off") {
      html.Raw("<p class=\"notice\" role=\"status\">")
          .Raw(*saved == "on" ? "People who follow you can now see what you buy."
                              : "Your purchases are no longer shared.")
          .Raw("</p>");
    }
  }
  html.Raw("<form method=\"post\" action=\"/account/purchase-sharing\">")
      .Fragment(CsrfField(*visit.customer))
      .Raw(
          "<div class=\"choice\"><input type=\"checkbox\" id=\"share_purchases\" name=\"share_purchases\" "
          "value=\"on\" aria-describedby=\"share-purchases-hint\"")
      .Raw(*sharing ? " checked" : "")
      .Raw(
          "><label for=\"share_purchases\">Let people who follow me see what I buy</label></div>"
          "<p class=\"muted\" id=\"share-purchases-hint\">Product pages then tell them, for example, "
          "\"3 people you follow bought this\", and may name you. Off unless you turn it on.</p>"
          "<button type=\"submit\">Save</button></form></section>");
  return {html.Take()};
}

Result<Trusted> CommunitySection(const PageServices& services, const Visit& visit, const http::Request& request,
                                 std::int64_t product_id, std::string_view product_handle) {
  const std::optional<social::Profile> viewer = ViewerProfile(services, visit);
  const std::optional<std::int64_t> viewer_id = viewer ? std::optional<std::int64_t>(viewer->id) : std::nullopt;
  const std::string product_path = "/products/" + std::string(product_handle);
  HtmlWriter html;
  html.Raw(
      "<section id=\"community\" class=\"community\" aria-labelledby=\"community-title\"><h2 "
      "id=\"community-title\">From the community</h2>");
  if (viewer) {
    PLAZA_ASSIGN_OR_RETURN(const social::SocialProof proof,
                           services.feeds.FollowedBuyers(visit.shop.id, viewer->id, product_id));
    if (proof.count > 0) {
      html.Raw("<p class=\"social-proof\">")
          .Text(std::to_string(proof.count) +
                (proof.count == 1 ? " person you follow bought this: " : " people you follow bought this: "));
      for (std::size_t i = 0; i < proof.examples.size(); ++i) {
        if (i > 0)
          html.Raw(i + 1 == proof.examples.size() && proof.count == std::ssize(proof.examples) ? " and " : ", ");
        const social::ProfileRef& buyer = proof.examples[i];
        html.Raw("<a href=\"/people/")
            .Text(buyer.handle)
            .Raw("\">")
            .Text(buyer.display_name.empty() ? "@" + buyer.handle : buyer.display_name)
            .Raw("</a>");
      }
      const std::int64_t others = proof.count - std::ssize(proof.examples);
      if (others > 0) html.Text(others == 1 ? " and 1 other" : " and " + std::to_string(others) + " others");
      html.Raw(".</p>");
    }
  }
  // A cursor from an old link that no longer reads starts the posts from the newest.
  std::string after(request.Query("community_after").value_or(""));
  auto page =
      services.feeds.Product(visit.shop.id, product_id, viewer_id, {.cursor = after, .limit = kProductPostsPageSize});
  if (!page.ok() && page.error().code == ErrorCode::kInvalidArgument && !after.empty()) {
    after.clear();
    page = services.feeds.Product(visit.shop.id, product_id, viewer_id, {.cursor = "", .limit = kProductPostsPageSize});
  }
  if (!page.ok()) return page.error();
  // Every post here tags this product, whose price, stock and delivery the page already
  // shows above; a tag of it on each card would repeat them and read them again.
  for (social::Post& post : page->posts) {
    std::erase_if(post.products, [&](const social::ProductTag& tag) { return tag.product_id == product_id; });
  }
  const std::string here = after.empty() ? product_path + "#community"
                                         : product_path + "?community_after=" + QueryEscape(after) + "#community";
  PostList(html, services, visit, page->posts, {.return_to = here, .on_post_page = false, .heading_level = 3},
           "Nobody has posted about this product yet.");
  if (!page->next_cursor.empty()) {
    html.Raw("<p><a href=\"")
        .Text(product_path + "?community_after=" + QueryEscape(page->next_cursor) + "#community")
        .Raw("\">More posts about this product</a></p>");
  }
  if (viewer) {
    html.Raw("<p><a href=\"/posts/new?product=")
        .Text(QueryEscape(product_handle))
        .Raw("\">Post about this product</a></p>");
  } else {
    html.Raw("<p><a href=\"")
        .Text(visit.customer ? NewProfilePath(product_path) : LogInPath(product_path))
        .Raw(visit.customer ? "\">Create your community profile</a> to post about it.</p>"
                            : "\">Log in</a> to post about it.</p>");
  }
  html.Raw("</section>");
  return Trusted{html.Take()};
}

void RegisterFeedPages(http::Router& router, const PageServices& services) {
  router.Get("/feed", [&services](Request& request) -> Response {
    auto visit = BeginVisit(services, request);
    if (!visit.ok()) return Response::Problem(visit.error(), request.request_id);
    return FeedPage(services, *visit, request);
  });

  router.Get("/account/notifications", [&services](Request& request) -> Response {
    auto visit = BeginVisit(services, request);
    if (!visit.ok()) return Response::Problem(visit.error(), request.request_id);
    if (!visit->customer) return RedirectAfterPost(*visit, LogInPath("/account/notifications"));
    return NotificationsPage(services, *visit, request);
  });

  router.Post("/account/notifications/read-all", [&services](Request& request) -> Response {
    auto begun = BeginProfilePost(services, request, "/account/notifications");
    if (auto* answer = std::get_if<Response>(&begun)) return std::move(*answer);
    ProfilePost& post = std::get<ProfilePost>(begun);
    auto marked = services.notifications.MarkAllRead(post.visit.shop.id, post.profile_id);
    if (!marked.ok()) {
      return MessagePage(services, post.visit, "Notifications", "Notifications cannot be marked right now.", 500);
    }
    return RedirectAfterPost(post.visit, "/account/notifications?marked=" + std::to_string(*marked));
  });

  router.Post("/account/notifications/{id}/read", [&services](Request& request) -> Response {
    auto begun = BeginProfilePost(services, request, "/account/notifications");
    if (auto* answer = std::get_if<Response>(&begun)) return std::move(*answer);
    ProfilePost& post = std::get<ProfilePost>(begun);
    const std::optional<std::int64_t> id = ParseId(request.PathParam("id"));
    const Status marked =
        id ? services.notifications.MarkRead(post.visit.shop.id, post.profile_id, *id)
           : Status(Error{.code = ErrorCode::kNotFound, .type = "social/not-found", .detail = "", .field = ""});
    if (!marked.ok()) {
      if (marked.error().code == ErrorCode::kNotFound) {
        return MessagePage(services, post.visit, "Notification not found",
                           "There is no notification of yours with that number.", 404);
      }
      return MessagePage(services, post.visit, "Notifications", "The notification cannot be marked right now.", 500);
    }
    return RedirectAfterPost(post.visit, "/account/notifications");
  });

  router.Post("/account/purchase-sharing", [&services](Request& request) -> Response {
    auto begun = BeginProfilePost(services, request, "/account");
    if (auto* answer = std::get_if<Response>(&begun)) return std::move(*answer);
    ProfilePost& post = std::get<ProfilePost>(begun);
    const bool share = FormValue(post.form, "share_purchases") == "on";
    const Status saved = services.feeds.SetPurchaseSharing(post.visit.shop.id, post.profile_id, share);
    if (!saved.ok()) {
      return MessagePage(services, post.visit, "Sharing purchases", "Your choice cannot be saved right now.", 500);
    }
    return RedirectAfterPost(post.visit, share ? "/account?sharing=on" : "/account?sharing=off");
  });
}

}  // namespace plaza::web::storefront
