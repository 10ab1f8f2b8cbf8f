#pragma once
// A real HTTP/1.1 server on 127.0.0.1 for tests of outbound HTTP (webhooks): one thread,
// blocking POSIX sockets, one request per connection. It records every request and
// answers from a script: so many 500s, then 200; or no answer at all, so the client's
// time-out fires. Header-only so that a test binary needs nothing more than this include.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace plaza::testing {

struct ReceivedRequest {
  std::string method;
  std::string target;
  std::vector<std::pair<std::string, std::string>> headers;  // names as sent
  std::string body;

  // The value of the first header named `name` (case-insensitive), or "" when absent.
  std::string Header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
      if (key.size() == name.size() &&
          std::equal(key.begin(), key.end(), name.begin(), [](char a, char b) { return Lower(a) == Lower(b); })) {
        return value;
      }
    }
    return {};
  }

 private:
  static char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
};

// How the receiver answers one request.
struct ReceiverAnswer {
  int status = 200;
  bool hang = false;  // read the request, never answer; the connection stays open until the client gives up
  std::string body{};
  std::vector<std::pair<std::string, std::string>> headers{};
};

class HttpReceiver {
 public:
  // Listens on an ephemeral port of 127.0.0.1. Throws std::runtime_error when it cannot.
  HttpReceiver() {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listen_fd_ < 0) throw std::runtime_error("receiver: socket() failed");
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = 0;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listen_fd_, 64) != 0) {
      ::close(listen_fd_);
      throw std::runtime_error("receiver: cannot listen on 127.0.0.1");
    }
    socklen_t length = sizeof address;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }

  ~HttpReceiver() {
    stop_.store(true);
    thread_.join();
    for (int fd : hung_) ::close(fd);
    ::close(listen_fd_);
  }

  HttpReceiver(const HttpReceiver&) = delete;
  HttpReceiver& operator=(const HttpReceiver&) = delete;

  int port() const { return port_; }
  std::string Url(std::string_view path = "/hooks") const {
    return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
  }

  // The next `count` requests get `answer`; after the script runs out, the default answer.
  void Script(ReceiverAnswer answer, int count = 1) {
    std::lock_guard lock(mutex_);
    for (int i = 0; i < count; ++i) script_.push_back(answer);
  }
  void FailNext(int count, int status = 500) { Script({.status = status}, count); }
  void HangNext(int count) { Script({.hang = true}, count); }
  void SetDefault(ReceiverAnswer answer) {
    std::lock_guard lock(mutex_);
    default_answer_ = std::move(answer);
  }

  std::vector<ReceivedRequest> Requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  std::size_t RequestCount() const {
    std::lock_guard lock(mutex_);
    return requests_.size();
  }
  // Waits until `count` requests arrived, at most `bound`; true when they did.
  bool WaitForRequests(std::size_t count, std::chrono::milliseconds bound) const {
    std::unique_lock lock(mutex_);
    return arrived_.wait_for(lock, bound, [&] { return requests_.size() >= count; });
  }

 private:
  // Bounds that keep a misbehaving client from wedging the test: how long a read may
  // stall, and how large a request may be.
  static constexpr int kReadTimeoutSeconds = 5;
  static constexpr std::size_t kMaxHeaderBytes = 64 * 1024;
  static constexpr std::size_t kMaxBodyBytes = 4 * 1024 * 1024;
  // How often the accept loop checks whether the receiver is being destroyed.
  static constexpr int kPollMillis = 50;

  void Serve() {
    while (!stop_.load()) {
      pollfd entry{listen_fd_, POLLIN, 0};
      if (::poll(&entry, 1, kPollMillis) <= 0) continue;
      const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) continue;
      timeval timeout{kReadTimeoutSeconds, 0};
      ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
      HandleConnection(fd);
    }
  }

  void HandleConnection(int fd) {
    ReceivedRequest request;
    if (!ReadRequest(fd, request)) {
      ::close(fd);
      return;
    }
    ReceiverAnswer answer;
    {
      std::lock_guard lock(mutex_);
      if (script_.empty()) {
        answer = default_answer_;
      } else {
        answer = script_.front();
        script_.pop_front();
      }
      requests_.push_back(std::move(request));
    }
    arrived_.notify_all();
    if (answer.hang) {
      hung_.push_back(fd);
      return;
    }
    std::string response = "HTTP/1.1 " + std::to_string(answer.status) + " Scripted\r\n";
    for (const auto& [name, value] : answer.headers) response += name + ": " + value + "\r\n";
    response += "Content-Length: " + std::to_string(answer.body.size()) + "\r\nConnection: close\r\n\r\n";
    response += answer.body;
    std::size_t sent = 0;
    while (sent < response.size()) {
      const ssize_t written = ::send(fd, response.data() + sent, response.size() - sent, MSG_NOSIGNAL);
      if (written <= 0) break;
      sent += static_cast<std::size_t>(written);
    }
    ::close(fd);
  }

  static bool ReadRequest(int fd, ReceivedRequest& request) {
    std::string data;
    std::size_t header_end = std::string::npos;
    char buffer[8192];
    while (header_end == std::string::npos) {
      const ssize_t got = ::recv(fd, buffer, sizeof buffer, 0);
      if (got <= 0) return false;
      data.append(buffer, static_cast<std::size_t>(got));
      header_end = data.find("\r\n\r\n");
      if (header_end == std::string::npos && data.size() > kMaxHeaderBytes) return false;
    }
    const std::string head = data.substr(0, header_end);
    std::size_t line_end = head.find("\r\n");
    const std::string request_line = head.substr(0, line_end);
    const std::size_t first_space = request_line.find(' ');
    const std::size_t second_space = request_line.find(' ', first_space + 1);
    if (first_space == std::string::npos || second_space == std::string::npos) return false;
    request.method = request_line.substr(0, first_space);
    request.target = request_line.substr(first_space + 1, second_space - first_space - 1);
    std::size_t content_length = 0;
    while (line_end != std::string::npos && line_end < head.size()) {
      const std::size_t start = line_end + 2;
      line_end = head.find("\r\n", start);
      const std::string line = head.substr(start, line_end == std::string::npos ? std::string::npos : line_end - start);
      const std::size_t colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      request.headers.emplace_back(line.substr(0, colon), value);
    }
    const std::string length_text = request.Header("Content-Length");
    const auto [end, error] =
        std::from_chars(length_text.data(), length_text.data() + length_text.size(), content_length);
    if (!length_text.empty() && (error != std::errc() || end != length_text.data() + length_text.size())) return false;
    if (content_length > kMaxBodyBytes) return false;
    request.body = data.substr(header_end + 4);
    while (request.body.size() < content_length) {
      const ssize_t got = ::recv(fd, buffer, sizeof buffer, 0);
      if (got <= 0) return false;
      request.body.append(buffer, static_cast<std::size_t>(got));
    }
    request.body.resize(content_length);
    return true;
  }

  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::vector<int> hung_;  // used by the server thread only, then by the destructor after join

  mutable std::mutex mutex_;
  mutable std::condition_variable arrived_;
  std::deque<ReceiverAnswer> script_;      // GUARDED_BY(mutex_)
  ReceiverAnswer default_answer_;          // GUARDED_BY(mutex_)
  std::vector<ReceivedRequest> requests_;  // GUARDED_BY(mutex_)
};

}  // namespace plaza::testing
