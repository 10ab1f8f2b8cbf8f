#pragma once
// Page forms with image files (a post's photos, a review's photo, an avatar): a
// multipart/form-data body, read in full, whose file parts are stored through
// media::MediaService and whose text parts are handed back like ReadForm's fields.
//
// Use:
//   UploadRoutes(router, services.media).Post("/products/{handle}/review", handler);
//   ...
//   auto form = ReadUploadForm(request, services.media, shop_id, profile_id);
//   if (!form.ok()) -> show form.error().detail next to the field form.error().field
//   form->fields["csrf_token"], form->Field("text"), form->media["photo"] (media ids)
//
// A form's file inputs need enctype="multipart/form-data" and accept="image/jpeg,
// image/png,image/webp". A file input left empty sends an empty part, which is skipped.
// The alt text of the file field "photo" is the text field "photo_alt", when present.
// All files are stored or none: a form is refused as a whole when one file fails.
// CSRF stays the page's job: compare fields["csrf_token"] with identity::CheckCsrf.

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plaza/core/result.h"
#include "plaza/http/request.h"
#include "plaza/http/router.h"
#include "plaza/media/media.h"

namespace plaza::web {

// At most this many files per form; each may be as large as MediaService accepts.
inline constexpr std::size_t kMaxFormFiles = 4;

struct UploadedForm {
  // Text parts by name; a repeated name keeps its last value.
  std::map<std::string, std::string, std::less<>> fields;
  // Media ids of the stored files by field name, in the order the files were sent.
  std::map<std::string, std::vector<std::int64_t>, std::less<>> media;

  // The text field `name`, or "" when absent.
  std::string Field(std::string_view name) const;
  // The media ids of the file field `name`, empty when no file was chosen.
  std::vector<std::int64_t> Media(std::string_view name) const;
};

// The routes of `router` that accept a form with kMaxFormFiles images: register upload
// forms' POST routes through the group this returns, every other page keeps the small
// default body limit.
http::RouteGroup UploadRoutes(http::Router& router, const media::MediaService& media);

// Reads the multipart form of `request` and stores its files for `shop_id` as uploaded by
// `uploader_profile_id` (nullopt: staff). Errors, with nothing stored, carry a `detail`
// to show the person and the form field it belongs to as `field` ("/photo"): e.g. "The
// photo could not be read as an image." for a file that is no JPEG, PNG or WebP; a
// malformed body or a wrong content type is "http/bad-multipart" /
// "http/unsupported-media-type".
Result<UploadedForm> ReadUploadForm(const http::Request& request, media::MediaService& media, std::int64_t shop_id,
                                    std::optional<std::int64_t> uploader_profile_id);

// The text field "csrf_token" of the multipart form of `request`, "" when it has none;
// read before ReadUploadForm so that a forged form stores no file.
std::string UploadFormToken(const http::Request& request);

}  // namespace plaza::web
