#include "uploads.h"

#include <charconv>
#include <utility>

#include "plaza/core/text.h"
#include "plaza/http/multipart.h"

namespace plaza::web {
namespace {

// Room for the multipart framing and the text fields around the largest images.
constexpr std::size_t kFormOverheadBytes = 64 * 1024;
// The files, their alt texts, the CSRF token and the page's own fields (stars, text,
// a disclosure checkbox, product tags).
constexpr http::MultipartLimits kPageFormLimits{.max_parts = 32, .max_part_head_bytes = 2048};

// "photo" -> "photo", "cover_image" -> "cover image": how the page's field reads in a
// sentence.
std::string Label(std::string_view field) {
  std::string label(field);
  for (char& c : label) {
    if (c == '_') c = ' ';
  }
  return label;
}

std::string Megabytes(std::size_t bytes) {
  return std::to_string(bytes / (1024 * 1024)) + " MB";
}

// The service's error for one file, told about the form field a person filled in.
Error ForField(Error error, std::string_view field, const media::ImageLimits& limits) {
  const std::string label = Label(field);
  const bool alt = error.field.ends_with("/alt");
  error.field = "/" + std::string(field) + (alt ? "_alt" : "");
  if (alt) {
    error.detail = "The description of the " + label + " is too long or not valid text: keep it under " +
                   std::to_string(media::kMaxAltLength) + " characters.";
  } else if (error.type == "media/unreadable-image") {
    error.detail = "The " + label + " could not be read as an image. Choose a JPEG, PNG or WebP photo.";
  } else if (error.type == "media/unsupported-type") {
    error.detail = "The " + label + " is not a JPEG, PNG or WebP image.";
  } else if (error.type == "media/too-large") {
    error.detail = "The " + label + " is too large: choose an image under " + Megabytes(limits.max_bytes) + " and " +
                   std::to_string(limits.max_pixels / 1'000'000) + " megapixels.";
  }
  return error;
}

}  // namespace

std::string UploadedForm::Field(std::string_view name) const {
  const auto it = fields.find(name);
  return it == fields.end() ? std::string() : it->second;
}

std::vector<std::int64_t> UploadedForm::Media(std::string_view name) const {
  const auto it = media.find(name);
  return it == media.end() ? std::vector<std::int64_t>() : it->second;
}

http::RouteGroup UploadRoutes(http::Router& router, const media::MediaService& media) {
  return router.WithBodyLimit(kMaxFormFiles * media.limits().max_bytes + kFormOverheadBytes);
}

std::string UploadFormToken(const http::Request& request) {
  auto form = http::ParseMultipartFormData(request, kPageFormLimits);
  if (!form.ok()) return {};
  const http::MultipartPart* token = form->Find("csrf_token");
  return token == nullptr || token->filename ? std::string() : std::string(token->body);
}

Result<UploadedForm> ReadUploadForm(const http::Request& request, media::MediaService& media, std::int64_t shop_id,
                                    std::optional<std::int64_t> uploader_profile_id) {
  PLAZA_ASSIGN_OR_RETURN(http::MultipartForm form, http::ParseMultipartFormData(request, kPageFormLimits));
  UploadedForm result;
  std::vector<const http::MultipartPart*> files;
  for (const http::MultipartPart& part : form.parts) {
    if (!part.filename) {
      if (!text::IsValidUtf8(part.body)) {
        return Error::Invalid("validation/utf8", "The " + Label(part.name) + " is not valid text.", "/" + part.name);
      }
      result.fields.insert_or_assign(part.name, std::string(part.body));
    } else if (!part.body.empty()) {
      files.push_back(&part);
    }
  }
  if (files.size() > kMaxFormFiles) {
    return Error::Invalid("validation/too-many-files",
                          "Choose at most " + std::to_string(kMaxFormFiles) + " images at once.",
                          "/" + files.back()->name);
  }
  std::vector<media::NewUpload> uploads;
  for (const http::MultipartPart* file : files) {
    uploads.push_back(
        {.bytes = file->body, .alt = result.Field(file->name + "_alt"), .uploader_profile_id = uploader_profile_id});
  }
  auto assets = media.UploadAll(shop_id, uploads);
  if (!assets.ok()) {
    const Error& error = assets.error();
    // The service prefixes the index of the failing upload: "/1" or "/1/alt".
    std::size_t index = 0;
    const std::string_view field = error.field;
    if (field.size() > 1 && field.front() == '/' &&
        std::from_chars(field.data() + 1, field.data() + field.size(), index).ec == std::errc() &&
        index < files.size()) {
      return ForField(error, files[index]->name, media.limits());
    }
    return error;
  }
  for (std::size_t i = 0; i < files.size(); ++i) result.media[files[i]->name].push_back((*assets)[i].id);
  return result;
}

}  // namespace plaza::web
