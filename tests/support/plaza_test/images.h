#pragma once
// Images made by libvips inside the tests, so no suite needs binary fixtures, and surgery
// on their bytes for the hostile cases. Link plaza_test_images to use it.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vips/vips8>

namespace plaza::media::testing {

inline std::string TakeBlob(VipsBlob* blob) {
  std::size_t length = 0;
  const void* data = vips_blob_get(blob, &length);
  std::string bytes(static_cast<const char*>(data), length);
  vips_area_unref(VIPS_AREA(blob));
  return bytes;
}

// A 3-band sRGB gradient, so encoders have something to compress and a resize has
// something to blur.
inline vips::VImage Gradient(int width, int height) {
  vips::VImage xyz = vips::VImage::xyz(width, height);
  vips::VImage red = xyz[0] * (255.0 / width);
  vips::VImage green = xyz[1] * (255.0 / height);
  vips::VImage blue = (xyz[0] + xyz[1]) * (127.0 / (width + height));
  return red.bandjoin(green)
      .bandjoin(blue)
      .cast(VIPS_FORMAT_UCHAR)
      .copy(vips::VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
}

inline std::string Jpeg(const vips::VImage& image) {
  return TakeBlob(image.jpegsave_buffer(vips::VImage::option()->set("Q", 90)));
}
inline std::string Png(const vips::VImage& image) {
  return TakeBlob(image.pngsave_buffer());
}
inline std::string Webp(const vips::VImage& image) {
  return TakeBlob(image.webpsave_buffer());
}

inline std::string Jpeg(int width, int height) {
  return Jpeg(Gradient(width, height));
}
inline std::string Png(int width, int height) {
  return Png(Gradient(width, height));
}
inline std::string Webp(int width, int height) {
  return Webp(Gradient(width, height));
}

// A JPEG whose EXIF says where it was taken (the Eiffel Tower) and by what camera, and
// whose XMP repeats the place.
inline std::string JpegWithGps(int width, int height) {
  vips::VImage image = Gradient(width, height).copy();
  image.set("exif-ifd0-Make", "PlazaCam");
  image.set("exif-ifd3-GPSLatitudeRef", "N");
  image.set("exif-ifd3-GPSLatitude", "48/1 51/1 2988/100");
  image.set("exif-ifd3-GPSLongitudeRef", "E");
  image.set("exif-ifd3-GPSLongitude", "2/1 17/1 4020/100");
  const std::string xmp =
      "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">"
      "<rdf:Description xmlns:exif=\"http://ns.adobe.com/exif/1.0/\" exif:GPSLatitude=\"48,51.498N\"/>"
      "</rdf:RDF></x:xmpmeta>";
  // Copied by libvips (vips_image_set_blob_copy), so the local string may go.
  vips_image_set_blob_copy(image.get_image(), "xmp-data", xmp.data(), xmp.size());
  return Jpeg(image);
}

inline std::uint32_t Crc32(std::string_view bytes) {
  std::uint32_t crc = 0xFFFFFFFFu;
  for (char c : bytes) {
    crc ^= static_cast<unsigned char>(c);
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

inline void PutBigEndian32(std::string& bytes, std::size_t at, std::uint32_t value) {
  for (std::size_t i = 0; i < 4; ++i) bytes[at + i] = static_cast<char>((value >> (24 - 8 * i)) & 0xFF);
}

// A small PNG whose header claims `width` × `height` (CRC fixed, so the header reads
// as valid): the classic image bomb, a few hundred bytes that would decode to gigabytes.
inline std::string PngClaiming(std::uint32_t width, std::uint32_t height) {
  std::string png = Png(16, 16);
  // Signature (8), IHDR length (4), "IHDR" (4), then width and height.
  PutBigEndian32(png, 16, width);
  PutBigEndian32(png, 20, height);
  PutBigEndian32(png, 29, Crc32(std::string_view(png).substr(12, 17)));
  return png;
}

// A small baseline JPEG whose frame header (SOF0) claims `width` × `height`.
inline std::string JpegClaiming(std::uint16_t width, std::uint16_t height) {
  std::string jpeg = Jpeg(16, 16);
  const std::size_t sof = jpeg.find("\xFF\xC0");
  // Marker (2), length (2), precision (1), then height and width.
  jpeg[sof + 5] = static_cast<char>(height >> 8);
  jpeg[sof + 6] = static_cast<char>(height & 0xFF);
  jpeg[sof + 7] = static_cast<char>(width >> 8);
  jpeg[sof + 8] = static_cast<char>(width & 0xFF);
  return jpeg;
}

}  // namespace plaza::media::testing
