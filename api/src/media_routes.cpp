// Image uploads and their renditions. A signed-in customer uploads as their social
// profile (`customer`), staff with catalog.write upload for the shop (`admin`), and
// anyone may fetch a rendition by the path an answer linked (`shop`): the path carries
// the asset's random token, so ids cannot be walked. Every check of the image itself is
// media::MediaService's.

#include <charconv>

#include "media_encode.h"
#include "plaza/core/text.h"
#include "plaza/http/multipart.h"
#include "plaza/media/media.h"
#include "routes.h"

namespace plaza::api {
namespace {

using http::Request;
using http::Response;

// Renditions never change under one path (a new upload gets a new id and token), so
// browsers and proxies may keep them for a year without asking again.
constexpr std::string_view kRenditionCacheControl = "public, max-age=31536000, immutable";
// Room for the multipart framing around the largest image the service accepts.
constexpr std::size_t kMultipartOverheadBytes = 64 * 1024;
// An upload form has the file and its alt text; a little slack for clients that send an
// empty extra field, and no more.
constexpr http::MultipartLimits kUploadFormLimits{.max_parts = 4, .max_part_head_bytes = 2048};

Status MayUpload(const Request& request) {
  return identity::Authorize(Caller(request), ShopOf(request), identity::Permission::kCatalogWrite);
}

bool IsImageMediaType(std::string_view content_type) {
  const std::string type = text::ToLowerAscii(text::TrimAscii(content_type.substr(0, content_type.find(';'))));
  return type.starts_with("image/");
}

// The upload in `request`: a multipart/form-data form with a "file" part and an optional
// "alt" part (browsers), or the image itself as the body with Content-Type image/* and
// the alt text in ?alt= (API clients). The declared image type is never trusted; the
// service sniffs the bytes.
Result<media::NewUpload> ReadUpload(const Request& request) {
  const std::string_view content_type = request.Header("Content-Type").value_or("");
  media::NewUpload upload;
  if (IsImageMediaType(content_type)) {
    upload.bytes = request.body;
    upload.alt = std::string(request.Query("alt").value_or(""));
    return upload;
  }
  if (!text::ToLowerAscii(content_type).starts_with("multipart/form-data")) {
    return Error::Invalid("http/unsupported-media-type",
                          "Send the image as multipart/form-data (a \"file\" field) or as the body with "
                          "Content-Type image/jpeg, image/png or image/webp.");
  }
  PLAZA_ASSIGN_OR_RETURN(http::MultipartForm form, http::ParseMultipartFormData(request, kUploadFormLimits));
  for (const http::MultipartPart& part : form.parts) {
    if (part.name != "file" && part.name != "alt") {
      return Error::Invalid("validation/unknown-field", "the form may only have the fields file and alt",
                            "/" + part.name);
    }
  }
  const http::MultipartPart* file = form.Find("file");
  if (file == nullptr) return Error::Invalid("validation/required", "choose an image to upload", "/file");
  upload.bytes = file->body;
  if (const http::MultipartPart* alt = form.Find("alt")) upload.alt = std::string(alt->body);
  return upload;
}

Result<Response> Created(Result<media::MediaAsset> asset) {
  if (!asset.ok()) return std::move(asset).error();
  return Response::Json(EncodeMedia(*asset), 201);
}

// "640.webp" → 640; anything else names no rendition.
std::optional<int> RenditionWidth(std::string_view file) {
  constexpr std::string_view kSuffix = ".webp";
  if (!file.ends_with(kSuffix)) return std::nullopt;
  file.remove_suffix(kSuffix.size());
  int width = 0;
  const auto [end, error] = std::from_chars(file.data(), file.data() + file.size(), width);
  if (error != std::errc() || end != file.data() + file.size() || width <= 0 || file.front() == '0') {
    return std::nullopt;
  }
  return width;
}

}  // namespace

boost::json::object EncodeMedia(const media::MediaAsset& asset) {
  boost::json::array renditions;
  for (const media::Rendition& rendition : asset.renditions) {
    renditions.push_back(boost::json::object{
        {"width", rendition.width}, {"height", rendition.height}, {"url", media::MediaPath(asset, rendition.width)}});
  }
  return {{"id", asset.id},
          {"width", asset.width},
          {"height", asset.height},
          {"alt", asset.alt},
          {"renditions", std::move(renditions)}};
}

void RegisterMediaStorefrontRoutes(http::RouteGroup shop, const ApiServices& services) {
  shop.Get("/media/{id}/{token}/{file}", Handle([&services](Request& request) -> Result<Response> {
             PLAZA_ASSIGN_OR_RETURN(const std::int64_t id, IdFromPath(request, "id"));
             const std::optional<int> width = RenditionWidth(request.PathParam("file"));
             if (!width) return Error::NotFound("no such image");
             PLAZA_ASSIGN_OR_RETURN(
                 media::RenditionFile file,
                 services.media.OpenRendition(ShopOf(request), id, request.PathParam("token"), *width));
             Response response;
             response.status = 200;
             response.body = std::move(file.bytes);
             response.SetHeader("Content-Type", std::move(file.content_type));
             response.SetHeader("Cache-Control", std::string(kRenditionCacheControl));
             response.SetHeader("X-Content-Type-Options", "nosniff");
             return response;
           }));
}

void RegisterCustomerMediaRoutes(http::RouteGroup customer, const ApiServices& services) {
  customer.WithBodyLimit(services.media.limits().max_bytes + kMultipartOverheadBytes)
      .Post("/customer/media", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_ASSIGN_OR_RETURN(social::Profile profile,
                                     services.social.ProfileOfCustomer(ShopOf(request), Caller(request).user_id));
              PLAZA_ASSIGN_OR_RETURN(media::NewUpload upload, ReadUpload(request));
              upload.uploader_profile_id = profile.id;
              return Created(services.media.Upload(ShopOf(request), upload));
            }));
}

void RegisterMediaRoutes(http::RouteGroup admin, const ApiServices& services) {
  admin.WithBodyLimit(services.media.limits().max_bytes + kMultipartOverheadBytes)
      .Post("/media", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_TRY(MayUpload(request));
              PLAZA_ASSIGN_OR_RETURN(media::NewUpload upload, ReadUpload(request));
              return Created(services.media.Upload(ShopOf(request), upload));
            }));
  admin.Get("/media/{id}", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_TRY(identity::Authorize(Caller(request), ShopOf(request), identity::Permission::kCatalogRead));
              PLAZA_ASSIGN_OR_RETURN(const std::int64_t id, IdFromPath(request, "id"));
              PLAZA_ASSIGN_OR_RETURN(media::MediaAsset asset, services.media.Get(ShopOf(request), id));
              boost::json::object out = EncodeMedia(asset);
              out["uploader_profile_id"] =
                  asset.uploader_profile_id ? boost::json::value(*asset.uploader_profile_id) : nullptr;
              out["created_at"] = FormatRfc3339(asset.created_at);
              return Response::Json(out);
            }));
}

}  // namespace plaza::api
