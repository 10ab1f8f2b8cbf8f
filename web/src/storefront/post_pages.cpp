// Community posts on the storefront:
//
//   GET  /posts/{id}                    the post with its threaded comments
//   POST /posts/{id}/like | unlike | save | unsave | share | delete
//   POST /posts/{id}/comments           a comment, or a reply with `parent_id`
//   POST /posts/{id}/comments/{comment}/delete
//   GET  /posts/new                     compose (?group=<handle>&product=<handle>, and
//                                       the tag picker's ?q=<search>&tagged=<id>...)
//   POST /posts/new                     multipart: text, photos, tag_<product id>, group
//   GET  /hashtags/{tag}                posts carrying the hashtag, newest first
//
// Who may see or do what is PostService's and CommentService's to decide; these pages
// only turn their answers into HTML. Every form carries the signed-in customer's CSRF
// token, is refused from another origin and answers with a 303 back to `return_to` (a
// local path) or the post. A visitor who is not signed in is sent to log in, a customer
// without a community profile to create one, each coming back here afterwards.

#include <charconv>
#include <set>
#include <variant>

#include "../form.h"
#include "../same_origin.h"
#include "../uploads.h"
#include "cart_view.h"
#include "catalog_view.h"
#include "plaza/catalog/catalog.h"
#include "plaza/http/multipart.h"
#include "plaza/social/comments.h"
#include "routes.h"
#include "safe_next.h"
#include "shop_page.h"
#include "social_frame.h"
#include "visit.h"

namespace plaza::web::storefront {
namespace {

using http::Request;
using http::Response;

// Products a search in the tag picker lists.
constexpr int kPickerResults = 10;
constexpr int kPostsPerPage = 20;
constexpr int kCommentsPerPage = 30;
// Channels the share form offers; each is a slug PostService records.
constexpr std::pair<std::string_view, std::string_view> kShareChannels[] = {
    {"link", "Copy a link"}, {"whatsapp", "WhatsApp"}, {"email", "Email"}, {"x", "X (Twitter)"}};

std::string PostPath(std::int64_t post_id) {
  return "/posts/" + std::to_string(post_id);
}

std::string_view Name(const social::ProfileRef& profile) {
  return profile.display_name.empty() ? std::string_view(profile.handle) : std::string_view(profile.display_name);
}

PageMeta PrivateMeta(std::string title, std::string path) {
  PageMeta meta;
  meta.title = std::move(title);
  meta.path = std::move(path);
  meta.noindex = true;
  return meta;
}

Response NotFound(const PageServices& services, const Visit& visit) {
  return MessagePage(services, visit, "Post not found",
                     "This post does not exist, was deleted, or is not visible to you.", 404);
}

Response Failed(const PageServices& services, const Visit& visit) {
  return MessagePage(services, visit, "Something went wrong", "We could not do that just now; please try again.", 503);
}

// A signed-in customer with a community profile, posting a same-origin form with the
// session's token.
struct Actor {
  Visit visit;
  FormFields form;
  std::int64_t profile_id = 0;
};

// Checks a form post of the social pages; `back` is where a visitor who must first log
// in or create a profile comes back to.
std::variant<Actor, Response> BeginAction(const PageServices& services, const Request& request,
                                          const std::string& back) {
  auto begun = BeginGuestPost(services, request);
  if (auto* answer = std::get_if<Response>(&begun)) return std::move(*answer);
  GuestPost& post = std::get<GuestPost>(begun);
  if (!post.visit.customer) return RedirectAfterPost(post.visit, LogInPath(back));
  if (!identity::CheckCsrf(*post.visit.customer, FormValue(post.form, "csrf_token")).ok()) {
    return MessagePage(services, post.visit, "The form expired", "The form expired; reload the page and try again.",
                       403);
  }
  const auto profile = ViewerProfile(services, post.visit);
  if (!profile) return RedirectAfterPost(post.visit, NewProfilePath(back));
  return Actor{std::move(post.visit), std::move(post.form), profile->id};
}

// Where an action form goes back to: its `return_to`, else the post.
std::string ReturnTo(const FormFields& form, std::int64_t post_id) {
  return SafeNext(FormValue(form, "return_to")).value_or(PostPath(post_id));
}

// ---- the post page ----

// A comment form as it was typed and refused, shown again at its place with the error.
struct CommentDraft {
  std::optional<std::int64_t> parent_id{};
  std::string text{};
  std::string error{};
};

void CommentForm(HtmlWriter& html, const Visit& visit, std::int64_t post_id, std::optional<std::int64_t> parent_id,
                 std::string_view label, const CommentDraft& draft) {
  const bool mine = draft.parent_id == parent_id;
  const std::string field = parent_id ? "reply-" + std::to_string(*parent_id) : "comment-text";
  html.Raw("<form method=\"post\" class=\"comment-form\" action=\"").Text(PostPath(post_id)).Raw("/comments\">");
  html.Fragment(CsrfField(*visit.customer));
  if (parent_id) {
    html.Raw("<input type=\"hidden\" name=\"parent_id\" value=\"").Text(std::to_string(*parent_id)).Raw("\">");
  }
  html.Raw("<label for=\"")
      .Text(field)
      .Raw("\">")
      .Text(label)
      .Raw("</label><textarea id=\"")
      .Text(field)
      .Raw("\" name=\"text\" rows=\"3\" maxlength=\"")
      .Text(std::to_string(social::kMaxCommentLength))
      .Raw("\" required");
  if (mine && !draft.error.empty()) html.Raw(" aria-invalid=\"true\" aria-describedby=\"").Text(field).Raw("-error\"");
  html.Raw(">").Text(mine ? std::string_view(draft.text) : std::string_view()).Raw("</textarea>");
  if (mine && !draft.error.empty()) {
    html.Raw("<p class=\"field-error\" role=\"alert\" id=\"")
        .Text(field)
        .Raw("-error\">")
        .Text(draft.error)
        .Raw("</p>");
  }
  html.Raw("<button type=\"submit\">").Raw(parent_id ? "Reply" : "Comment").Raw("</button></form>");
}

// The viewer's relation to the page, computed once.
struct Viewer {
  std::optional<std::int64_t> profile_id;
  bool signed_in = false;
};

void CommentItem(HtmlWriter& html, const PageServices& services, const Visit& visit, const Viewer& viewer,
                 const social::Comment& comment, const CommentDraft& draft, TimePoint now) {
  const std::string id = std::to_string(comment.id);
  html.Raw("<li class=\"comment\" id=\"comment-").Text(id).Raw("\"><article aria-label=\"");
  if (comment.deleted) {
    html.Raw("Deleted comment\"><p class=\"comment-gone\">This comment was deleted.</p>");
  } else if (comment.visibility == social::ContentVisibility::kHidden ||
             comment.visibility == social::ContentVisibility::kRemoved) {
    html.Raw("Removed comment\"><p class=\"comment-gone\">This comment was removed by the shop's moderators.</p>");
  } else {
    html.Raw("Comment by ").Text(Name(comment.author)).Raw("\"><header class=\"comment-head\">");
    ProfileChip(html, comment.author);
    html.Raw(" <a class=\"post-time\" href=\"#comment-").Text(id).Raw("\">");
    TimeElement(html, comment.created_at, now);
    html.Raw("</a></header>");
    if (comment.visibility == social::ContentVisibility::kHeld) {
      html.Raw(
          "<p class=\"post-status\">Awaiting review: only you can see this comment until the shop's moderators "
          "have looked at it.</p>");
    }
    html.Raw("<div class=\"comment-text\">");
    UserText(html, comment.text);
    html.Raw("</div><div class=\"post-actions\">");
    const bool own = viewer.profile_id == comment.author.id;
    if (own) {
      html.Raw("<form method=\"post\" class=\"inline\" action=\"")
          .Text(PostPath(comment.post_id))
          .Raw("/comments/")
          .Text(id)
          .Raw("/delete\">");
      html.Fragment(CsrfField(*visit.customer));
      html.Raw(
          "<button type=\"submit\" class=\"danger\">Delete<span class=\"visually-hidden\"> your comment</span>"
          "</button></form>");
    } else {
      html.Raw("<a href=\"/report?kind=comment&amp;id=")
          .Text(id)
          .Raw("\">Report<span class=\"visually-hidden\"> the comment by ")
          .Text(Name(comment.author))
          .Raw("</span></a>");
    }
    if (viewer.profile_id && comment.depth < social::kMaxCommentDepth &&
        comment.visibility == social::ContentVisibility::kVisible) {
      // <details> opens the reply form without a script.
      html.Raw("<details class=\"reply\"");
      if (draft.parent_id == comment.id) html.Raw(" open");
      html.Raw("><summary>Reply<span class=\"visually-hidden\"> to ")
          .Text(Name(comment.author))
          .Raw("</span></summary>");
      CommentForm(html, visit, comment.post_id, comment.id, "Your reply to " + std::string(Name(comment.author)),
                  draft);
      html.Raw("</details>");
    }
    html.Raw("</div>");
  }
  html.Raw("</article>");
  if (!comment.replies.empty()) {
    html.Raw("<ol class=\"replies\">");
    for (const social::Comment& reply : comment.replies) CommentItem(html, services, visit, viewer, reply, draft, now);
    html.Raw("</ol>");
  }
  if (comment.replies_truncated) {
    html.Raw("<p class=\"comment-more\">This thread has more replies than are shown here.</p>");
  }
  html.Raw("</li>");
}

Response PostPage(const PageServices& services, Visit& visit, const Request& request, std::int64_t post_id,
                  const CommentDraft& draft = {}, int status = 200) {
  const std::int64_t shop_id = visit.shop.id;
  Viewer viewer;
  viewer.signed_in = visit.customer.has_value();
  if (auto profile = ViewerProfile(services, visit)) viewer.profile_id = profile->id;
  auto post = services.posts.GetPost(shop_id, post_id, viewer.profile_id);
  if (!post.ok())
    return post.error().code == ErrorCode::kNotFound ? NotFound(services, visit) : Failed(services, visit);
  social::PageRequest page{.limit = kCommentsPerPage};
  if (auto after = request.Query("comments_after"); after && IsCursor(*after)) page.cursor = std::string(*after);
  auto comments = services.comments.ListComments(shop_id, post_id, viewer.profile_id, page);
  if (!comments.ok() && !page.cursor.empty()) {
    page.cursor.clear();
    comments = services.comments.ListComments(shop_id, post_id, viewer.profile_id, page);
  }
  if (!comments.ok()) return Failed(services, visit);
  auto extras = LoadPostExtras(services, visit, std::span(&*post, 1));
  if (!extras.ok()) return Failed(services, visit);
  const std::string path = PostPath(post_id);
  const TimePoint now = services.clock.Now();

  HtmlWriter html;
  html.Raw("<div class=\"post-page\">");
  if (post->group_id) {
    auto group = services.groups.ViewGroupById(shop_id, *post->group_id, viewer.profile_id);
    if (group.ok()) {
      html.Raw("<p class=\"post-context\">Posted in <a href=\"/groups/")
          .Text(group->group.handle)
          .Raw("\">")
          .Text(group->group.name)
          .Raw("</a></p>");
    }
  }
  PostCard(html, services, visit, *post, *extras,
           {.return_to = path, .on_post_page = true, .viewer = viewer.profile_id});

  // The link a share produced comes back in the query; only a link to this post is shown.
  const std::string shared(request.Query("shared").value_or(""));
  if (SafeNext(shared) && shared.starts_with(path + "?")) {
    const std::string link = AbsoluteUrl(services, shared);
    html.Raw(
            "<section class=\"share-result\" id=\"share\" aria-labelledby=\"share-title\"><h2 id=\"share-title\">"
            "Share this post</h2><label for=\"share-link\">Your link (copy it; orders it brings are credited to you)"
            "</label><input id=\"share-link\" readonly value=\"")
        .Text(link)
        .Raw("\">");
    const std::string channel(request.Query("channel").value_or(""));
    if (channel == "whatsapp") {
      html.Raw("<p><a href=\"https://wa.me/?text=")
          .Text(QueryEscape(link))
          .Raw("\" rel=\"noopener\">Open WhatsApp</a></p>");
    } else if (channel == "email") {
      html.Raw("<p><a href=\"mailto:?body=").Text(QueryEscape(link)).Raw("\">Write an email</a></p>");
    } else if (channel == "x") {
      html.Raw("<p><a href=\"https://x.com/intent/post?url=")
          .Text(QueryEscape(link))
          .Raw("\" rel=\"noopener\">Post on X</a></p>");
    }
    html.Raw("</section>");
  }
  if (viewer.signed_in) {
    html.Raw("<form method=\"post\" class=\"share-form\" action=\"").Text(path).Raw("/share\">");
    html.Fragment(CsrfField(*visit.customer));
    html.Raw("<label for=\"share-channel\">Share on</label><select id=\"share-channel\" name=\"channel\">");
    for (const auto& [slug, label] : kShareChannels) {
      html.Raw("<option value=\"").Text(slug).Raw("\">").Text(label).Raw("</option>");
    }
    html.Raw("</select><button type=\"submit\">Get the share link</button></form>");
  }

  html.Raw("<section class=\"comments\" id=\"comments\" aria-labelledby=\"comments-title\"><h2 id=\"comments-title\">")
      .Text(post->comment_count == 1 ? std::string("1 comment") : std::to_string(post->comment_count) + " comments")
      .Raw("</h2>");
  if (comments->comments.empty()) {
    html.Raw("<p>No comments yet.</p>");
  } else {
    html.Raw("<ol class=\"comment-list\">");
    for (const social::Comment& comment : comments->comments) {
      CommentItem(html, services, visit, viewer, comment, draft, now);
    }
    html.Raw("</ol>");
  }
  if (!comments->next_cursor.empty()) {
    html.Raw("<p><a href=\"")
        .Text(path + "?comments_after=" + comments->next_cursor)
        .Raw("#comments\">More comments</a></p>");
  }
  if (viewer.profile_id) {
    CommentForm(html, visit, post_id, std::nullopt, "Add a comment", draft);
  } else if (viewer.signed_in) {
    html.Raw("<p><a href=\"").Text(NewProfilePath(path)).Raw("\">Create your community profile</a> to comment.</p>");
  } else {
    html.Raw("<p><a href=\"").Text(LogInPath(path)).Raw("\">Log in</a> to comment.</p>");
  }
  html.Raw("</section></div>");

  PageMeta meta;
  meta.title = "Post by " + std::string(Name(post->author));
  std::string summary = post->text.substr(0, std::min<std::size_t>(post->text.size(), 160));
  while (!summary.empty() && (static_cast<unsigned char>(summary.back()) & 0xC0) == 0x80) summary.pop_back();
  if (!summary.empty() && static_cast<unsigned char>(summary.back()) >= 0xC0) summary.pop_back();
  meta.description = summary;
  meta.path = path;
  meta.og_type = "article";
  for (std::int64_t media_id : post->media_ids) {
    const auto asset = extras->media.find(media_id);
    if (asset == extras->media.end() || asset->second.renditions.empty()) continue;
    meta.image_url = AbsoluteUrl(services, media::MediaPath(asset->second, asset->second.renditions.back().width));
    break;
  }
  // A held post, a post in a group and the page answering a form are nobody else's to index.
  meta.noindex = post->visibility != social::ContentVisibility::kVisible || post->group_id.has_value() || status != 200;
  return ShopPage(services, visit, meta, {html.Take()}, status);
}

// ---- actions ----

using PostAction = Result<social::Post> (social::PostService::*)(std::int64_t, std::int64_t, std::int64_t);

Response SimpleAction(const PageServices& services, const Request& request, PostAction action) {
  const auto post_id = ParseId(request.PathParam("id"));
  auto begun = BeginAction(services, request, post_id ? PostPath(*post_id) : "/feed");
  if (auto* answer = std::get_if<Response>(&begun)) return std::move(*answer);
  Actor& actor = std::get<Actor>(begun);
  if (!post_id) return NotFound(services, actor.visit);
  auto done = (services.posts.*action)(actor.visit.shop.id, actor.profile_id, *post_id);
  if (!done.ok()) {
    return done.error().code == ErrorCode::kNotFound ? NotFound(services, actor.visit) : Failed(services, actor.visit);
  }
  return RedirectAfterPost(actor.visit, ReturnTo(actor.form, *post_id));
}

Response Share(const PageServices& services, const Request& request) {
  const auto post_id = ParseId(request.PathParam("id"));
  auto begun = BeginAction(services, request, post_id ? PostPath(*post_id) : "/feed");
  if (auto* answer = std::get_if<Response>(&begun)) return std::move(*answer);
  Actor& actor = std::get<Actor>(begun);
  if (!post_id) return NotFound(services, actor.visit);
  std::string channel = FormValue(actor.form, "channel");
  if (channel.empty()) channel = "link";
  auto share = services.posts.SharePost(actor.visit.shop.id, actor.profile_id, *post_id, channel);
  if (!share.ok()) {
    if (share.error().code == ErrorCode::kNotFound) return NotFound(services, actor.visit);
    if (share.error().code == ErrorCode::kInvalidArgument) {
      return MessagePage(services, actor.visit, "Share", "Choose where to share the post from the list.", 422);
    }
    return Failed(services, actor.visit);
  }
  return RedirectAfterPost(actor.visit, PostPath(*post_id) + "?shared=" + QueryEscape(share->path) +
                                            "&channel=" + QueryEscape(share->channel) + "#share");
}

Response DeletePost(const PageServices& services, const Request& request) {
  const auto post_id = ParseId(request.PathParam("id"));
  auto begun = BeginAction(services, request, post_id ? PostPath(*post_id) : "/feed");
  if (auto* answer = std::get_if<Response>(&begun)) return std::move(*answer);
  Actor& actor = std::get<Actor>(begun);
  if (!post_id) return NotFound(services, actor.visit);
  const Status deleted = services.posts.DeletePost(actor.visit.shop.id, actor.profile_id, *post_id);
  if (!deleted.ok()) {
    return deleted.error().code == ErrorCode::kNotFound ? NotFound(services, actor.visit)
                                                        : Failed(services, actor.visit);
  }
  // The post's own page is gone; a list it was deleted from is still there.
  std::string back = ReturnTo(actor.form, *post_id);
  if (back == PostPath(*post_id) || back.starts_with(PostPath(*post_id) + "?")) back = "/feed";
  return RedirectAfterPost(actor.visit, back);
}

std::string CommentError(const Error& error) {
  if (error.type == "social/thread-too-deep") return "This conversation is too deep to reply here; reply above it.";
  if (error.field == "/text" || error.type.starts_with("moderation/")) {
    std::string message = error.detail;
    if (!message.empty()) message[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(message[0])));
    if (!message.empty() && message.back() != '.') message += '.';
    return message;
  }
  return "Your comment could not be posted; please try again.";
}

Response Comment(const PageServices& services, const Request& request) {
  const auto post_id = ParseId(request.PathParam("id"));
  auto begun = BeginAction(services, request, post_id ? PostPath(*post_id) + "#comments" : "/feed");
  if (auto* answer = std::get_if<Response>(&begun)) return std::move(*answer);
  Actor& actor = std::get<Actor>(begun);
  if (!post_id) return NotFound(services, actor.visit);
  CommentDraft draft{.text = FormValue(actor.form, "text")};
  const std::string parent_text = FormValue(actor.form, "parent_id");
  if (!parent_text.empty()) {
    draft.parent_id = ParseId(parent_text);
    if (!draft.parent_id) return NotFound(services, actor.visit);
  }
  if (text::TrimAscii(draft.text).empty()) {
    draft.error = "Write something before posting.";
    return PostPage(services, actor.visit, request, *post_id, draft, 422);
  }
  auto comment =
      services.comments.CreateComment(actor.visit.shop.id, actor.profile_id, *post_id, draft.parent_id, draft.text);
  if (comment.ok()) {
    return RedirectAfterPost(actor.visit, PostPath(*post_id) + "#comment-" + std::to_string(comment->id));
  }
  const Error& error = comment.error();
  if (error.code == ErrorCode::kNotFound) {
    if (!draft.parent_id) return NotFound(services, actor.visit);
    return MessagePage(services, actor.visit, "Comment not found", "The comment you replied to is no longer here.",
                       404);
  }
  if (error.code == ErrorCode::kUnavailable || error.code == ErrorCode::kInternal) return Failed(services, actor.visit);
  draft.error = CommentError(error);
  const int status = error.code == ErrorCode::kRateLimited        ? 429
                     : error.code == ErrorCode::kPermissionDenied ? 403
                                                                  : 422;
  return PostPage(services, actor.visit, request, *post_id, draft, status);
}

Response DeleteComment(const PageServices& services, const Request& request) {
  const auto post_id = ParseId(request.PathParam("id"));
  const auto comment_id = ParseId(request.PathParam("comment"));
  auto begun = BeginAction(services, request, post_id ? PostPath(*post_id) : "/feed");
  if (auto* answer = std::get_if<Response>(&begun)) return std::move(*answer);
  Actor& actor = std::get<Actor>(begun);
  if (!post_id || !comment_id) return NotFound(services, actor.visit);
  const Status deleted = services.comments.DeleteComment(actor.visit.shop.id, actor.profile_id, *comment_id);
  if (!deleted.ok()) {
    if (deleted.error().code == ErrorCode::kNotFound) {
      return MessagePage(services, actor.visit, "Comment not found", "This comment is not yours or is gone.", 404);
    }
    return Failed(services, actor.visit);
  }
  return RedirectAfterPost(actor.visit, PostPath(*post_id) + "#comments");
}

// ---- compose ----

struct ComposeForm {
  std::string text{};
  std::optional<community::Group> group{};
  std::string search{};
  std::vector<catalog::Product> tagged{};                    // checked
  std::vector<catalog::SearchHit> found{};                   // the search's results not already checked
  std::map<std::string, std::string, std::less<>> errors{};  // by field: text, photos, products
  std::string general_error{};
};

void FieldError(HtmlWriter& html, const ComposeForm& form, std::string_view field) {
  const auto found = form.errors.find(field);
  if (found == form.errors.end()) return;
  html.Raw("<p class=\"field-error\" role=\"alert\" id=\"")
      .Text(field)
      .Raw("-error\">")
      .Text(found->second)
      .Raw("</p>");
}

void Described(HtmlWriter& html, const ComposeForm& form, std::string_view field) {
  if (form.errors.contains(field)) html.Raw(" aria-invalid=\"true\" aria-describedby=\"").Text(field).Raw("-error\"");
}

// The compose page with the group and product it was opened for, to come back to after
// logging in or creating a profile.
std::string ComposeNext(const Request& request) {
  std::string path = "/posts/new";
  char separator = '?';
  for (const std::string_view name : {"group", "product"}) {
    if (auto value = request.Query(name); value && !value->empty()) {
      path += separator;
      path += std::string(name) + "=" + QueryEscape(*value);
      separator = '&';
    }
  }
  return path;
}

void ProductCheckbox(HtmlWriter& html, std::int64_t product_id, std::string_view title, bool checked) {
  const std::string id = std::to_string(product_id);
  html.Raw("<div class=\"choice\"><input type=\"checkbox\" id=\"tag-")
      .Text(id)
      .Raw("\" name=\"tag_")
      .Text(id)
      .Raw("\" value=\"")
      .Text(id)
      .Raw("\"")
      .Raw(checked ? " checked" : "")
      .Raw("><label for=\"tag-")
      .Text(id)
      .Raw("\">")
      .Text(title)
      .Raw("</label></div>");
}

Response ComposePage(const PageServices& services, const Visit& visit, const ComposeForm& form, int status) {
  HtmlWriter html;
  html.Raw("<div class=\"compose\"><h1>")
      .Text(form.group ? "New post in " + form.group->name : std::string("New post"))
      .Raw("</h1>")
      .Fragment(Alert(form.general_error));

  // The picker is its own GET form, so searching never submits the post; the products
  // already chosen ride along as `tagged`.
  html.Raw("<form method=\"get\" action=\"/posts/new\" class=\"tag-search\" role=\"search\">");
  if (form.group) html.Raw("<input type=\"hidden\" name=\"group\" value=\"").Text(form.group->handle).Raw("\">");
  for (const catalog::Product& product : form.tagged) {
    html.Raw("<input type=\"hidden\" name=\"tagged\" value=\"").Text(std::to_string(product.id)).Raw("\">");
  }
  html.Raw("<label for=\"tag-q\">Find products to tag</label><input id=\"tag-q\" name=\"q\" type=\"search\" value=\"")
      .Text(form.search)
      .Raw(
          "\"><button type=\"submit\">Search products</button>"
          "<p class=\"hint\">Search before writing: the search reloads this page.</p></form>");

  html.Raw("<form method=\"post\" enctype=\"multipart/form-data\" action=\"/posts/new\" class=\"compose-form\">");
  html.Fragment(CsrfField(*visit.customer));
  if (form.group) html.Raw("<input type=\"hidden\" name=\"group\" value=\"").Text(form.group->handle).Raw("\">");
  html.Raw(
          "<label for=\"text\">What would you like to share?</label><textarea id=\"text\" name=\"text\" rows=\"6\" "
          "maxlength=\"")
      .Text(std::to_string(social::kMaxPostLength))
      .Raw("\"");
  Described(html, form, "text");
  html.Raw(">").Text(form.text).Raw("</textarea>");
  FieldError(html, form, "text");
  html.Raw("<label for=\"photos\">Photos (JPEG, PNG or WebP, up to ")
      .Text(std::to_string(kMaxFormFiles))
      .Raw(
          ")</label><input type=\"file\" id=\"photos\" name=\"photos\" accept=\"image/jpeg,image/png,image/webp\" "
          "multiple");
  Described(html, form, "photos");
  html.Raw(">");
  FieldError(html, form, "photos");
  html.Raw(
      "<label for=\"photos_alt\">Describe the photos for people who cannot see them (optional)</label>"
      "<input id=\"photos_alt\" name=\"photos_alt\" maxlength=\"500\">");
  html.Raw("<fieldset class=\"tag-picker\"");
  Described(html, form, "products");
  html.Raw("><legend>Tagged products</legend>");
  FieldError(html, form, "products");
  if (form.tagged.empty() && form.found.empty()) {
    html.Raw(form.search.empty() ? "<p>Search above to tag products from the shop.</p>"
                                 : "<p>No products match that search.</p>");
  }
  for (const catalog::Product& product : form.tagged) ProductCheckbox(html, product.id, product.title, true);
  for (const catalog::SearchHit& hit : form.found) ProductCheckbox(html, hit.product_id, hit.title, false);
  html.Raw("</fieldset><button type=\"submit\">Publish</button></form></div>");
  return ShopPage(services, visit, PrivateMeta("New post", "/posts/new"), {html.Take()}, status);
}

// The products `ids` names that are on the online store, in that order.
Result<std::vector<catalog::Product>> TaggableProducts(const PageServices& services, std::int64_t shop_id,
                                                       std::vector<std::int64_t> ids) {
  if (ids.empty()) return std::vector<catalog::Product>{};
  if (ids.size() > social::kMaxProductTags) ids.resize(social::kMaxProductTags);
  return services.db.Read([&](store::Transaction& tx) -> Result<std::vector<catalog::Product>> {
    PLAZA_ASSIGN_OR_RETURN(std::vector<catalog::Product> products, catalog::GetProducts(tx, shop_id, ids));
    std::erase_if(products, [](const catalog::Product& product) {
      return !catalog::IsVisibleOn(product, catalog::Channel::kOnlineStore);
    });
    return products;
  });
}

// The group named by `handle` when the viewer may see it; nullopt for an empty handle.
std::variant<std::optional<community::Group>, Response> FindGroup(const PageServices& services, const Visit& visit,
                                                                  std::string_view handle, std::int64_t viewer) {
  if (handle.empty()) return std::optional<community::Group>();
  auto group = services.groups.ViewGroup(visit.shop.id, handle, viewer);
  if (group.ok()) return std::optional<community::Group>(std::move(group->group));
  if (group.error().code == ErrorCode::kNotFound || group.error().code == ErrorCode::kInvalidArgument) {
    return MessagePage(services, visit, "Group not found", "There is no group at this address.", 404);
  }
  return Failed(services, visit);
}

Response ComposeGet(const PageServices& services, const Request& request) {
  auto visit = BeginVisit(services, request);
  if (!visit.ok()) return Response::Problem(visit.error(), request.request_id);
  const std::string here = ComposeNext(request);
  if (!visit->customer) return RedirectAfterPost(*visit, LogInPath(here));
  const auto profile = ViewerProfile(services, *visit);
  if (!profile) return RedirectAfterPost(*visit, NewProfilePath(here));
  ComposeForm form;
  auto group = FindGroup(services, *visit, request.Query("group").value_or(""), profile->id);
  if (auto* answer = std::get_if<Response>(&group)) return std::move(*answer);
  form.group = std::get<std::optional<community::Group>>(std::move(group));

  std::vector<std::int64_t> ids;
  for (std::string_view text : request.query.GetAll("tagged")) {
    if (auto id = ParseId(text); id && std::find(ids.begin(), ids.end(), *id) == ids.end()) ids.push_back(*id);
  }
  if (auto handle = request.Query("product"); handle && catalog::IsValidHandle(*handle)) {
    auto product = services.catalog.GetProductByHandle(visit->shop.id, *handle);
    if (product.ok() && std::find(ids.begin(), ids.end(), product->id) == ids.end()) ids.push_back(product->id);
  }
  auto tagged = TaggableProducts(services, visit->shop.id, ids);
  if (!tagged.ok()) return Failed(services, *visit);
  form.tagged = std::move(tagged).value();

  form.search = std::string(text::TrimAscii(request.Query("q").value_or("")));
  if (!form.search.empty()) {
    catalog::SearchQuery query;
    query.channel = catalog::Channel::kOnlineStore;
    query.text = form.search;
    query.limit = kPickerResults;
    query.with_facets = false;
    auto result = services.catalog.Search(visit->shop.id, query);
    if (!result.ok()) {
      if (result.error().code != ErrorCode::kInvalidArgument) return Failed(services, *visit);
      form.errors["products"] = "That search could not be read; try other words.";
    } else {
      for (catalog::SearchHit& hit : result->hits) {
        const bool checked = std::any_of(form.tagged.begin(), form.tagged.end(),
                                         [&](const catalog::Product& product) { return product.id == hit.product_id; });
        if (!checked) form.found.push_back(std::move(hit));
      }
    }
  }
  return ComposePage(services, *visit, form, 200);
}

// Which field of the compose form an error of PostService belongs to.
std::string_view ComposeField(const Error& error) {
  if (error.field.starts_with("/text")) return "text";
  if (error.field.starts_with("/media_ids") || error.field.starts_with("/photos")) return "photos";
  if (error.field.starts_with("/products")) return "products";
  return "";
}

Response ComposePost(const PageServices& services, const Request& request) {
  auto visit = BeginVisit(services, request);
  if (!visit.ok()) return Response::Problem(visit.error(), request.request_id);
  if (CrossOrigin(request)) return CrossSiteRefused(services, *visit);
  if (!visit->customer) return RedirectAfterPost(*visit, LogInPath("/posts/new"));
  const auto profile = ViewerProfile(services, *visit);
  if (!profile) return RedirectAfterPost(*visit, NewProfilePath("/posts/new"));
  // The token is checked before any photo is stored, so a forged form stores nothing.
  auto parts = http::ParseMultipartFormData(request, {.max_parts = 32});
  if (!parts.ok()) {
    return MessagePage(services, *visit, "Form not understood", "The form could not be read; please try again.", 400);
  }
  const http::MultipartPart* token = parts->Find("csrf_token");
  if (token == nullptr || token->filename || !identity::CheckCsrf(*visit->customer, token->body).ok()) {
    return MessagePage(services, *visit, "The form expired", "The form expired; reload the page and try again.", 403);
  }
  ComposeForm form;
  // A refused photo keeps what was typed.
  if (const http::MultipartPart* text = parts->Find("text"); text != nullptr && !text->filename) {
    form.text = std::string(text->body);
  }
  auto upload = ReadUploadForm(request, services.media, visit->shop.id, profile->id);
  if (!upload.ok()) {
    if (upload.error().type.starts_with("http/")) {
      return MessagePage(services, *visit, "Form not understood", "The form could not be read; please try again.", 400);
    }
    form.errors["photos"] = Sentence(upload.error().detail);
    return ComposePage(services, *visit, form, upload.error().code == ErrorCode::kPayloadTooLarge ? 413 : 422);
  }
  form.text = upload->Field("text");
  auto group = FindGroup(services, *visit, upload->Field("group"), profile->id);
  if (auto* answer = std::get_if<Response>(&group)) return std::move(*answer);
  form.group = std::get<std::optional<community::Group>>(std::move(group));

  social::NewPost post{.text = form.text, .media_ids = upload->Media("photos")};
  std::vector<std::int64_t> tagged;
  for (const auto& [name, value] : upload->fields) {
    if (!name.starts_with("tag_")) continue;
    if (auto id = ParseId(value)) tagged.push_back(*id);
  }
  for (std::int64_t id : tagged) post.products.push_back({.product_id = id});
  if (form.group) post.group_id = form.group->id;
  auto created = services.posts.CreatePost(visit->shop.id, profile->id, post);
  if (created.ok()) return RedirectAfterPost(*visit, PostPath(created->id));

  const Error& error = created.error();
  if (error.code == ErrorCode::kUnavailable || error.code == ErrorCode::kInternal) return Failed(services, *visit);
  auto products = TaggableProducts(services, visit->shop.id, tagged);
  if (products.ok()) form.tagged = std::move(products).value();
  const std::string_view field = ComposeField(error);
  if (error.type == "social/empty-post") {
    form.errors["text"] = "Write something, add a photo or tag a product.";
  } else if (!field.empty()) {
    form.errors[std::string(field)] = Sentence(error.detail);
  } else if (error.code == ErrorCode::kNotFound) {
    form.general_error = "You cannot post in this group.";
  } else {
    form.general_error = Sentence(error.detail);
  }
  if (!post.media_ids.empty() && !form.errors.contains("photos")) {
    form.errors["photos"] = "Choose your photos again; they were not kept because the post could not be published.";
  }
  const int status = error.code == ErrorCode::kRateLimited        ? 429
                     : error.code == ErrorCode::kPermissionDenied ? 403
                                                                  : 422;
  return ComposePage(services, *visit, form, status);
}

// ---- hashtags ----

Response HashtagPage(const PageServices& services, const Request& request) {
  auto visit = BeginVisit(services, request);
  if (!visit.ok()) return Response::Problem(visit.error(), request.request_id);
  const auto tag = social::NormalizeHashtag(request.PathParam("tag"));
  if (!tag) return MessagePage(services, *visit, "Not found", "This is not a hashtag.", 404);
  std::optional<std::int64_t> viewer;
  if (auto profile = ViewerProfile(services, *visit)) viewer = profile->id;
  social::PageRequest page{.limit = kPostsPerPage};
  if (auto after = request.Query("after"); after && IsCursor(*after)) page.cursor = std::string(*after);
  auto posts = services.posts.ListHashtagPosts(visit->shop.id, *tag, viewer, page);
  if (!posts.ok() && !page.cursor.empty()) {
    page.cursor.clear();
    posts = services.posts.ListHashtagPosts(visit->shop.id, *tag, viewer, page);
  }
  if (!posts.ok()) return Failed(services, *visit);
  const std::string path = "/hashtags/" + QueryEscape(*tag);
  HtmlWriter html;
  html.Raw("<div class=\"hashtag-page\"><h1>#").Text(*tag).Raw("</h1>");
  if (visit->customer) html.Raw("<p><a class=\"button\" href=\"/posts/new\">New post</a></p>");
  PostList(html, services, *visit, posts->posts,
           {.return_to = page.cursor.empty() ? path : path + "?after=" + page.cursor, .viewer = viewer},
           "No posts with this hashtag yet.");
  if (!posts->next_cursor.empty()) {
    html.Raw("<p><a href=\"").Text(path + "?after=" + posts->next_cursor).Raw("\">Older posts</a></p>");
  }
  html.Raw("</div>");
  PageMeta meta;
  meta.title = "#" + *tag;
  meta.description = "Posts about #" + *tag + " from the community of " + visit->shop.name + ".";
  meta.path = path;
  meta.noindex = !page.cursor.empty() || posts->posts.empty();
  return ShopPage(services, *visit, meta, {html.Take()});
}

}  // namespace

void RegisterPostPages(http::Router& router, const PageServices& services) {
  router.Get("/posts/new", [&services](Request& request) { return ComposeGet(services, request); });
  UploadRoutes(router, services.media).Post("/posts/new", [&services](Request& request) {
    return ComposePost(services, request);
  });
  router.Get("/posts/{id}", [&services](Request& request) -> Response {
    auto visit = BeginVisit(services, request);
    if (!visit.ok()) return Response::Problem(visit.error(), request.request_id);
    const auto post_id = ParseId(request.PathParam("id"));
    if (!post_id) return NotFound(services, *visit);
    return PostPage(services, *visit, request, *post_id);
  });
  router.Post("/posts/{id}/like",
              [&services](Request& request) { return SimpleAction(services, request, &social::PostService::Like); });
  router.Post("/posts/{id}/unlike",
              [&services](Request& request) { return SimpleAction(services, request, &social::PostService::Unlike); });
  router.Post("/posts/{id}/save",
              [&services](Request& request) { return SimpleAction(services, request, &social::PostService::Save); });
  router.Post("/posts/{id}/unsave",
              [&services](Request& request) { return SimpleAction(services, request, &social::PostService::Unsave); });
  router.Post("/posts/{id}/share", [&services](Request& request) { return Share(services, request); });
  router.Post("/posts/{id}/delete", [&services](Request& request) { return DeletePost(services, request); });
  router.Post("/posts/{id}/comments", [&services](Request& request) { return Comment(services, request); });
  router.Post("/posts/{id}/comments/{comment}/delete",
              [&services](Request& request) { return DeleteComment(services, request); });
  router.Get("/hashtags/{tag}", [&services](Request& request) { return HashtagPage(services, request); });
}

}  // namespace plaza::web::storefront
