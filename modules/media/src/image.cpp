#include "image.h"

#include <algorithm>
#include <cstring>
#include <mutex>
#include <vips/vips8>

namespace plaza::media {
namespace {

// WebP quality for photos: 80 is indistinguishable from the original at these widths
// and about a third of a JPEG at quality 90.
constexpr int kWebpQuality = 80;
// How much of libvips' own message a problem repeats: its first line, bounded, so a
// hostile file cannot make an error answer large.
constexpr std::size_t kMaxDecoderMessage = 160;

Error TooLarge(std::string detail) {
  Error error;
  error.code = ErrorCode::kPayloadTooLarge;
  error.type = "media/too-large";
  error.detail = std::move(detail);
  return error;
}

Error Unreadable(ImageType type, const std::string& decoder_message) {
  std::string detail =
      "the " + std::string(ImageTypeName(type)) + " image could not be read: it is truncated or damaged";
  std::string reason = decoder_message.substr(0, decoder_message.find('\n'));
  if (reason.size() > kMaxDecoderMessage) reason.resize(kMaxDecoderMessage);
  // Only printable ASCII of the decoder's message reaches the answer.
  std::erase_if(reason, [](char c) { return c < 0x20 || c > 0x7E; });
  if (!reason.empty()) detail += " (" + reason + ")";
  return Error::Invalid("media/unreadable-image", detail);
}

// Borrows `bytes` for the duration of one load; libvips copies nothing it keeps.
class BorrowedBlob {
 public:
  explicit BorrowedBlob(std::string_view bytes) : blob_(vips_blob_new(nullptr, bytes.data(), bytes.size())) {}
  ~BorrowedBlob() { vips_area_unref(VIPS_AREA(blob_)); }
  BorrowedBlob(const BorrowedBlob&) = delete;
  BorrowedBlob& operator=(const BorrowedBlob&) = delete;
  VipsBlob* get() const { return blob_; }

 private:
  VipsBlob* blob_;
};

// Opens the image with the loader of its sniffed type only, never libvips' generic one,
// which would also accept SVG, PDF, TIFF and other formats we do not want to parse.
// Loading is lazy: this reads the header, not the pixels.
vips::VImage Open(ImageType type, const BorrowedBlob& blob, int jpeg_shrink) {
  vips::VOption* options = vips::VImage::option()->set("fail_on", VIPS_FAIL_ON_ERROR);
  switch (type) {
    case ImageType::kJpeg:
      return vips::VImage::jpegload_buffer(blob.get(), options->set("shrink", jpeg_shrink));
    case ImageType::kPng:
      return vips::VImage::pngload_buffer(blob.get(), options);
    case ImageType::kWebp:
      return vips::VImage::webpload_buffer(blob.get(), options);
  }
  return {};
}

// EXIF orientations 5–8 turn the image a quarter, so its displayed width is its height.
bool TurnsQuarter(const vips::VImage& image) {
  if (image.get_typeof(VIPS_META_ORIENTATION) == 0) return false;
  const int orientation = image.get_int(VIPS_META_ORIENTATION);
  return orientation >= 5 && orientation <= 8;
}

// The JPEG decoder can scale by 1/2, 1/4 or 1/8 while decoding: pick the largest that
// still leaves at least the largest rendition's width, so a 48 MP photo is never
// decoded whole.
int JpegShrinkFor(int display_width) {
  const int needed = std::min(display_width, std::ranges::max(kRenditionWidths));
  int shrink = 1;
  while (shrink < 8 && display_width / (shrink * 2) >= needed) shrink *= 2;
  return shrink;
}

vips::VImage ToSrgb(vips::VImage image) {
  if (image.get_typeof(VIPS_META_ICC_NAME) != 0) {
    // A broken embedded profile falls back to sRGB rather than refusing a real photo.
    image = image.icc_transform(
        "srgb", vips::VImage::option()->set("embedded", true)->set("input_profile", "srgb")->set("depth", 8));
  } else if (image.interpretation() != VIPS_INTERPRETATION_sRGB) {
    image = image.colourspace(VIPS_INTERPRETATION_sRGB);
  }
  if (image.format() != VIPS_FORMAT_UCHAR) image = image.cast(VIPS_FORMAT_UCHAR);
  return image;
}

// The pixels alone, in a new image: libvips 8.14's WebP saver writes EXIF and XMP even
// with strip set, so nothing is left for it to write.
vips::VImage WithoutMetadata(const vips::VImage& image) {
  std::size_t size = 0;
  void* pixels = image.write_to_memory(&size);
  return vips::VImage::new_from_memory_steal(pixels, size, image.width(), image.height(), image.bands(), image.format())
      .copy(vips::VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
}

Result<std::string> Encode(const vips::VImage& image) {
  VipsBlob* blob =
      WithoutMetadata(image).webpsave_buffer(vips::VImage::option()->set("Q", kWebpQuality)->set("strip", true));
  std::size_t length = 0;
  const void* data = vips_blob_get(blob, &length);
  std::string bytes(static_cast<const char*>(data), length);
  vips_area_unref(VIPS_AREA(blob));
  // libvips 8.14.1 ignores strip for WebP and writes an EXIF block of its own
  // (resolution, orientation); the container is filtered instead of trusting the option.
  return StripWebpMetadata(bytes);
}

std::uint32_t ReadLittleEndian32(std::string_view bytes, std::size_t at) {
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < 4; ++i) value |= std::uint32_t{static_cast<unsigned char>(bytes[at + i])} << (8 * i);
  return value;
}

void WriteLittleEndian32(std::string& bytes, std::size_t at, std::uint32_t value) {
  for (std::size_t i = 0; i < 4; ++i) bytes[at + i] = static_cast<char>((value >> (8 * i)) & 0xFF);
}

}  // namespace

Result<std::string> StripWebpMetadata(std::string_view webp) {
  // RIFF container (RFC 9649): "RIFF", size, "WEBP", then chunks of a fourcc, a
  // little-endian size and the payload padded to an even length.
  constexpr std::size_t kHeader = 12;
  constexpr std::size_t kChunkHeader = 8;
  // VP8X feature flags announcing the chunks removed here.
  constexpr unsigned char kIccFlag = 0x20;
  constexpr unsigned char kExifFlag = 0x08;
  constexpr unsigned char kXmpFlag = 0x04;
  if (SniffImageType(webp) != ImageType::kWebp) return Error::Internal("the encoder did not produce WebP");
  std::string out(webp.substr(0, kHeader));
  std::size_t at = kHeader;
  while (at < webp.size()) {
    if (webp.size() - at < kChunkHeader) return Error::Internal("the encoder produced a truncated WebP chunk");
    const std::string_view fourcc = webp.substr(at, 4);
    const std::size_t payload = ReadLittleEndian32(webp, at + 4);
    const std::size_t total = kChunkHeader + payload + (payload & 1);
    if (total > webp.size() - at) return Error::Internal("the encoder produced a truncated WebP chunk");
    if (fourcc != "EXIF" && fourcc != "XMP " && fourcc != "ICCP") {
      std::string chunk(webp.substr(at, total));
      if (fourcc == "VP8X" && payload >= 1) {
        chunk[kChunkHeader] = static_cast<char>(static_cast<unsigned char>(chunk[kChunkHeader]) &
                                                static_cast<unsigned char>(~(kIccFlag | kExifFlag | kXmpFlag)));
      }
      out += chunk;
    }
    at += total;
  }
  WriteLittleEndian32(out, 4, static_cast<std::uint32_t>(out.size() - 8));
  return out;
}

void InitMedia() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (VIPS_INIT("plaza") != 0) vips_error_exit("libvips failed to start");
    // Each upload is new: a cache would only keep decoded pixels alive.
    vips_cache_set_max(0);
    vips_cache_set_max_mem(0);
    vips_cache_set_max_files(0);
    // Uploads already run on the server's worker threads; one libvips thread each keeps
    // two uploads from taking every core of a small machine.
    vips_concurrency_set(1);
    // A damaged upload makes libvips log a warning per bad tile on stderr, outside the
    // structured logs and as often as anyone cares to upload one; the failure itself
    // reaches the uploader as media/unreadable-image.
    g_log_set_handler(
        "VIPS", G_LOG_LEVEL_WARNING, [](const gchar*, GLogLevelFlags, const gchar*, gpointer) {}, nullptr);
  });
}

std::string_view ImageTypeName(ImageType type) {
  switch (type) {
    case ImageType::kJpeg:
      return "JPEG";
    case ImageType::kPng:
      return "PNG";
    case ImageType::kWebp:
      return "WebP";
  }
  return "";
}

std::optional<ImageType> SniffImageType(std::string_view bytes) {
  auto starts = [&](std::size_t at, std::string_view magic) {
    return bytes.size() >= at + magic.size() && bytes.substr(at, magic.size()) == magic;
  };
  if (starts(0, "\xFF\xD8\xFF")) return ImageType::kJpeg;
  if (starts(0, "\x89PNG\r\n\x1A\n")) return ImageType::kPng;
  if (starts(0, "RIFF") && starts(8, "WEBP")) return ImageType::kWebp;
  return std::nullopt;
}

std::vector<int> RenditionWidthsFor(int width) {
  const int largest = std::ranges::max(kRenditionWidths);
  std::vector<int> widths;
  for (int standard : kRenditionWidths) {
    if (standard < std::min(width, largest)) widths.push_back(standard);
  }
  widths.push_back(std::min(width, largest));
  return widths;
}

Result<std::vector<EncodedRendition>> ProcessImage(std::string_view bytes, const ImageLimits& limits) {
  if (bytes.size() > limits.max_bytes) {
    return TooLarge("the file is " + std::to_string(bytes.size()) + " bytes; at most " +
                    std::to_string(limits.max_bytes) + " are accepted");
  }
  const std::optional<ImageType> type = SniffImageType(bytes);
  if (!type) {
    return Error::Invalid("media/unsupported-type", "the file is not a JPEG, PNG or WebP image");
  }
  const BorrowedBlob blob(bytes);
  try {
    vips::VImage image = Open(*type, blob, 1);
    const std::int64_t pixels = std::int64_t{image.width()} * image.height();
    if (pixels > limits.max_pixels || image.width() > limits.max_side || image.height() > limits.max_side) {
      return TooLarge("the image is " + std::to_string(image.width()) + " × " + std::to_string(image.height()) +
                      " pixels; at most " + std::to_string(limits.max_pixels / 1'000'000) + " megapixels and " +
                      std::to_string(limits.max_side) + " pixels a side are accepted");
    }
    const int display_width = TurnsQuarter(image) ? image.height() : image.width();
    if (*type == ImageType::kJpeg) {
      const int shrink = JpegShrinkFor(display_width);
      if (shrink > 1) image = Open(*type, blob, shrink);
    }
    image = ToSrgb(image.autorot());
    // Decodes every pixel now, so a truncated or corrupt file fails here and not half way
    // through the encodes.
    image = image.copy_memory();

    std::vector<EncodedRendition> renditions;
    for (int width : RenditionWidthsFor(display_width)) {
      const vips::VImage resized =
          width == image.width() ? image : image.resize(static_cast<double>(width) / image.width());
      PLAZA_ASSIGN_OR_RETURN(std::string webp, Encode(resized));
      renditions.push_back({resized.width(), resized.height(), std::move(webp)});
    }
    return renditions;
  } catch (const vips::VError& error) {
    vips_error_clear();
    return Unreadable(*type, error.what());
  }
}

}  // namespace plaza::media
