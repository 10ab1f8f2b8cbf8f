#include "plaza/channels/webhook_signature.h"

#include <charconv>
#include <vector>

#include "plaza/core/crypto.h"
#include "plaza/core/text.h"

namespace plaza::channels {
namespace {

// A header longer than this is not one Plaza produced; parsing stops there.
constexpr std::size_t kMaxHeaderLength = 4096;

Error Malformed(std::string detail) {
  return Error::Unauthenticated("webhook/malformed-signature", std::move(detail));
}

}  // namespace

std::string ComputeSignature(std::string_view secret, std::int64_t timestamp_seconds, std::string_view body) {
  std::string message = std::to_string(timestamp_seconds);
  message += '.';
  message += body;
  return text::HexEncode(crypto::HmacSha256(secret, message));
}

std::string SignatureHeader(std::span<const std::string> secrets, std::int64_t timestamp_seconds,
                            std::string_view body) {
  std::string header = "t=" + std::to_string(timestamp_seconds);
  for (const std::string& secret : secrets) header += ",v1=" + ComputeSignature(secret, timestamp_seconds, body);
  return header;
}

Status VerifySignature(std::string_view header, std::string_view body, std::string_view secret, TimePoint now,
                       std::chrono::seconds tolerance) {
  if (header.size() > kMaxHeaderLength) return Malformed("the signature header is too long");
  std::optional<std::int64_t> timestamp;
  std::vector<std::string_view> candidates;
  while (!header.empty()) {
    const std::size_t comma = header.find(',');
    const std::string_view item = text::TrimAscii(header.substr(0, comma));
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    const std::size_t equals = item.find('=');
    if (equals == std::string_view::npos) return Malformed("a signature entry has no '='");
    const std::string_view key = item.substr(0, equals);
    const std::string_view value = item.substr(equals + 1);
    if (key == "t") {
      std::int64_t parsed = 0;
      const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), parsed);
      if (error != std::errc() || end != value.data() + value.size() || parsed < 0 || timestamp) {
        return Malformed("the signature timestamp is not one non-negative integer");
      }
      timestamp = parsed;
    } else if (key == "v1") {
      candidates.push_back(value);
    }
    // Other keys are skipped, so a later scheme can be added next to v1 without
    // breaking receivers written against this one.
  }
  if (!timestamp) return Malformed("the signature has no timestamp");
  if (candidates.empty()) return Malformed("the signature has no v1 entry");
  const std::int64_t now_seconds = ToUnixMillis(now) / 1000;
  const std::int64_t skew = now_seconds > *timestamp ? now_seconds - *timestamp : *timestamp - now_seconds;
  if (skew > tolerance.count()) {
    return Error::Unauthenticated("webhook/stale-timestamp", "the signature timestamp is outside the tolerance");
  }
  const std::string expected = ComputeSignature(secret, *timestamp, body);
  bool matched = false;
  // Every candidate is compared, so the time taken does not reveal which one matched.
  for (const std::string_view candidate : candidates) matched |= crypto::ConstantTimeEquals(candidate, expected);
  if (!matched) return Error::Unauthenticated("webhook/signature-mismatch", "no signature matches the body");
  return Ok();
}

}  // namespace plaza::channels
