#pragma once
// Uploaded images of one shop: posts, reviews and avatars refer to them by id. An upload
// is sniffed (JPEG, PNG or WebP by its magic bytes, whatever the client declared),
// bounded in bytes and pixels before it is decoded, then decoded, turned upright and
// re-encoded as WebP at a few widths (never wider than the original) with every piece
// of metadata left behind (EXIF, GPS, XMP, IPTC, ICC profiles: colours are converted to
// sRGB first). Only the re-encoded renditions are kept, in a MediaStore under keys
// MediaService generates. docs/media.md states the rules.
//
// Every function takes the shop and filters by it: an asset of another shop is absent.
//
// Thread-safety: a MediaService may be used from any number of threads at once. Call
// InitMedia() once at process start (it is also called by the MediaService constructor,
// and is idempotent).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "plaza/core/clock.h"
#include "plaza/core/result.h"
#include "plaza/media/media_store.h"
#include "plaza/store/database.h"

namespace plaza::media {

// Widths the renditions are made at; an image narrower than the largest gets one
// rendition at its own width instead of the wider ones.
inline constexpr int kRenditionWidths[] = {320, 640, 1280};
inline constexpr std::size_t kMaxAltLength = 500;  // code points

// Bounds checked before any pixel is decoded, so a small file cannot make the server
// allocate gigabytes (an "image bomb": a PNG of a few KB declaring 50,000 × 50,000).
struct ImageLimits {
  std::size_t max_bytes = std::size_t{15} * 1024 * 1024;  // a phone photo is 2–8 MB
  std::int64_t max_pixels = 50'000'000;                   // 50 MP: beyond any phone camera
  int max_side = 12'000;                                  // a panorama is long, but not this long
};

struct Rendition {
  int width = 0;
  int height = 0;
};

struct MediaAsset {
  std::int64_t id = 0;
  std::int64_t shop_id = 0;
  std::optional<std::int64_t> uploader_profile_id;  // none for staff uploads
  int width = 0;                                    // of the largest rendition
  int height = 0;
  std::vector<Rendition> renditions;  // ascending width
  std::string alt;                    // may be empty
  TimePoint created_at{};
  // A random token that is part of every rendition's path, so the images of private
  // profiles cannot be found by counting ids.
  std::string path_token;
};

struct NewUpload {
  std::string_view bytes;  // the file as received; its type is sniffed, never declared
  std::string alt;
  std::optional<std::int64_t> uploader_profile_id;  // the profile uploading; none for staff
};

// A module that keeps media ids (or links to renditions) tells the orphan sweep which
// assets it still uses. Implementations read their own tables only, inside the sweep's
// transaction: an attachment committed while the sweep runs is either seen or makes the
// sweep's transaction fail serialization and run again, so it never loses its photo.
// Registered at start-up with MediaService::RegisterReferrer (app/src/plaza_server.cpp).
class MediaReferrer {
 public:
  virtual ~MediaReferrer() = default;
  // Those of `candidate_ids` (assets of `shop_id`) this module refers to; order and
  // duplicates do not matter.
  virtual Result<std::vector<std::int64_t>> InUse(store::Transaction& tx, std::int64_t shop_id,
                                                  std::span<const std::int64_t> candidate_ids) = 0;
};

// How long an unattached upload is kept: a compose or review form may stay open for
// hours between the photo's upload and the post.
inline constexpr std::chrono::hours kOrphanGrace{24};
// The shortest grace SweepOrphans accepts, so no sweep can take a photo from a form
// that is being sent.
inline constexpr std::chrono::hours kMinOrphanGrace{1};

struct SweepResult {
  std::int64_t assets = 0;  // asset rows removed
  std::int64_t bytes = 0;   // their renditions' bytes
  // Files that could not be deleted this time; they are kept on a list and tried again
  // by the next sweep.
  std::int64_t files_left = 0;
};

// A rendition's bytes, ready to serve.
struct RenditionFile {
  std::string content_type;  // "image/webp"
  std::string bytes;
};

// Initialises libvips once for the process: no operation cache (each upload is new, and a
// cache would keep decoded pixels alive) and one worker thread per operation (uploads
// already run on the server's worker pool). Safe to call from several threads.
void InitMedia();

class MediaService {
 public:
  MediaService(store::Database& db, const Clock& clock, MediaStore& store, ImageLimits limits = {});

  // Checks, decodes and re-encodes `upload`, stores its renditions and records the asset.
  // Errors, with nothing stored: "media/too-large" (kPayloadTooLarge: bytes, pixels or
  // a side beyond the limits), "media/unsupported-type" (kInvalidArgument: not JPEG, PNG
  // or WebP), "media/unreadable-image" (kInvalidArgument: truncated or malformed),
  // "validation/too-long" or "validation/utf8" for the alt text (field "/alt").
  Result<MediaAsset> Upload(std::int64_t shop_id, const NewUpload& upload);
  // Several uploads at once, all or nothing (a form with several photos): every image is
  // checked and encoded before any file is written, and the assets are recorded in one
  // transaction. The error of the first upload that fails has its index prefixed to its
  // field ("/1" or "/1/alt").
  Result<std::vector<MediaAsset>> UploadAll(std::int64_t shop_id, const std::vector<NewUpload>& uploads);

  // kNotFound when the shop has no such asset.
  Result<MediaAsset> Get(std::int64_t shop_id, std::int64_t media_id);
  // The same inside the caller's transaction, so a post or review can check the media
  // ids it stores in the transaction that stores them.
  Result<MediaAsset> Get(store::Transaction& tx, std::int64_t shop_id, std::int64_t media_id);

  // The assets `media_ids` name, in that order, each checked to belong to the shop and to
  // have been uploaded by `uploader_profile_id`. Errors: kNotFound-like
  // "media/not-found" (kInvalidArgument, field "<field>/<index>") for an id that is
  // absent or uploaded by someone else, so nobody can attach another person's photo.
  Result<std::vector<MediaAsset>> GetOwned(store::Transaction& tx, std::int64_t shop_id,
                                           const std::vector<std::int64_t>& media_ids, std::int64_t uploader_profile_id,
                                           const std::string& field);

  // The rendition of `media_id` at `width` (one of asset.renditions) when `path_token`
  // matches the asset's; kNotFound otherwise.
  Result<RenditionFile> OpenRendition(std::int64_t shop_id, std::int64_t media_id, std::string_view path_token,
                                      int width);

  // Adds a module's view of the ids it keeps. REQUIRES: called during start-up, before
  // any sweep; `referrer` outlives the service.
  void RegisterReferrer(MediaReferrer& referrer);

  // Removes the uploads of `shop_id` (every shop when nullopt) that are older than
  // `older_than` and that no registered referrer uses: their rows in one transaction per
  // batch, after asking every referrer inside it, then their files. A file that cannot
  // be deleted is logged and tried again by the next sweep, which first retries those.
  // Staff uploads (no uploader profile) are kept: their URLs are the shop's own images,
  // linked from products and from outside Plaza where no referrer can see them.
  // Errors: "media/grace-too-short" (kInvalidArgument) below kMinOrphanGrace;
  // "media/no-referrers" (kInternal) when nothing is registered, since every upload
  // would then look unused.
  Result<SweepResult> SweepOrphans(std::optional<std::int64_t> shop_id,
                                   std::chrono::milliseconds older_than = kOrphanGrace);

  const ImageLimits& limits() const { return limits_; }

 private:
  struct Batch;
  Result<Batch> SweepBatch(std::int64_t shop_id, std::int64_t after_id, TimePoint cutoff);
  // Deletes the files listed in media_deletions for the shop and forgets those deleted.
  Status DeleteListedFiles(std::int64_t shop_id);

  store::Database& db_;
  const Clock& clock_;
  MediaStore& store_;
  ImageLimits limits_;
  std::vector<MediaReferrer*> referrers_;
};

// The path a page or API answer links for one rendition:
// "/api/v1/shops/<shop>/media/<id>/<path_token>/<width>.webp".
std::string MediaPath(const MediaAsset& asset, int width);

// The asset id a link to one of `shop_id`'s renditions names: `url` is a MediaPath, or
// an absolute URL whose path is one. nullopt for anything else, another shop's image
// included.
std::optional<std::int64_t> MediaIdInUrl(std::string_view url, std::int64_t shop_id);

}  // namespace plaza::media
