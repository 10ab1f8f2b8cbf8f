// Product reviews: the product's visible reviews and rating for everyone (`shop`), the
// signed-in customer's own review (`customer`), and the staff list and merchant replies
// for care.reply (`admin`). Every rule — verified buyers, signals, ratings, permissions —
// lives in reviews::ReviewService; these handlers only translate JSON.

#include <charconv>
#include <limits>

#include "plaza/media/media.h"
#include "plaza/reviews/reviews.h"
#include "plaza/social/profiles.h"
#include "review_encode.h"
#include "routes.h"

namespace plaza::api {
namespace {

using http::JsonReader;
using http::Request;
using http::Response;

// The reader's bounds are loose (4 bytes per code point); the service checks the exact ones.
constexpr http::StringLimits kLooseTitle{.max_length = 4 * reviews::kMaxTitleLength};
constexpr http::StringLimits kLooseBody{.max_length = 4 * reviews::kMaxBodyLength, .multiline = true};
constexpr http::StringLimits kLooseReply{.max_length = 4 * reviews::kMaxReplyLength, .multiline = true};
constexpr std::int64_t kMaxId = std::numeric_limits<std::int64_t>::max();

Result<std::optional<std::int64_t>> QueryNumber(const Request& request, std::string_view name, std::int64_t min,
                                                std::int64_t max) {
  const auto text = request.Query(name);
  if (!text) return std::optional<std::int64_t>();
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (error != std::errc() || end != text->data() + text->size() || value < min || value > max) {
    return Error::Invalid(
        "validation/format",
        std::string(name) + " must be a whole number from " + std::to_string(min) + " to " + std::to_string(max),
        std::string(name));
  }
  return std::optional<std::int64_t>(value);
}

Result<bool> QueryFlag(const Request& request, std::string_view name) {
  const auto text = request.Query(name);
  if (!text) return false;
  if (*text != "true" && *text != "false") {
    return Error::Invalid("validation/format", std::string(name) + " must be true or false", std::string(name));
  }
  return *text == "true";
}

Result<reviews::PageRequest> ReadPage(const Request& request) {
  reviews::PageRequest page;
  if (auto cursor = request.Query("cursor")) page.cursor = std::string(*cursor);
  PLAZA_ASSIGN_OR_RETURN(auto limit, QueryNumber(request, "limit", 1, reviews::kMaxPageSize));
  if (limit) page.limit = static_cast<int>(*limit);
  return page;
}

Result<boost::json::object> EncodePage(const ApiServices& services, std::int64_t shop_id,
                                       const reviews::ReviewPage& page, bool for_staff) {
  boost::json::array items;
  for (const reviews::Review& review : page.reviews) {
    PLAZA_ASSIGN_OR_RETURN(boost::json::object encoded, EncodeReview(services, shop_id, review, for_staff));
    items.emplace_back(std::move(encoded));
  }
  boost::json::object out{{"reviews", std::move(items)}};
  out["next_cursor"] = page.next_cursor.empty() ? boost::json::value(nullptr) : boost::json::value(page.next_cursor);
  return out;
}

Result<reviews::ReviewInput> ReadReview(const Request& request) {
  PLAZA_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(request));
  const JsonReader reader(body);
  PLAZA_TRY(reader.AllowOnly({"product_id", "variant_id", "rating", "title", "body", "media_ids", "incentivised"}));
  reviews::ReviewInput input;
  PLAZA_ASSIGN_OR_RETURN(input.product_id, reader.RequiredInt64("product_id", 1, kMaxId));
  PLAZA_ASSIGN_OR_RETURN(input.variant_id, reader.OptionalInt64("variant_id", 1, kMaxId));
  PLAZA_ASSIGN_OR_RETURN(const std::int64_t rating, reader.RequiredInt64("rating", 1, 5));
  input.rating = static_cast<int>(rating);
  PLAZA_ASSIGN_OR_RETURN(auto title, reader.OptionalString("title", kLooseTitle));
  input.title = title.value_or("");
  PLAZA_ASSIGN_OR_RETURN(auto text, reader.OptionalString("body", kLooseBody));
  input.body = text.value_or("");
  if (reader.object().contains("media_ids")) {
    PLAZA_ASSIGN_OR_RETURN(const boost::json::array* ids, reader.RequiredArray("media_ids", reviews::kMaxPhotos));
    for (std::size_t i = 0; i < ids->size(); ++i) {
      const boost::json::value& id = (*ids)[i];
      if (!id.is_int64() || id.as_int64() <= 0) {
        return Error::Invalid("validation/type", "each photo is a media id", "/media_ids/" + std::to_string(i));
      }
      input.media_ids.push_back(id.as_int64());
    }
  }
  PLAZA_ASSIGN_OR_RETURN(auto incentivised, reader.OptionalBool("incentivised"));
  input.incentivised = incentivised.value_or(false);
  return input;
}

Result<std::int64_t> SignedInProfile(const ApiServices& services, const Request& request) {
  PLAZA_ASSIGN_OR_RETURN(const social::Profile me,
                         services.social.ProfileOfCustomer(ShopOf(request), Caller(request).user_id));
  return me.id;
}

}  // namespace

void RegisterReviewStorefrontRoutes(http::RouteGroup shop, const ApiServices& services) {
  shop.Get("/reviews/products/{id}", Handle([&services](Request& request) -> Result<Response> {
             reviews::ReviewQuery query;
             PLAZA_ASSIGN_OR_RETURN(query.product_id, IdFromPath(request, "id"));
             PLAZA_ASSIGN_OR_RETURN(query.variant_id, QueryNumber(request, "variant_id", 1, kMaxId));
             PLAZA_ASSIGN_OR_RETURN(auto rating, QueryNumber(request, "rating", 1, 5));
             if (rating) query.rating = static_cast<int>(*rating);
             if (auto sort = request.Query("sort")) {
               const auto parsed = reviews::ParseReviewSort(*sort);
               if (!parsed) return Error::Invalid("validation/enum", "sort is newest, highest or lowest", "sort");
               query.sort = *parsed;
             }
             PLAZA_ASSIGN_OR_RETURN(query.page, ReadPage(request));
             const std::int64_t shop_id = ShopOf(request);
             PLAZA_ASSIGN_OR_RETURN(const reviews::ReviewPage page, services.reviews.ListReviews(shop_id, query));
             PLAZA_ASSIGN_OR_RETURN(boost::json::object out, EncodePage(services, shop_id, page, false));
             PLAZA_ASSIGN_OR_RETURN(const reviews::RatingSummary rating_summary,
                                    services.reviews.GetRating(shop_id, query.product_id, query.variant_id));
             out["rating"] = EncodeRating(rating_summary);
             return Response::Json(out);
           }));
  shop.Get("/reviews/products/{id}/rating", Handle([&services](Request& request) -> Result<Response> {
             PLAZA_ASSIGN_OR_RETURN(const std::int64_t product_id, IdFromPath(request, "id"));
             PLAZA_ASSIGN_OR_RETURN(auto variant_id, QueryNumber(request, "variant_id", 1, kMaxId));
             PLAZA_ASSIGN_OR_RETURN(const reviews::RatingSummary rating,
                                    services.reviews.GetRating(ShopOf(request), product_id, variant_id));
             return Response::Json(EncodeRating(rating));
           }));
}

void RegisterCustomerReviewRoutes(http::RouteGroup customer, const ApiServices& services) {
  customer.Post("/customer/reviews", Handle([&services](Request& request) -> Result<Response> {
                  PLAZA_ASSIGN_OR_RETURN(const std::int64_t me, SignedInProfile(services, request));
                  PLAZA_ASSIGN_OR_RETURN(const reviews::ReviewInput input, ReadReview(request));
                  const std::int64_t shop_id = ShopOf(request);
                  PLAZA_ASSIGN_OR_RETURN(const reviews::Review review,
                                         services.reviews.SubmitReview(shop_id, me, input));
                  PLAZA_ASSIGN_OR_RETURN(boost::json::object out, EncodeReview(services, shop_id, review, false));
                  // A first review is created; submitting again edits it.
                  return Response::Json(out, review.created_at == review.updated_at ? 201 : 200);
                }));
  customer.Get("/customer/reviews/products/{id}", Handle([&services](Request& request) -> Result<Response> {
                 PLAZA_ASSIGN_OR_RETURN(const std::int64_t me, SignedInProfile(services, request));
                 PLAZA_ASSIGN_OR_RETURN(const std::int64_t product_id, IdFromPath(request, "id"));
                 const std::int64_t shop_id = ShopOf(request);
                 PLAZA_ASSIGN_OR_RETURN(const reviews::Review review,
                                        services.reviews.ReviewOf(shop_id, me, product_id));
                 PLAZA_ASSIGN_OR_RETURN(boost::json::object out, EncodeReview(services, shop_id, review, false));
                 return Response::Json(out);
               }));
}

void RegisterReviewRoutes(http::RouteGroup admin, const ApiServices& services) {
  admin.Get("/care/reviews", Handle([&services](Request& request) -> Result<Response> {
              reviews::StaffReviewQuery query;
              PLAZA_ASSIGN_OR_RETURN(query.product_id, QueryNumber(request, "product_id", 1, kMaxId));
              if (auto visibility = request.Query("visibility")) {
                query.visibility = reviews::ParseVisibility(*visibility);
                if (!query.visibility) {
                  return Error::Invalid("validation/enum", "visibility is visible, held, hidden or removed",
                                        "visibility");
                }
              }
              PLAZA_ASSIGN_OR_RETURN(query.flagged_only, QueryFlag(request, "flagged"));
              PLAZA_ASSIGN_OR_RETURN(query.unreplied_only, QueryFlag(request, "unreplied"));
              PLAZA_ASSIGN_OR_RETURN(query.page, ReadPage(request));
              const std::int64_t shop_id = ShopOf(request);
              PLAZA_ASSIGN_OR_RETURN(const reviews::ReviewPage page,
                                     services.reviews.ListForStaff(Caller(request), shop_id, query));
              PLAZA_ASSIGN_OR_RETURN(boost::json::object out, EncodePage(services, shop_id, page, true));
              return Response::Json(out);
            }));
  admin.Put("/care/reviews/{id}/reply", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_ASSIGN_OR_RETURN(const std::int64_t id, IdFromPath(request, "id"));
              PLAZA_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(request));
              const JsonReader reader(body);
              PLAZA_TRY(reader.AllowOnly({"text"}));
              PLAZA_ASSIGN_OR_RETURN(const std::string text, reader.RequiredString("text", kLooseReply));
              const std::int64_t shop_id = ShopOf(request);
              PLAZA_ASSIGN_OR_RETURN(const reviews::Review review,
                                     services.reviews.Reply(Caller(request), shop_id, id, text));
              PLAZA_ASSIGN_OR_RETURN(boost::json::object out, EncodeReview(services, shop_id, review, true));
              return Response::Json(out);
            }));
}

}  // namespace plaza::api
