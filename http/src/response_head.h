#pragma once
// The head of an HTTP/1.x response as it goes on the wire. Private to plaza_http.
//
// The server writes the head it builds here and the body as two buffers of one write.
// Beast's serializer did the same job through a chain of buffer views and one heap node
// per field; on a small response that was a tenth of the server's time per request.

#include <cstddef>
#include <string>
#include <string_view>

namespace plaza::http::internal {

// Value type; not thread-safe.
class ResponseHead {
 public:
  // Starts with the status line. REQUIRES: 100 <= status <= 599; version 10 or 11.
  ResponseHead(int status, unsigned version);

  // Whether a response with `status` may carry content (RFC 9110 §6.4.1: not 1xx, 204
  // or 304); the others get neither Content-Length nor a body.
  static bool HasContent(int status);

  // REQUIRES: neither `name` nor `value` holds CR, LF or NUL; `name` is a non-empty
  // token and not Content-Length, Transfer-Encoding or Connection (Finish writes those).
  void AddField(std::string_view name, std::string_view value);

  // The finished head: Content-Length `content_length` when the status has content, and
  // the Connection field that `keep_alive` needs under the request's HTTP version.
  std::string Finish(bool keep_alive, std::size_t content_length) &&;

 private:
  int status_;
  unsigned version_;
  std::string text_;
};

}  // namespace plaza::http::internal
