// Posts, likes, saves, shares, threaded comments and hashtag pages: public reads
// (`shop`, anonymous viewer) and the signed-in customer's reads and actions
// (`customer`). Who may see what is decided by social::PostService and CommentService;
// this file only adds, at the edge, each product tag's live price, availability and
// delivery promise in the viewer's market (the same market choice and promise as the
// product answers and the product page).

#include <algorithm>
#include <boost/json/array.hpp>
#include <limits>
#include <unordered_map>

#include "plaza/core/money.h"
#include "plaza/media/media.h"
#include "plaza/social/comments.h"
#include "plaza/social/posts.h"
#include "plaza/social/tag_offers.h"
#include "routes.h"
#include "storefront_market.h"

namespace plaza::api {
namespace {

using http::JsonReader;
using http::Request;
using http::Response;

// Reading limits only bound the work a hostile body can cause; the module then checks
// the real limits and answers with its own precise errors.
constexpr http::StringLimits kLoosePostText{.max_length = 4 * social::kMaxPostLength, .multiline = true};
constexpr http::StringLimits kLooseCommentText{.max_length = 4 * social::kMaxCommentLength, .multiline = true};
constexpr http::StringLimits kLooseSlug{.max_length = 4 * social::kMaxShareChannelLength};
constexpr std::int64_t kMaxId = std::numeric_limits<std::int64_t>::max();

boost::json::value EncodeMoney(const std::optional<Money>& money) {
  if (!money) return nullptr;
  auto currency = FindCurrency(money->currency);
  return boost::json::object{
      {"amount", money->minor},
      {"currency", money->currency},
      {"decimal", currency.ok() ? FormatDecimalAmount(money->minor, *currency) : std::to_string(money->minor)}};
}

boost::json::object EncodeRef(const social::ProfileRef& profile) {
  return {{"id", profile.id},
          {"handle", profile.handle},
          {"display_name", profile.display_name},
          {"avatar_url", profile.avatar_url ? boost::json::value(*profile.avatar_url) : nullptr}};
}

boost::json::array EncodeRefs(const std::vector<social::ProfileRef>& profiles) {
  boost::json::array out;
  for (const social::ProfileRef& profile : profiles) out.emplace_back(EncodeRef(profile));
  return out;
}

// What post answers add at the edge: the images and the live offers of tagged products.
struct TagOffers {
  std::unordered_map<std::int64_t, media::MediaAsset> media;
  social::TagOffers tags;
};

// The images and tag offers of `posts`, in one read transaction.
Result<TagOffers> LoadTagOffers(const ApiServices& services, std::int64_t shop_id,
                                const std::optional<pricing::Market>& market,
                                const std::vector<const social::Post*>& posts) {
  TagOffers out;
  const bool any = std::any_of(posts.begin(), posts.end(), [](const social::Post* post) {
    return !post->media_ids.empty() || !post->products.empty();
  });
  if (!any) return out;
  const TimePoint now = services.clock.Now();
  return services.db.Read([&](store::Transaction& tx) -> Result<TagOffers> {
    for (const social::Post* post : posts) {
      for (std::int64_t id : post->media_ids) {
        auto asset = services.media.Get(tx, shop_id, id);
        if (asset.ok()) {
          out.media.emplace(id, std::move(asset).value());
        } else if (asset.error().code != ErrorCode::kNotFound) {
          return asset.error();
        }
      }
    }
    PLAZA_ASSIGN_OR_RETURN(
        out.tags, social::LoadTagOffers(tx, services.inventory, services.shipping, shop_id, market, posts, now));
    return std::move(out);
  });
}

boost::json::object EncodeTag(const social::ProductTag& tag, const TagOffers& offers) {
  boost::json::object out{{"product_id", tag.product_id},
                          {"variant_id", tag.variant_id ? boost::json::value(*tag.variant_id) : nullptr},
                          {"state", social::TagStateName(tag.state)}};
  if (!tag.product_title.empty()) {
    out["handle"] = tag.product_handle;
    out["title"] = tag.product_title;
    out["variant_title"] =
        tag.variant_title.empty() ? boost::json::value(nullptr) : boost::json::value(tag.variant_title);
  }
  if (tag.state != social::TagState::kAvailable || tag.variant_ids.empty()) {
    // A tag on a product that is gone or off sale says so instead of a price.
    out["offer"] = nullptr;
    return out;
  }
  const social::TagOffer shown = *offers.tags.Offer(tag);
  const pricing::EffectivePrice* price = shown.price;
  boost::json::object offer{{"variant_id", shown.variant_id},
                            {"price", EncodeMoney(price ? std::optional<Money>(price->price) : std::nullopt)},
                            {"compare_at", EncodeMoney(price ? price->compare_at : std::nullopt)},
                            {"availability", inventory::StockStateName(shown.stock.state)},
                            {"available", shown.stock.available}};
  if (shown.promise) {
    offer["arrives"] = {
        {"earliest", shown.promise->earliest}, {"latest", shown.promise->latest}, {"text", shown.promise->text}};
  } else {
    offer["arrives"] = nullptr;
  }
  out["offer"] = std::move(offer);
  return out;
}

// Images as every answer shows them; an image deleted since is left out.
boost::json::array EncodeMedia(const std::vector<std::int64_t>& ids, const TagOffers& extras) {
  boost::json::array out;
  for (std::int64_t id : ids) {
    const auto found = extras.media.find(id);
    if (found == extras.media.end()) continue;
    const media::MediaAsset& asset = found->second;
    boost::json::array renditions;
    for (const media::Rendition& rendition : asset.renditions) {
      renditions.push_back(boost::json::object{
          {"width", rendition.width}, {"height", rendition.height}, {"url", media::MediaPath(asset, rendition.width)}});
    }
    out.push_back(boost::json::object{{"id", asset.id},
                                      {"width", asset.width},
                                      {"height", asset.height},
                                      {"alt", asset.alt},
                                      {"renditions", std::move(renditions)}});
  }
  return out;
}

boost::json::object EncodePost(const social::Post& post, const TagOffers& offers) {
  boost::json::array products;
  for (const social::ProductTag& tag : post.products) products.emplace_back(EncodeTag(tag, offers));
  return {{"id", post.id},
          {"author", EncodeRef(post.author)},
          {"text", post.text},
          {"media", EncodeMedia(post.media_ids, offers)},
          {"products", std::move(products)},
          {"group_id", post.group_id ? boost::json::value(*post.group_id) : nullptr},
          {"visibility", social::ContentVisibilityName(post.visibility)},
          {"mentions", EncodeRefs(post.mentions)},
          {"hashtags", boost::json::array(post.hashtags.begin(), post.hashtags.end())},
          {"counts",
           {{"likes", post.like_count},
            {"comments", post.comment_count},
            {"saves", post.save_count},
            {"shares", post.share_count}}},
          {"liked", post.liked},
          {"saved", post.saved},
          {"created_at", FormatRfc3339(post.created_at)}};
}

Result<Response> PostResponse(const ApiServices& services, const Request& request, Result<social::Post> post,
                              int status = 200) {
  if (!post.ok()) return std::move(post).error();
  PLAZA_ASSIGN_OR_RETURN(auto market, StorefrontMarket(services, request));
  PLAZA_ASSIGN_OR_RETURN(TagOffers offers, LoadTagOffers(services, ShopOf(request), market, {&*post}));
  return Response::Json(EncodePost(*post, offers), status);
}

boost::json::object EncodeComment(const social::Comment& comment) {
  boost::json::array replies;
  for (const social::Comment& reply : comment.replies) replies.emplace_back(EncodeComment(reply));
  boost::json::object out{
      {"id", comment.id},
      {"post_id", comment.post_id},
      {"parent_id", comment.parent_id ? boost::json::value(*comment.parent_id) : nullptr},
      {"depth", comment.depth},
      {"deleted", comment.deleted},
      {"author", comment.deleted ? boost::json::value(nullptr) : boost::json::value(EncodeRef(comment.author))},
      {"text", comment.deleted ? boost::json::value(nullptr) : boost::json::value(comment.text)},
      {"visibility", social::ContentVisibilityName(comment.visibility)},
      {"mentions", EncodeRefs(comment.mentions)},
      {"reply_count", comment.reply_count},
      {"created_at", FormatRfc3339(comment.created_at)},
      {"replies", std::move(replies)},
      {"replies_truncated", comment.replies_truncated}};
  return out;
}

Result<Response> CommentPageResponse(Result<social::CommentPage> page) {
  if (!page.ok()) return std::move(page).error();
  boost::json::array comments;
  for (const social::Comment& comment : page->comments) comments.emplace_back(EncodeComment(comment));
  return Response::Json({{"comments", std::move(comments)},
                         {"next_cursor", page->next_cursor.empty() ? boost::json::value(nullptr)
                                                                   : boost::json::value(page->next_cursor)}});
}

Result<social::NewPost> ReadNewPost(const Request& request) {
  PLAZA_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(request));
  const JsonReader reader(body);
  PLAZA_TRY(reader.AllowOnly({"text", "media_ids", "products", "group_id"}));
  social::NewPost post;
  PLAZA_ASSIGN_OR_RETURN(auto text, reader.OptionalString("text", kLoosePostText));
  post.text = text.value_or("");
  if (const auto* media = body.if_contains("media_ids"); media && !media->is_null()) {
    PLAZA_ASSIGN_OR_RETURN(const boost::json::array* ids, reader.RequiredArray("media_ids", 4 * social::kMaxPostMedia));
    for (std::size_t i = 0; i < ids->size(); ++i) {
      const boost::json::value& id = (*ids)[i];
      if (!id.is_int64() || id.as_int64() < 1) {
        return Error::Invalid("validation/type", "a media id is a positive integer", "/media_ids/" + std::to_string(i));
      }
      post.media_ids.push_back(id.as_int64());
    }
  }
  if (const auto* products = body.if_contains("products"); products && !products->is_null()) {
    PLAZA_ASSIGN_OR_RETURN(const boost::json::array* tags,
                           reader.RequiredArray("products", 4 * social::kMaxProductTags));
    for (std::size_t i = 0; i < tags->size(); ++i) {
      const std::string pointer = "/products/" + std::to_string(i);
      if (!(*tags)[i].is_object()) return Error::Invalid("validation/type", "a product tag is an object", pointer);
      const JsonReader tag((*tags)[i].as_object(), pointer);
      PLAZA_TRY(tag.AllowOnly({"product_id", "variant_id"}));
      social::ProductTagInput input;
      PLAZA_ASSIGN_OR_RETURN(input.product_id, tag.RequiredInt64("product_id", 1, kMaxId));
      PLAZA_ASSIGN_OR_RETURN(input.variant_id, tag.OptionalInt64("variant_id", 1, kMaxId));
      post.products.push_back(input);
    }
  }
  PLAZA_ASSIGN_OR_RETURN(post.group_id, reader.OptionalInt64("group_id", 1, kMaxId));
  return post;
}

std::string PathText(const Request& request, std::string_view name) {
  return std::string(request.PathParam(name));
}

}  // namespace

Result<Response> PostPageResponse(const ApiServices& services, const Request& request, Result<social::PostPage> page) {
  if (!page.ok()) return std::move(page).error();
  PLAZA_ASSIGN_OR_RETURN(auto market, StorefrontMarket(services, request));
  std::vector<const social::Post*> posts;
  for (const social::Post& post : page->posts) posts.push_back(&post);
  PLAZA_ASSIGN_OR_RETURN(TagOffers offers, LoadTagOffers(services, ShopOf(request), market, posts));
  boost::json::array out;
  for (const social::Post& post : page->posts) out.emplace_back(EncodePost(post, offers));
  return Response::Json({{"posts", std::move(out)},
                         {"next_cursor", page->next_cursor.empty() ? boost::json::value(nullptr)
                                                                   : boost::json::value(page->next_cursor)}});
}

void RegisterPostStorefrontRoutes(http::RouteGroup shop, const ApiServices& services) {
  shop.Get("/social/posts/{id}", Handle([&services](Request& request) -> Result<Response> {
             PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
             return PostResponse(services, request, services.posts.GetPost(ShopOf(request), id, std::nullopt));
           }));
  shop.Get("/social/posts/{id}/comments", Handle([&services](Request& request) -> Result<Response> {
             PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
             PLAZA_ASSIGN_OR_RETURN(social::PageRequest page, ReadSocialPage(request));
             return CommentPageResponse(services.comments.ListComments(ShopOf(request), id, std::nullopt, page));
           }));
  shop.Get("/social/profiles/{handle}/posts", Handle([&services](Request& request) -> Result<Response> {
             PLAZA_ASSIGN_OR_RETURN(social::PageRequest page, ReadSocialPage(request));
             return PostPageResponse(
                 services, request,
                 services.posts.ListProfilePosts(ShopOf(request), PathText(request, "handle"), std::nullopt, page));
           }));
  shop.Get("/social/hashtags/{tag}/posts", Handle([&services](Request& request) -> Result<Response> {
             PLAZA_ASSIGN_OR_RETURN(social::PageRequest page, ReadSocialPage(request));
             return PostPageResponse(
                 services, request,
                 services.posts.ListHashtagPosts(ShopOf(request), PathText(request, "tag"), std::nullopt, page));
           }));
}

void RegisterCustomerPostRoutes(http::RouteGroup customer, const ApiServices& services) {
  customer.Post("/customer/social/posts", Handle([&services](Request& request) -> Result<Response> {
                  PLAZA_ASSIGN_OR_RETURN(std::int64_t me, MyProfile(services, request));
                  PLAZA_ASSIGN_OR_RETURN(social::NewPost post, ReadNewPost(request));
                  return PostResponse(services, request, services.posts.CreatePost(ShopOf(request), me, post), 201);
                }));
  customer.Get("/customer/social/posts/{id}", Handle([&services](Request& request) -> Result<Response> {
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t me, MyProfile(services, request));
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
                 return PostResponse(services, request, services.posts.GetPost(ShopOf(request), id, me));
               }));
  customer.Delete("/customer/social/posts/{id}", Handle([&services](Request& request) -> Result<Response> {
                    PLAZA_ASSIGN_OR_RETURN(std::int64_t me, MyProfile(services, request));
                    PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
                    PLAZA_TRY(services.posts.DeletePost(ShopOf(request), me, id));
                    return Response::NoContent();
                  }));
  customer.Get("/customer/social/profiles/{handle}/posts", Handle([&services](Request& request) -> Result<Response> {
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t me, MyProfile(services, request));
                 PLAZA_ASSIGN_OR_RETURN(social::PageRequest page, ReadSocialPage(request));
                 return PostPageResponse(
                     services, request,
                     services.posts.ListProfilePosts(ShopOf(request), PathText(request, "handle"), me, page));
               }));
  customer.Get("/customer/social/hashtags/{tag}/posts", Handle([&services](Request& request) -> Result<Response> {
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t me, MyProfile(services, request));
                 PLAZA_ASSIGN_OR_RETURN(social::PageRequest page, ReadSocialPage(request));
                 return PostPageResponse(
                     services, request,
                     services.posts.ListHashtagPosts(ShopOf(request), PathText(request, "tag"), me, page));
               }));
  customer.Put("/customer/social/posts/{id}/like", Handle([&services](Request& request) -> Result<Response> {
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t me, MyProfile(services, request));
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
                 return PostResponse(services, request, services.posts.Like(ShopOf(request), me, id));
               }));
  customer.Delete("/customer/social/posts/{id}/like", Handle([&services](Request& request) -> Result<Response> {
                    PLAZA_ASSIGN_OR_RETURN(std::int64_t me, MyProfile(services, request));
                    PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
                    return PostResponse(services, request, services.posts.Unlike(ShopOf(request), me, id));
                  }));
  customer.Put("/customer/social/posts/{id}/save", Handle([&services](Request& request) -> Result<Response> {
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t me, MyProfile(services, request));
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
                 return PostResponse(services, request, services.posts.Save(ShopOf(request), me, id));
               }));
  customer.Delete("/customer/social/posts/{id}/save", Handle([&services](Request& request) -> Result<Response> {
                    PLAZA_ASSIGN_OR_RETURN(std::int64_t me, MyProfile(services, request));
                    PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
                    return PostResponse(services, request, services.posts.Unsave(ShopOf(request), me, id));
                  }));
  customer.Get("/customer/social/saves", Handle([&services](Request& request) -> Result<Response> {
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t me, MyProfile(services, request));
                 PLAZA_ASSIGN_OR_RETURN(social::PageRequest page, ReadSocialPage(request));
                 return PostPageResponse(services, request, services.posts.ListSaves(ShopOf(request), me, page));
               }));
  customer.Post("/customer/social/posts/{id}/shares", Handle([&services](Request& request) -> Result<Response> {
                  PLAZA_ASSIGN_OR_RETURN(std::int64_t me, MyProfile(services, request));
                  PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
                  std::string channel;
                  if (!request.body.empty()) {
                    PLAZA_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(request));
                    const JsonReader reader(body);
                    PLAZA_TRY(reader.AllowOnly({"channel"}));
                    PLAZA_ASSIGN_OR_RETURN(auto given, reader.OptionalString("channel", kLooseSlug));
                    channel = given.value_or("");
                  }
                  PLAZA_ASSIGN_OR_RETURN(social::Share share,
                                         services.posts.SharePost(ShopOf(request), me, id, channel));
                  return Response::Json({{"id", share.id},
                                         {"post_id", share.post_id},
                                         {"channel", share.channel},
                                         {"url", services.public_base_url + share.path}},
                                        201);
                }));
  customer.Get("/customer/social/posts/{id}/comments", Handle([&services](Request& request) -> Result<Response> {
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t me, MyProfile(services, request));
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
                 PLAZA_ASSIGN_OR_RETURN(social::PageRequest page, ReadSocialPage(request));
                 return CommentPageResponse(services.comments.ListComments(ShopOf(request), id, me, page));
               }));
  customer.Post("/customer/social/posts/{id}/comments", Handle([&services](Request& request) -> Result<Response> {
                  PLAZA_ASSIGN_OR_RETURN(std::int64_t me, MyProfile(services, request));
                  PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
                  PLAZA_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(request));
                  const JsonReader reader(body);
                  PLAZA_TRY(reader.AllowOnly({"text", "parent_id"}));
                  PLAZA_ASSIGN_OR_RETURN(std::string text, reader.RequiredString("text", kLooseCommentText));
                  PLAZA_ASSIGN_OR_RETURN(auto parent_id, reader.OptionalInt64("parent_id", 1, kMaxId));
                  PLAZA_ASSIGN_OR_RETURN(social::Comment comment,
                                         services.comments.CreateComment(ShopOf(request), me, id, parent_id, text));
                  return Response::Json(EncodeComment(comment), 201);
                }));
  customer.Delete("/customer/social/comments/{id}", Handle([&services](Request& request) -> Result<Response> {
                    PLAZA_ASSIGN_OR_RETURN(std::int64_t me, MyProfile(services, request));
                    PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
                    PLAZA_TRY(services.comments.DeleteComment(ShopOf(request), me, id));
                    return Response::NoContent();
                  }));
}

}  // namespace plaza::api
