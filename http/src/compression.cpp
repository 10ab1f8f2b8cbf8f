#include "compression.h"

#include <zlib.h>

#include <array>

#include "plaza/core/text.h"

namespace plaza::http {
namespace {

bool CompressibleType(std::string_view content_type) {
  const std::string_view type = content_type.substr(0, content_type.find(';'));
  return type.starts_with("text/") || type == "application/xml" || type == "image/svg+xml" ||
         type == "application/javascript";
}

// The q-value of a coding in an Accept-Encoding element such as "gzip;q=0.5".
bool Refused(std::string_view parameters) {
  const std::size_t q = parameters.find("q=");
  if (q == std::string_view::npos) return false;
  const std::string_view value = text::TrimAscii(parameters.substr(q + 2));
  return value.find_first_not_of("0.") == std::string_view::npos;
}

}  // namespace

std::optional<std::string> Gzip(std::string_view data) {
  z_stream stream{};
  // 15 window bits plus 16 selects the gzip wrapper instead of zlib's.
  constexpr int kGzipWindowBits = 15 + 16;
  constexpr int kMemoryLevel = 8;
  if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, kGzipWindowBits, kMemoryLevel, Z_DEFAULT_STRATEGY) !=
      Z_OK) {
    return std::nullopt;
  }
  std::string out(deflateBound(&stream, static_cast<uLong>(data.size())), '\0');
  // zlib's API is not const-correct; it does not write through next_in.
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int result = deflate(&stream, Z_FINISH);
  const std::size_t written = stream.total_out;
  deflateEnd(&stream);
  if (result != Z_STREAM_END) return std::nullopt;
  out.resize(written);
  return out;
}

bool AcceptsGzip(const Request& request) {
  const auto header = request.Header("Accept-Encoding");
  if (!header) return false;
  std::string_view rest = *header;
  while (!rest.empty()) {
    const std::size_t comma = rest.find(',');
    const std::string_view element = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    const std::size_t semicolon = element.find(';');
    const std::string coding = text::ToLowerAscii(text::TrimAscii(element.substr(0, semicolon)));
    if (coding != "gzip" && coding != "x-gzip") continue;
    return semicolon == std::string_view::npos || !Refused(element.substr(semicolon + 1));
  }
  return false;
}

void CompressForClient(const Request& request, Response& response) {
  const auto type = response.headers.Get("Content-Type");
  if (!type || !CompressibleType(*type) || response.headers.Has("Content-Encoding")) return;
  response.SetHeader("Vary", "Accept-Encoding");
  if (response.body.size() < kMinCompressedBody || !AcceptsGzip(request)) return;
  std::optional<std::string> compressed = Gzip(response.body);
  if (!compressed || compressed->size() >= response.body.size()) return;
  response.body = std::move(*compressed);
  response.SetHeader("Content-Encoding", "gzip");
}

}  // namespace plaza::http
