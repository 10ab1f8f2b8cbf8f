#pragma once
// The image pipeline behind MediaService::Upload: sniff, bound, decode, turn upright,
// convert to sRGB, resize and encode as WebP without metadata. Pure: no database, no
// storage, so every refusal is testable on bytes alone.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plaza/core/result.h"
#include "plaza/media/media.h"

namespace plaza::media {

enum class ImageType { kJpeg, kPng, kWebp };
std::string_view ImageTypeName(ImageType type);

// The type the first bytes announce, or nullopt for anything else (GIF, SVG, HEIC, …).
std::optional<ImageType> SniffImageType(std::string_view bytes);

struct EncodedRendition {
  int width = 0;
  int height = 0;
  std::string webp;
};

// The widths to render an image `width` pixels wide at: the standard widths below it
// and then min(width, largest standard width). Ascending, never wider than `width`.
std::vector<int> RenditionWidthsFor(int width);

// `webp` without its EXIF, XMP and ICC chunks, its VP8X flags updated to match.
// REQUIRES: `webp` is a WebP file this process encoded (anything else is kInternal).
Result<std::string> StripWebpMetadata(std::string_view webp);

// The renditions of `bytes`, ascending by width. Errors as MediaService::Upload's.
// REQUIRES: InitMedia() has run.
Result<std::vector<EncodedRendition>> ProcessImage(std::string_view bytes, const ImageLimits& limits);

}  // namespace plaza::media
