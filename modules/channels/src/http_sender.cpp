#include "plaza/channels/http_sender.h"

#include <arpa/inet.h>
#include <curl/curl.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <stdexcept>

namespace plaza::channels {
namespace {

// How long one wait for socket activity lasts before curl's own time-outs are checked
// again; curl wakes earlier whenever a transfer needs attention.
constexpr int kPollMillis = 1000;

struct EasyDeleter {
  void operator()(CURL* easy) const { curl_easy_cleanup(easy); }
};
struct MultiDeleter {
  void operator()(CURLM* multi) const { curl_multi_cleanup(multi); }
};
struct HeaderListDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

struct Transfer {
  const HttpRequest* request = nullptr;
  std::unique_ptr<CURL, EasyDeleter> easy;
  std::unique_ptr<curl_slist, HeaderListDeleter> headers;
  std::size_t max_bytes = 0;
  std::size_t received = 0;
  bool truncated = false;
  bool blocked_address = false;
  bool done = false;
  std::array<char, CURL_ERROR_SIZE> error_buffer{};
  HttpResponse response;
};

std::size_t OnBody(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const std::size_t bytes = size * count;
  const std::size_t room = transfer->max_bytes - std::min(transfer->max_bytes, transfer->received);
  transfer->response.body_excerpt.append(data, std::min(bytes, room));
  transfer->received += bytes;
  if (transfer->received > transfer->max_bytes) {
    // Returning less than was given makes curl abort the transfer.
    transfer->truncated = true;
    return 0;
  }
  return bytes;
}

int OnConnected(void* user, char* primary_ip, char* /*local_ip*/, int /*primary_port*/, int /*local_port*/) {
  auto* transfer = static_cast<Transfer*>(user);
  if (IsNonPublicAddress(primary_ip)) {
    transfer->blocked_address = true;
    return CURL_PREREQFUNC_ABORT;
  }
  return CURL_PREREQFUNC_OK;
}

void InitCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) throw std::runtime_error("libcurl could not be initialised");
  });
}

class CurlHttpSender final : public HttpSender {
 public:
  explicit CurlHttpSender(CurlSenderOptions options) : options_(std::move(options)) {
    if (options_.max_concurrent < 1) throw std::invalid_argument("max_concurrent must be at least 1");
    InitCurlOnce();
  }

  std::vector<HttpResponse> PostAll(std::span<const HttpRequest> requests) override {
    std::vector<Transfer> transfers(requests.size());
    for (std::size_t i = 0; i < requests.size(); ++i) Prepare(requests[i], transfers[i]);
    std::unique_ptr<CURLM, MultiDeleter> multi(curl_multi_init());
    if (!multi) return FailAll(transfers, "cannot create a curl multi handle");

    std::size_t next = 0;
    std::size_t active = 0;
    // Transfers are added as others finish rather than all at once, so a queued transfer's
    // time-out only starts when it actually starts.
    auto add_more = [&] {
      bool added = false;
      while (next < transfers.size() && active < options_.max_concurrent) {
        Transfer& transfer = transfers[next++];
        if (transfer.done) continue;
        if (curl_multi_add_handle(multi.get(), transfer.easy.get()) != CURLM_OK) {
          Finish(transfer, CURLE_FAILED_INIT);
          continue;
        }
        ++active;
        added = true;
      }
      return added;
    };
    add_more();
    while (active > 0) {
      int running = 0;
      if (curl_multi_perform(multi.get(), &running) != CURLM_OK) break;
      int queued = 0;
      while (CURLMsg* message = curl_multi_info_read(multi.get(), &queued)) {
        if (message->msg != CURLMSG_DONE) continue;
        for (Transfer& transfer : transfers) {
          if (transfer.easy.get() != message->easy_handle) continue;
          Finish(transfer, message->data.result);
          curl_multi_remove_handle(multi.get(), transfer.easy.get());
          --active;
          break;
        }
      }
      if (add_more()) continue;
      if (active > 0 && curl_multi_poll(multi.get(), nullptr, 0, kPollMillis, nullptr) != CURLM_OK) break;
    }
    for (Transfer& transfer : transfers) {
      if (transfer.done) continue;
      curl_multi_remove_handle(multi.get(), transfer.easy.get());
      transfer.response.error = "the HTTP client failed before the request completed";
    }
    std::vector<HttpResponse> responses;
    responses.reserve(transfers.size());
    for (Transfer& transfer : transfers) responses.push_back(std::move(transfer.response));
    return responses;
  }

 private:
  static std::vector<HttpResponse> FailAll(std::vector<Transfer>& transfers, const std::string& error) {
    std::vector<HttpResponse> responses(transfers.size());
    for (HttpResponse& response : responses) response.error = error;
    return responses;
  }

  void Prepare(const HttpRequest& request, Transfer& transfer) const {
    transfer.request = &request;
    transfer.max_bytes = options_.max_response_bytes;
    transfer.easy.reset(curl_easy_init());
    CURL* easy = transfer.easy.get();
    if (easy == nullptr) {
      transfer.done = true;
      transfer.response.error = "cannot create a curl handle";
      return;
    }
    curl_slist* list = nullptr;
    bool complete = true;
    auto append = [&](const std::string& line) {
      curl_slist* grown = curl_slist_append(list, line.c_str());
      if (grown == nullptr) complete = false;  // out of memory; `list` is unchanged
      if (grown != nullptr) list = grown;
    };
    for (const auto& [name, value] : request.headers) {
      std::string line;
      line.reserve(name.size() + 2 + value.size());
      line.append(name).append(": ").append(value);
      append(line);
    }
    // Without this, curl sends "Expect: 100-continue" for larger bodies and waits for an
    // interim answer many receivers never give.
    append("Expect:");
    transfer.headers.reset(list);
    if (!complete) {
      // A request missing a header (its signature, say) must not go out.
      transfer.done = true;
      transfer.response.error = "out of memory while preparing the request headers";
      return;
    }
    curl_easy_setopt(easy, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_POST, 1L);
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, transfer.headers.get());
    curl_easy_setopt(easy, CURLOPT_USERAGENT, options_.user_agent.c_str());
    // A redirect is the receiver's misconfiguration; following it could also lead a
    // signed payload somewhere the merchant never registered.
    curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout.count()));
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.total_timeout.count()));
    curl_easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options_.max_response_bytes));
    // Signals are for the process, not for a library on a worker thread.
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    // An empty string turns proxies off, environment variables included.
    curl_easy_setopt(easy, CURLOPT_PROXY, options_.proxy.c_str());
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &OnBody);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &transfer);
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, transfer.error_buffer.data());
    // Through a proxy the connected address is the proxy's, so the check belongs there.
    if (options_.block_private_networks && options_.proxy.empty()) {
      curl_easy_setopt(easy, CURLOPT_PREREQFUNCTION, &OnConnected);
      curl_easy_setopt(easy, CURLOPT_PREREQDATA, &transfer);
    }
  }

  static void Finish(Transfer& transfer, CURLcode result) {
    transfer.done = true;
    long status = 0;
    curl_easy_getinfo(transfer.easy.get(), CURLINFO_RESPONSE_CODE, &status);
    const bool answered = status > 0 && (result == CURLE_OK || (result == CURLE_WRITE_ERROR && transfer.truncated) ||
                                         result == CURLE_FILESIZE_EXCEEDED);
    if (answered) {
      transfer.response.status_code = static_cast<int>(status);
      return;
    }
    transfer.response.status_code = 0;
    if (transfer.blocked_address) {
      transfer.response.error = "the receiver's address is not public, and non-public addresses are blocked";
    } else if (transfer.error_buffer[0] != '\0') {
      transfer.response.error = transfer.error_buffer.data();
    } else {
      transfer.response.error = curl_easy_strerror(result);
    }
  }

  CurlSenderOptions options_;
};

bool IsNonPublicIpv4(const std::uint8_t* octets) {
  const std::uint8_t a = octets[0];
  const std::uint8_t b = octets[1];
  return a == 0 || a == 10 || a == 127 ||           // "this network", private, loopback
         (a == 100 && b >= 64 && b <= 127) ||       // carrier-grade NAT
         (a == 169 && b == 254) ||                  // link-local (cloud metadata lives here)
         (a == 172 && b >= 16 && b <= 31) ||        // private
         (a == 192 && b == 0 && octets[2] == 0) ||  // IETF protocol assignments
         (a == 192 && b == 168) ||                  // private
         (a == 198 && (b == 18 || b == 19)) ||      // benchmarking
         a >= 224;                                  // multicast, reserved, broadcast
}

}  // namespace

std::unique_ptr<HttpSender> MakeCurlHttpSender(CurlSenderOptions options) {
  return std::make_unique<CurlHttpSender>(std::move(options));
}

bool IsNonPublicAddress(const std::string& address) {
  std::array<std::uint8_t, 16> bytes{};
  if (inet_pton(AF_INET, address.c_str(), bytes.data()) == 1) return IsNonPublicIpv4(bytes.data());
  if (inet_pton(AF_INET6, address.c_str(), bytes.data()) != 1) return false;
  const bool upper_zero = std::all_of(bytes.begin(), bytes.begin() + 10, [](std::uint8_t byte) { return byte == 0; });
  if (upper_zero && bytes[10] == 0xff && bytes[11] == 0xff)
    return IsNonPublicIpv4(bytes.data() + 12);                      // ::ffff:a.b.c.d
  if (upper_zero && bytes[10] == 0 && bytes[11] == 0) return true;  // ::, ::1 and the deprecated ::a.b.c.d
  return (bytes[0] & 0xfe) == 0xfc ||                               // unique local fc00::/7
         (bytes[0] == 0xfe && (bytes[1] & 0xc0) == 0x80) ||         // link-local fe80::/10
         bytes[0] == 0xff;                                          // multicast
}

}  // namespace plaza::channels
