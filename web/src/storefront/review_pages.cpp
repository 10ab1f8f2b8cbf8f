// Reviews and questions on the storefront: the product page's sections (ReviewSections),
// the review form with photo upload, the question, answer, upvote and accept forms, and
// the account page's choice of review-request e-mails (ReviewEmailSection).
// Everything a customer wrote is escaped; photos are shown only from Plaza's own media
// paths. Every form of a signed-in customer carries the session's CSRF token and
// redirects back to the product page (303).

#include <algorithm>
#include <charconv>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "../form.h"
#include "../same_origin.h"
#include "plaza/catalog/catalog.h"
#include "plaza/http/multipart.h"
#include "plaza/identity/permissions.h"
#include "plaza/media/media.h"
#include "plaza/reviews/questions.h"
#include "plaza/reviews/review_request_mail.h"
#include "plaza/reviews/reviews.h"
#include "review_sections.h"
#include "routes.h"
#include "shop_page.h"
#include "social_frame.h"

namespace plaza::web::storefront {
namespace {

using http::Request;
using http::Response;
using FieldErrors = std::map<std::string, std::string, std::less<>>;
using Fields = std::map<std::string, std::string, std::less<>>;

// The photos of one review form; more are refused by the review service anyway.
constexpr std::size_t kMaxUploads = reviews::kMaxPhotos;

std::string Value(const Fields& fields, std::string_view name) {
  const auto found = fields.find(name);
  return found == fields.end() ? std::string() : found->second;
}

void Stars(HtmlWriter& html, int rating) {
  html.Raw("<span class=\"stars\" role=\"img\" aria-label=\"").Text(std::to_string(rating)).Raw(" out of 5 stars\">");
  for (int star = 1; star <= 5; ++star) html.Raw(star <= rating ? "\xE2\x98\x85" : "\xE2\x98\x86");
  html.Raw("</span>");
}

std::string Tenths(std::int64_t tenths) {
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10);
}

std::string DateText(TimePoint at) {
  const auto day = std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(at)};
  static constexpr const char* kMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                                            "July",    "August",   "September", "October", "November", "December"};
  return std::to_string(static_cast<unsigned>(day.day())) + " " + kMonths[static_cast<unsigned>(day.month()) - 1] +
         " " + std::to_string(static_cast<int>(day.year()));
}

std::string ProfileName(const PageServices& services, std::int64_t shop_id, std::int64_t profile_id) {
  auto profile = services.profiles.GetProfile(shop_id, profile_id);
  if (!profile.ok()) return "A customer";
  return profile->display_name.empty() ? profile->handle : profile->display_name;
}

// The signed-in customer's social profile id, when they have one.
std::optional<std::int64_t> ViewerProfileId(const PageServices& services, const Visit& visit) {
  const auto profile = ViewerProfile(services, visit);
  return profile ? std::optional<std::int64_t>(profile->id) : std::nullopt;
}

std::string ReviewsLink(std::string_view product_path, std::string_view sort, std::optional<int> stars,
                        std::string_view after = {}) {
  std::string link(product_path);
  link += "?sort=";
  link += sort;
  if (stars) link += "&stars=" + std::to_string(*stars);
  if (!after.empty()) {
    link += "&reviews_after=";
    link += after;
  }
  link += "#reviews";
  return link;
}

void RatingSummaryHtml(HtmlWriter& html, const reviews::RatingSummary& rating) {
  html.Raw("<div class=\"rating-summary\">");
  if (rating.count == 0) {
    html.Raw("<p>No reviews yet.</p></div>");
    return;
  }
  const int rounded = static_cast<int>((rating.average_tenths + 5) / 10);
  html.Raw("<p class=\"rating-average\">");
  Stars(html, rounded);
  html.Raw(" <strong>")
      .Text(Tenths(rating.average_tenths))
      .Raw("</strong> out of 5, from ")
      .Text(std::to_string(rating.count))
      .Raw(rating.count == 1 ? " review" : " reviews")
      .Raw("</p><table class=\"rating-histogram\"><caption>Reviews by rating</caption><tbody>");
  for (int stars = 5; stars >= 1; --stars) {
    const std::int64_t count = rating.histogram.at(static_cast<std::size_t>(stars - 1));
    const std::int64_t percent = rating.count == 0 ? 0 : (count * 100 + rating.count / 2) / rating.count;
    html.Raw("<tr><th scope=\"row\">")
        .Text(std::to_string(stars))
        .Raw(stars == 1 ? " star" : " stars")
        .Raw("</th><td><meter min=\"0\" max=\"100\" value=\"")
        .Text(std::to_string(percent))
        .Raw("\">")
        .Text(std::to_string(percent))
        .Raw("%</meter></td><td>")
        .Text(std::to_string(count))
        .Raw("</td></tr>");
  }
  html.Raw("</tbody></table></div>");
}

void ReviewHtml(HtmlWriter& html, const PageServices& services, const Visit& visit, const reviews::Review& review) {
  html.Raw("<li class=\"review\"><article aria-label=\"Review by ")
      .Text(ProfileName(services, visit.shop.id, review.author_profile_id))
      .Raw("\"><p>");
  Stars(html, review.rating);
  html.Raw(" <strong>")
      .Text(review.title)
      .Raw("</strong></p><p class=\"review-meta muted\">")
      .Text(ProfileName(services, visit.shop.id, review.author_profile_id))
      .Raw(", <time datetime=\"")
      .Text(std::to_string(
          std::chrono::duration_cast<std::chrono::milliseconds>(review.created_at.time_since_epoch()).count()))
      .Raw("\">")
      .Text(DateText(review.created_at))
      .Raw("</time>");
  if (review.verified_buyer) html.Raw(" <span class=\"badge badge-verified\">Verified buyer</span>");
  html.Raw("</p>");
  if (review.visibility == reviews::Visibility::kHeld) {
    html.Raw("<p class=\"badge badge-held\">Awaiting review: only you can see this for now.</p>");
  }
  if (review.incentivised) {
    html.Raw(
        "<p class=\"review-disclosure\">The reviewer received an incentive, such as a free product or a discount, "
        "for this review.</p>");
  }
  if (!review.body.empty()) html.Raw("<p class=\"review-body\">").Text(review.body).Raw("</p>");
  if (!review.media_ids.empty()) {
    html.Raw("<div class=\"review-photos\">");
    for (const std::int64_t media_id : review.media_ids) {
      auto asset = services.media.Get(visit.shop.id, media_id);
      if (asset.ok()) MediaImage(html, *asset, "Photo from the review", "(min-width: 48rem) 10rem, 30vw", 320);
    }
    html.Raw("</div>");
  }
  if (review.reply && !review.reply->text.empty()) {
    html.Raw("<div class=\"merchant-reply\"><p><strong>Reply from ")
        .Text(visit.shop.name)
        .Raw("</strong></p><p>")
        .Text(review.reply->text)
        .Raw("</p></div>");
  }
  html.Raw("</article></li>");
}

void UpvoteForm(HtmlWriter& html, const Visit& visit, std::string_view action, std::string_view target,
                std::optional<std::int64_t> answer_id, std::int64_t upvotes, std::string_view what) {
  html.Raw("<form method=\"post\" class=\"inline-form\" action=\"").Text(action).Raw("\">");
  html.Fragment(CsrfField(*visit.customer));
  html.Raw("<input type=\"hidden\" name=\"target\" value=\"").Text(target).Raw("\">");
  if (answer_id)
    html.Raw("<input type=\"hidden\" name=\"answer_id\" value=\"").Text(std::to_string(*answer_id)).Raw("\">");
  html.Raw("<button type=\"submit\" aria-label=\"Helpful: upvote this ")
      .Text(what)
      .Raw(" (")
      .Text(std::to_string(upvotes))
      .Raw(")\">Helpful (")
      .Text(std::to_string(upvotes))
      .Raw(")</button></form>");
}

// `may_answer`: QuestionService::MayAnswer for the viewer, so the form is offered only to
// those whose answer would be taken.
void QuestionHtml(HtmlWriter& html, const PageServices& services, const Visit& visit,
                  std::optional<std::int64_t> viewer, bool may_answer, std::string_view product_path,
                  const reviews::Question& question) {
  const std::string base = std::string(product_path) + "/questions/" + std::to_string(question.id);
  html.Raw("<li class=\"question\"><article aria-label=\"Question\"><p class=\"question-text\"><strong>Q:</strong> ")
      .Text(question.text)
      .Raw("</p><p class=\"muted\">Asked by ")
      .Text(ProfileName(services, visit.shop.id, question.author_profile_id))
      .Raw(" on ")
      .Text(DateText(question.created_at))
      .Raw("</p>");
  if (question.visibility == reviews::Visibility::kHeld) {
    html.Raw("<p class=\"badge badge-held\">Awaiting review: only you can see this for now.</p>");
  }
  if (viewer) UpvoteForm(html, visit, base + "/upvote", "question", std::nullopt, question.upvotes, "question");
  html.Raw("<ul class=\"answers\">");
  for (const reviews::Answer& answer : question.answers) {
    const bool accepted = question.accepted_answer_id == answer.id;
    html.Raw("<li class=\"answer\"><p>");
    if (accepted) html.Raw("<span class=\"badge badge-accepted\">Accepted answer</span> ");
    if (answer.by_brand) {
      html.Raw("<span class=\"badge badge-brand\">Answer from ").Text(visit.shop.name).Raw("</span> ");
    } else if (answer.author_profile_id) {
      html.Text(ProfileName(services, visit.shop.id, *answer.author_profile_id));
      if (answer.verified_owner) html.Raw(" <span class=\"badge badge-verified\">Owns this product</span>");
    }
    html.Raw("</p><p class=\"answer-text\">").Text(answer.text).Raw("</p>");
    if (answer.visibility == reviews::Visibility::kHeld) {
      html.Raw("<p class=\"badge badge-held\">Awaiting review: only you can see this for now.</p>");
    }
    if (viewer) {
      UpvoteForm(html, visit, base + "/upvote", "answer", answer.id, answer.upvotes, "answer");
      if (*viewer == question.author_profile_id && !accepted) {
        html.Raw("<form method=\"post\" class=\"inline-form\" action=\"").Text(base + "/accept").Raw("\">");
        html.Fragment(CsrfField(*visit.customer));
        html.Raw("<input type=\"hidden\" name=\"answer_id\" value=\"")
            .Text(std::to_string(answer.id))
            .Raw("\"><button type=\"submit\">Accept this answer</button></form>");
      }
    }
    html.Raw("</li>");
  }
  html.Raw("</ul>");
  if (viewer && may_answer) {
    const std::string id = "answer-" + std::to_string(question.id);
    html.Raw("<details><summary>Answer this question</summary><form method=\"post\" action=\"")
        .Text(base + "/answers")
        .Raw("\">");
    html.Fragment(CsrfField(*visit.customer));
    html.Raw("<label for=\"")
        .Text(id)
        .Raw("\">Your answer</label><textarea id=\"")
        .Text(id)
        .Raw("\" name=\"text\" rows=\"3\" maxlength=\"3000\" required></textarea>")
        .Raw("<button type=\"submit\">Post answer</button></form></details>");
  }
  html.Raw("</article></li>");
}

void AskForm(HtmlWriter& html, const Visit& visit, std::string_view product_path, std::string_view text,
             std::string_view error) {
  html.Raw("<form method=\"post\" class=\"ask-form\" action=\"").Text(product_path).Raw("/questions\">");
  html.Fragment(CsrfField(*visit.customer));
  html.Raw(
      "<label for=\"question-text\">Ask a question about this product</label><textarea id=\"question-text\" "
      "name=\"text\" rows=\"3\" maxlength=\"1000\" required");
  if (!error.empty()) html.Raw(" aria-invalid=\"true\" aria-describedby=\"question-text-error\"");
  html.Raw(">").Text(text).Raw("</textarea>");
  if (!error.empty()) {
    html.Raw("<p id=\"question-text-error\" class=\"field-error\" role=\"alert\">").Text(error).Raw("</p>");
  }
  html.Raw("<button type=\"submit\">Ask</button></form>");
}

// Where a product page's forms land, once the product is known to be on sale here.
struct ProductTarget {
  std::int64_t id = 0;
  std::string title;
  std::string path;
};

Result<ProductTarget> FindProduct(const PageServices& services, const Visit& visit, std::string_view handle) {
  if (!catalog::IsValidHandle(handle)) return Error::NotFound("no such product");
  PLAZA_ASSIGN_OR_RETURN(catalog::Product product, services.catalog.GetProductByHandle(visit.shop.id, handle));
  if (!catalog::IsVisibleOn(product, catalog::Channel::kOnlineStore)) return Error::NotFound("no such product");
  return ProductTarget{product.id, product.title, "/products/" + product.handle};
}

Response Redirect(const Visit& visit, std::string location) {
  Response response = Response::Redirect(std::move(location));
  CarryCookies(visit, response);
  return response;
}

PageMeta FormMeta(std::string title, std::string path) {
  PageMeta meta;
  meta.title = std::move(title);
  meta.path = std::move(path);
  meta.noindex = true;
  return meta;
}

Response Message(const PageServices& services, const Visit& visit, std::string_view title, std::string_view message,
                 std::string_view back, int status) {
  HtmlWriter html;
  html.Raw("<div class=\"card\"><h1>")
      .Text(title)
      .Raw("</h1><p role=\"alert\">")
      .Text(message)
      .Raw("</p><p><a href=\"")
      .Text(back)
      .Raw("\">Back to the product</a></p></div>");
  return ShopPage(services, visit, FormMeta(std::string(title), std::string(back)), {html.Take()}, status);
}

// The review form's fields as typed, and what is wrong with them.
struct ReviewForm {
  std::string rating{};
  std::string title{};
  std::string body{};
  bool incentivised = false;
  FieldErrors errors{};
  std::string general_error{};
};

void FieldError(HtmlWriter& html, const FieldErrors& errors, std::string_view field) {
  const auto found = errors.find(field);
  if (found == errors.end()) return;
  html.Raw("<p id=\"")
      .Text(field)
      .Raw("-error\" class=\"field-error\" role=\"alert\">")
      .Text(found->second)
      .Raw("</p>");
}

void Described(HtmlWriter& html, const FieldErrors& errors, std::string_view field) {
  if (errors.contains(field)) html.Raw(" aria-invalid=\"true\" aria-describedby=\"").Text(field).Raw("-error\"");
}

Response ReviewFormPage(const PageServices& services, const Visit& visit, const ProductTarget& product,
                        const ReviewForm& form, int status) {
  HtmlWriter html;
  html.Raw("<div class=\"card review-form\"><h1>Review ").Text(product.title).Raw("</h1>");
  if (!form.general_error.empty()) html.Raw("<p class=\"alert\" role=\"alert\">").Text(form.general_error).Raw("</p>");
  html.Raw("<form method=\"post\" enctype=\"multipart/form-data\" action=\"").Text(product.path).Raw("/review\">");
  html.Fragment(CsrfField(*visit.customer));
  html.Raw("<fieldset class=\"star-input\"");
  Described(html, form.errors, "rating");
  html.Raw("><legend>Your rating</legend>");
  for (int stars = 1; stars <= 5; ++stars) {
    const std::string value = std::to_string(stars);
    html.Raw("<input type=\"radio\" name=\"rating\" id=\"rating-")
        .Text(value)
        .Raw("\" value=\"")
        .Text(value)
        .Raw("\" required")
        .Raw(form.rating == value ? " checked" : "")
        .Raw("><label for=\"rating-")
        .Text(value)
        .Raw("\">")
        .Text(value)
        .Raw(stars == 1 ? " star" : " stars")
        .Raw("</label>");
  }
  html.Raw("</fieldset>");
  FieldError(html, form.errors, "rating");
  html.Raw("<label for=\"title\">Title</label><input id=\"title\" name=\"title\" maxlength=\"150\" value=\"")
      .Text(form.title)
      .Raw("\"");
  Described(html, form.errors, "title");
  html.Raw(">");
  FieldError(html, form.errors, "title");
  html.Raw("<label for=\"body\">Your review</label><textarea id=\"body\" name=\"body\" rows=\"6\" maxlength=\"5000\"");
  Described(html, form.errors, "body");
  html.Raw(">").Text(form.body).Raw("</textarea>");
  FieldError(html, form.errors, "body");
  html.Raw(
      "<label for=\"photos\">Photos (JPEG, PNG or WebP, up to 6)</label><input type=\"file\" id=\"photos\" "
      "name=\"photos\" accept=\"image/jpeg,image/png,image/webp\" multiple");
  Described(html, form.errors, "photos");
  html.Raw(">");
  FieldError(html, form.errors, "photos");
  html.Raw("<p class=\"checkbox\"><input type=\"checkbox\" id=\"incentivised\" name=\"incentivised\" value=\"1\"")
      .Raw(form.incentivised ? " checked" : "")
      .Raw(
          "><label for=\"incentivised\">I received something for this review (a free product, a discount or "
          "another incentive)</label></p><button type=\"submit\">Publish review</button></form><p><a href=\"")
      .Text(product.path)
      .Raw("\">Back to the product</a></p></div>");
  return ShopPage(services, visit, FormMeta("Review " + product.title, product.path + "/review"), {html.Take()},
                  status);
}

// The field of the form an error of the review service names.
std::string FormField(const Error& error) {
  if (error.field.starts_with("/media_ids")) return "photos";
  if (error.field == "/rating" || error.field == "/title" || error.field == "/body") return error.field.substr(1);
  return {};
}

// Reads a review form, posted as multipart/form-data (with photos) or urlencoded.
struct PostedForm {
  Fields fields;
  std::vector<std::string_view> files;
};

Result<PostedForm> ReadPostedForm(const Request& request) {
  PostedForm posted;
  const std::string_view type = request.Header("Content-Type").value_or("");
  if (!type.starts_with("multipart/form-data")) {
    PLAZA_ASSIGN_OR_RETURN(posted.fields, ReadForm(request));
    return posted;
  }
  PLAZA_ASSIGN_OR_RETURN(const http::MultipartForm form, http::ParseMultipartFormData(request));
  for (const http::MultipartPart& part : form.parts) {
    if (part.filename) {
      if (!part.body.empty()) posted.files.push_back(part.body);
    } else {
      posted.fields.emplace(part.name, std::string(part.body));
    }
  }
  return posted;
}

// Stores each uploaded photo as the customer's media; the first refusal is the field's error.
Result<std::vector<std::int64_t>> UploadPhotos(const PageServices& services, std::int64_t shop_id,
                                               std::int64_t profile_id, const std::vector<std::string_view>& files) {
  if (files.size() > kMaxUploads) {
    return Error::Invalid("reviews/too-many-photos", "A review can have at most 6 photos.", "/media_ids");
  }
  std::vector<std::int64_t> ids;
  for (const std::string_view bytes : files) {
    PLAZA_ASSIGN_OR_RETURN(
        const media::MediaAsset asset,
        services.media.Upload(shop_id, {.bytes = bytes, .alt = {}, .uploader_profile_id = profile_id}));
    ids.push_back(asset.id);
  }
  return ids;
}

std::string PhotoError(const Error& error) {
  if (error.type == "media/too-large") return "This photo is too large; choose one under the size limit.";
  if (error.type == "media/unsupported-type") return "Photos must be JPEG, PNG or WebP images.";
  if (error.type == "media/unreadable-image") return "This photo could not be read; choose another file.";
  return error.detail;
}

// A signed-in customer with a profile posting a same-origin form with the right token.
struct Poster {
  Visit visit;
  ProductTarget product;
  std::int64_t profile_id = 0;
};

std::variant<Poster, Response> BeginPost(const PageServices& services, const Request& request, const Fields* fields) {
  auto visit = BeginVisit(services, request);
  if (!visit.ok()) return Response::Problem(visit.error(), request.request_id);
  auto product = FindProduct(services, *visit, request.PathParam("handle"));
  if (!product.ok()) return Message(services, *visit, "Not found", "There is no product at this address.", "/", 404);
  if (!visit->customer) return Redirect(*visit, "/account/login");
  if (CrossOrigin(request) || fields == nullptr ||
      !identity::CheckCsrf(*visit->customer, Value(*fields, "csrf_token")).ok()) {
    return Message(services, *visit, "The form expired", "The form expired; reload the page and try again.",
                   product->path, 403);
  }
  const auto profile = ViewerProfileId(services, *visit);
  if (!profile) {
    return Message(services, *visit, "Community profile needed",
                   "Choose a community name for your account before reviewing or asking.", product->path, 403);
  }
  return Poster{std::move(*visit), std::move(*product), *profile};
}

Response QuestionError(const PageServices& services, const Poster& poster, const Error& error, std::string_view typed) {
  if (error.code == ErrorCode::kNotFound) {
    return Message(services, poster.visit, "Not found", "That question is no longer here.", poster.product.path, 404);
  }
  HtmlWriter html;
  html.Raw("<div class=\"card\"><h1>Questions about ").Text(poster.product.title).Raw("</h1>");
  if (error.field == "/text" || error.type.starts_with("moderation/") || error.type == "reviews/not-an-owner") {
    html.Raw("<p class=\"alert\" role=\"alert\">").Text(error.detail).Raw("</p>");
  } else {
    html.Raw("<p class=\"alert\" role=\"alert\">That did not work; please try again.</p>");
  }
  AskForm(html, poster.visit, poster.product.path, typed, {});
  html.Raw("<p><a href=\"").Text(poster.product.path).Raw("\">Back to the product</a></p></div>");
  const int status = error.code == ErrorCode::kPermissionDenied ? 403
                     : error.code == ErrorCode::kRateLimited    ? 429
                                                                : 422;
  return ShopPage(services, poster.visit, FormMeta("Questions", poster.product.path), {html.Take()}, status);
}

}  // namespace

Result<Trusted> ReviewSections(const PageServices& services, const Visit& visit, const Request& request,
                               std::int64_t product_id, std::string_view product_path) {
  const std::int64_t shop_id = visit.shop.id;
  const std::optional<std::int64_t> viewer = ViewerProfileId(services, visit);
  reviews::ReviewQuery query{.product_id = product_id, .viewer_profile_id = viewer};
  if (auto sort = request.Query("sort")) {
    if (auto parsed = reviews::ParseReviewSort(*sort)) query.sort = *parsed;
  }
  if (auto stars = request.Query("stars")) {
    if (stars->size() == 1 && (*stars)[0] >= '1' && (*stars)[0] <= '5') query.rating = (*stars)[0] - '0';
  }
  if (auto after = request.Query("reviews_after"); after && IsCursor(*after)) query.page.cursor = std::string(*after);
  PLAZA_ASSIGN_OR_RETURN(const reviews::RatingSummary rating, services.reviews.GetRating(shop_id, product_id));
  auto listed = services.reviews.ListReviews(shop_id, query);
  if (!listed.ok() && listed.error().type == "reviews/invalid-cursor") {
    query.page.cursor.clear();
    listed = services.reviews.ListReviews(shop_id, query);
  }
  if (!listed.ok()) return listed.error();
  const std::string_view sort_name = reviews::ReviewSortName(query.sort);

  HtmlWriter html;
  html.Raw(
      "<section id=\"reviews\" class=\"reviews\" aria-labelledby=\"reviews-title\"><h2 id=\"reviews-title\">"
      "Reviews</h2>");
  RatingSummaryHtml(html, rating);
  html.Raw("<p><a class=\"button\" href=\"").Text(product_path).Raw("/review\">Write a review</a></p>");
  if (rating.count > 0) {
    html.Raw("<nav aria-label=\"Sort reviews\" class=\"review-sort\"><ul>");
    for (const auto sort :
         {reviews::ReviewSort::kNewest, reviews::ReviewSort::kHighest, reviews::ReviewSort::kLowest}) {
      const std::string_view name = reviews::ReviewSortName(sort);
      html.Raw("<li><a href=\"").Text(ReviewsLink(product_path, name, query.rating)).Raw("\"");
      if (sort == query.sort) html.Raw(" aria-current=\"true\"");
      html.Raw(">")
          .Raw(sort == reviews::ReviewSort::kNewest    ? "Newest"
               : sort == reviews::ReviewSort::kHighest ? "Highest rated"
                                                       : "Lowest rated")
          .Raw("</a></li>");
    }
    html.Raw("</ul></nav><nav aria-label=\"Filter reviews by rating\" class=\"review-filter\"><ul><li><a href=\"")
        .Text(ReviewsLink(product_path, sort_name, std::nullopt))
        .Raw("\"")
        .Raw(query.rating ? "" : " aria-current=\"true\"")
        .Raw(">All ratings</a></li>");
    for (int stars = 5; stars >= 1; --stars) {
      html.Raw("<li><a href=\"").Text(ReviewsLink(product_path, sort_name, stars)).Raw("\"");
      if (query.rating == stars) html.Raw(" aria-current=\"true\"");
      html.Raw(">").Text(std::to_string(stars)).Raw(stars == 1 ? " star" : " stars").Raw("</a></li>");
    }
    html.Raw("</ul></nav>");
  }
  if (!listed->reviews.empty()) {
    html.Raw("<ul class=\"review-list\">");
    for (const reviews::Review& review : listed->reviews) ReviewHtml(html, services, visit, review);
    html.Raw("</ul>");
  } else if (rating.count > 0) {
    html.Raw("<p>No reviews match this filter.</p>");
  }
  if (!listed->next_cursor.empty() && IsCursor(listed->next_cursor)) {
    html.Raw("<p><a rel=\"next\" href=\"")
        .Text(ReviewsLink(product_path, sort_name, query.rating, listed->next_cursor))
        .Raw("\">More reviews</a></p>");
  }
  html.Raw("</section>");

  reviews::PageRequest question_page;
  if (auto after = request.Query("questions_after"); after && IsCursor(*after))
    question_page.cursor = std::string(*after);
  auto questions = services.questions.ListQuestions(shop_id, product_id, viewer, question_page);
  if (!questions.ok() && !question_page.cursor.empty()) {
    question_page.cursor.clear();
    questions = services.questions.ListQuestions(shop_id, product_id, viewer, question_page);
  }
  if (!questions.ok()) return questions.error();
  html.Raw(
      "<section id=\"questions\" class=\"questions\" aria-labelledby=\"questions-title\"><h2 "
      "id=\"questions-title\">Questions and answers</h2>");
  bool may_answer = false;
  if (viewer) {
    auto may = services.questions.MayAnswer(shop_id, *viewer, product_id);
    may_answer = may.ok() && *may;
  }
  if (questions->questions.empty()) {
    html.Raw("<p>No questions yet.</p>");
  } else if (!may_answer) {
    html.Raw("<p class=\"muted\">Customers who received this product can answer its questions.</p>");
  }
  html.Raw("<ul class=\"question-list\">");
  for (const reviews::Question& question : questions->questions) {
    QuestionHtml(html, services, visit, viewer, may_answer, product_path, question);
  }
  html.Raw("</ul>");
  if (!questions->next_cursor.empty() && IsCursor(questions->next_cursor)) {
    html.Raw("<p><a rel=\"next\" href=\"")
        .Text(std::string(product_path) + "?questions_after=" + questions->next_cursor + "#questions")
        .Raw("\">More questions</a></p>");
  }
  if (viewer) {
    AskForm(html, visit, product_path, {}, {});
  } else if (visit.customer) {
    html.Raw("<p>Choose a community name for your account to ask a question.</p>");
  } else {
    html.Raw("<p><a href=\"/account/login\">Log in</a> to ask a question.</p>");
  }
  html.Raw("</section>");
  return Trusted{html.Take()};
}

Trusted ReviewEmailSection(const PageServices& services, const Visit& visit, const http::Request& request) {
  if (!visit.customer) return {};
  HtmlWriter html;
  html.Raw("<section aria-labelledby=\"review-emails-heading\"><h2 id=\"review-emails-heading\">Reviews</h2>");
  auto wanted = reviews::WantsReviewEmails(services.db, visit.shop.id, visit.customer->user_id);
  if (!wanted.ok()) {
    html.Raw("<p role=\"alert\">Your e-mail choice cannot be shown right now.</p></section>");
    return {html.Take()};
  }
  if (auto saved = request.Query("review_emails"); saved == "on" || saved == "off") {
    html.Raw("<p class=\"notice\" role=\"status\">")
        .Raw(saved == "on" ? "We will e-mail you to review what you receive."
                           : "We will no longer e-mail you to review what you receive.")
        .Raw("</p>");
  }
  html.Raw("<form method=\"post\" action=\"/account/review-emails\">")
      .Fragment(CsrfField(*visit.customer))
      .Raw(
          "<div class=\"choice\"><input type=\"checkbox\" id=\"review_emails\" name=\"review_emails\" value=\"on\" "
          "aria-describedby=\"review-emails-hint\"")
      .Raw(*wanted ? " checked" : "")
      .Raw(
          "><label for=\"review_emails\">E-mail me to review what I receive</label></div>"
          "<p class=\"muted\" id=\"review-emails-hint\">One e-mail per delivered order, with a link to review "
          "each product.</p>"
          "<button type=\"submit\">Save</button></form></section>");
  return {html.Take()};
}

void RegisterReviewPages(http::Router& router, const PageServices& services) {
  router.Post("/account/review-emails", [&services](Request& request) -> Response {
    auto visit = BeginVisit(services, request);
    if (!visit.ok()) return Response::Problem(visit.error(), request.request_id);
    if (!visit->customer) return Redirect(*visit, LogInPath("/account"));
    auto form = ReadForm(request);
    if (!form.ok() || !identity::CheckCsrf(*visit->customer, Value(*form, "csrf_token")).ok()) {
      return Message(services, *visit, "The form expired", "The form expired; reload the page and try again.",
                     "/account", 403);
    }
    const bool wanted = Value(*form, "review_emails") == "on";
    const Status saved =
        reviews::SetReviewEmails(services.db, services.clock, visit->shop.id, visit->customer->user_id, wanted);
    if (!saved.ok()) {
      return Message(services, *visit, "Review e-mails", "Your choice cannot be saved right now.", "/account", 500);
    }
    return Redirect(*visit, wanted ? "/account?review_emails=on" : "/account?review_emails=off");
  });

  router.Get("/products/{handle}/review", [&services](Request& request) -> Response {
    auto visit = BeginVisit(services, request);
    if (!visit.ok()) return Response::Problem(visit.error(), request.request_id);
    auto product = FindProduct(services, *visit, request.PathParam("handle"));
    if (!product.ok()) return Message(services, *visit, "Not found", "There is no product at this address.", "/", 404);
    if (!visit->customer) return Redirect(*visit, "/account/login");
    const auto profile = ViewerProfileId(services, *visit);
    if (!profile) {
      return Message(services, *visit, "Community profile needed",
                     "Choose a community name for your account before reviewing.", product->path, 403);
    }
    ReviewForm form;
    if (auto mine = services.reviews.ReviewOf(visit->shop.id, *profile, product->id); mine.ok()) {
      form.rating = std::to_string(mine->rating);
      form.title = mine->title;
      form.body = mine->body;
      form.incentivised = mine->incentivised;
    }
    return ReviewFormPage(services, *visit, *product, form, 200);
  });

  router.Post("/products/{handle}/review", [&services](Request& request) -> Response {
    auto posted = ReadPostedForm(request);
    auto begun = BeginPost(services, request, posted.ok() ? &posted->fields : nullptr);
    if (auto* refused = std::get_if<Response>(&begun)) return std::move(*refused);
    Poster& poster = std::get<Poster>(begun);
    ReviewForm form{.rating = Value(posted->fields, "rating"),
                    .title = Value(posted->fields, "title"),
                    .body = Value(posted->fields, "body"),
                    .incentivised = Value(posted->fields, "incentivised") == "1"};
    const auto rating = ParseId(form.rating);
    if (!rating || *rating > 5) form.errors.emplace("rating", "Choose from 1 to 5 stars.");
    if (posted->files.size() > kMaxUploads) form.errors.emplace("photos", "A review can have at most 6 photos.");
    if (!form.errors.empty()) return ReviewFormPage(services, poster.visit, poster.product, form, 422);
    auto photos = UploadPhotos(services, poster.visit.shop.id, poster.profile_id, posted->files);
    if (!photos.ok()) {
      form.errors.emplace("photos", PhotoError(photos.error()));
      return ReviewFormPage(services, poster.visit, poster.product, form, 422);
    }
    auto review = services.reviews.SubmitReview(poster.visit.shop.id, poster.profile_id,
                                                {.product_id = poster.product.id,
                                                 .rating = static_cast<int>(*rating),
                                                 .title = form.title,
                                                 .body = form.body,
                                                 .media_ids = *photos,
                                                 .incentivised = form.incentivised});
    if (!review.ok()) {
      const std::string field = FormField(review.error());
      if (field.empty()) {
        form.general_error = review.error().detail;
      } else {
        form.errors.emplace(field, review.error().detail);
      }
      const ErrorCode code = review.error().code;
      return ReviewFormPage(services, poster.visit, poster.product, form,
                            code == ErrorCode::kPermissionDenied ? 403
                            : code == ErrorCode::kRateLimited    ? 429
                            : code == ErrorCode::kConflict       ? 409
                                                                 : 422);
    }
    return Redirect(poster.visit, poster.product.path + "#reviews");
  });

  router.Post("/products/{handle}/questions", [&services](Request& request) -> Response {
    auto fields = ReadForm(request);
    auto begun = BeginPost(services, request, fields.ok() ? &*fields : nullptr);
    if (auto* refused = std::get_if<Response>(&begun)) return std::move(*refused);
    Poster& poster = std::get<Poster>(begun);
    const std::string text = Value(*fields, "text");
    auto asked = services.questions.Ask(poster.visit.shop.id, poster.profile_id, poster.product.id, text);
    if (!asked.ok()) return QuestionError(services, poster, asked.error(), text);
    return Redirect(poster.visit, poster.product.path + "#questions");
  });

  router.Post("/products/{handle}/questions/{id}/answers", [&services](Request& request) -> Response {
    auto fields = ReadForm(request);
    auto begun = BeginPost(services, request, fields.ok() ? &*fields : nullptr);
    if (auto* refused = std::get_if<Response>(&begun)) return std::move(*refused);
    Poster& poster = std::get<Poster>(begun);
    const auto id = ParseId(request.PathParam("id"));
    if (!id) return QuestionError(services, poster, Error::NotFound("no such question"), {});
    auto answered =
        services.questions.AnswerAsOwner(poster.visit.shop.id, poster.profile_id, *id, Value(*fields, "text"));
    if (!answered.ok()) return QuestionError(services, poster, answered.error(), {});
    return Redirect(poster.visit, poster.product.path + "#questions");
  });

  router.Post("/products/{handle}/questions/{id}/upvote", [&services](Request& request) -> Response {
    auto fields = ReadForm(request);
    auto begun = BeginPost(services, request, fields.ok() ? &*fields : nullptr);
    if (auto* refused = std::get_if<Response>(&begun)) return std::move(*refused);
    Poster& poster = std::get<Poster>(begun);
    const auto id = ParseId(request.PathParam("id"));
    const bool answer = Value(*fields, "target") == "answer";
    const auto target = answer ? ParseId(Value(*fields, "answer_id")) : id;
    if (!id || !target) return QuestionError(services, poster, Error::NotFound("no such question"), {});
    auto voted =
        services.questions.Upvote(poster.visit.shop.id, poster.profile_id,
                                  answer ? reviews::VoteTarget::kAnswer : reviews::VoteTarget::kQuestion, *target);
    if (!voted.ok()) return QuestionError(services, poster, voted.error(), {});
    return Redirect(poster.visit, poster.product.path + "#questions");
  });

  router.Post("/products/{handle}/questions/{id}/accept", [&services](Request& request) -> Response {
    auto fields = ReadForm(request);
    auto begun = BeginPost(services, request, fields.ok() ? &*fields : nullptr);
    if (auto* refused = std::get_if<Response>(&begun)) return std::move(*refused);
    Poster& poster = std::get<Poster>(begun);
    const auto id = ParseId(request.PathParam("id"));
    const auto answer = ParseId(Value(*fields, "answer_id"));
    if (!id || !answer) return QuestionError(services, poster, Error::NotFound("no such answer"), {});
    auto accepted = services.questions.AcceptByAsker(poster.visit.shop.id, poster.profile_id, *id, *answer);
    if (!accepted.ok()) return QuestionError(services, poster, accepted.error(), {});
    return Redirect(poster.visit, poster.product.path + "#questions");
  });
}

}  // namespace plaza::web::storefront
