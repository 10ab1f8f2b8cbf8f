#pragma once
// gzip for answers a browser will read: pages, stylesheets, scripts, XML and plain text.
// JSON answers stay uncompressed: API clients on a data centre link gain little, and
// the CPU is better spent answering them.

#include <optional>
#include <string>
#include <string_view>

#include "plaza/http/request.h"
#include "plaza/http/response.h"

namespace plaza::http {

// Answers smaller than this are sent as they are: gzip's header and the CPU cost more
// than the bytes saved.
inline constexpr std::size_t kMinCompressedBody = 1024;

// `data` in the gzip format (RFC 1952), or nullopt if zlib fails.
std::optional<std::string> Gzip(std::string_view data);

// True when the client lists gzip in Accept-Encoding with a non-zero q-value.
bool AcceptsGzip(const Request& request);

// Compresses `response` in place when the client accepts gzip, the content type is
// textual and not JSON, the body is at least kMinCompressedBody, and no encoding is set
// yet; adds "Vary: Accept-Encoding" to every answer of a compressible type, compressed
// or not, so shared caches keep the variants apart.
void CompressForClient(const Request& request, Response& response);

}  // namespace plaza::http
