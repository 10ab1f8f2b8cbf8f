#pragma once
// A real SMTP server on 127.0.0.1 for tests of outgoing mail: one thread, blocking POSIX
// sockets, one session at a time. It speaks the part of RFC 5321 a submission client
// needs (EHLO/HELO, AUTH PLAIN, MAIL FROM, RCPT TO, DATA with dot-stuffing undone, RSET,
// NOOP, QUIT), records every accepted message, and can be told to refuse the next
// messages with a temporary failure (451) after their data, as a busy server does.
// Header-only so that a test binary needs nothing more than this include.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace plaza::testing {

struct ReceivedMail {
  std::string helo;  // the name the client gave in EHLO/HELO
  std::string auth;  // the decoded AUTH PLAIN response ("\0user\0password"); empty without AUTH
  std::string mail_from;
  std::vector<std::string> recipients;
  std::string data;  // as transmitted, CRLF line ends, dot-stuffing undone, without the final "."

  // The value of the first header `name` (exact case) in `data`, or "" when absent.
  std::string Header(std::string_view name) const {
    const std::string prefix = std::string(name) + ": ";
    std::size_t start = 0;
    while (start < data.size()) {
      const std::size_t end = data.find("\r\n", start);
      const std::string_view line(data.data() + start, (end == std::string::npos ? data.size() : end) - start);
      if (line.empty()) break;  // end of the header section
      if (line.starts_with(prefix)) return std::string(line.substr(prefix.size()));
      if (end == std::string::npos) break;
      start = end + 2;
    }
    return {};
  }
  // Everything after the blank line that ends the headers.
  std::string Body() const {
    const std::size_t blank = data.find("\r\n\r\n");
    return blank == std::string::npos ? std::string() : data.substr(blank + 4);
  }
};

class SmtpReceiver {
 public:
  // Listens on an ephemeral port of 127.0.0.1. Throws std::runtime_error when it cannot.
  SmtpReceiver() {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listen_fd_ < 0) throw std::runtime_error("smtp receiver: socket() failed");
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = 0;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listen_fd_, 16) != 0) {
      ::close(listen_fd_);
      throw std::runtime_error("smtp receiver: cannot listen on 127.0.0.1");
    }
    socklen_t length = sizeof address;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }

  ~SmtpReceiver() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    ::shutdown(listen_fd_, SHUT_RDWR);
    thread_.join();
    ::close(listen_fd_);
  }

  SmtpReceiver(const SmtpReceiver&) = delete;
  SmtpReceiver& operator=(const SmtpReceiver&) = delete;

  std::uint16_t port() const { return port_; }
  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }

  // The next `count` messages are refused after their data with "451 try again later".
  void RefuseNext(int count) {
    std::lock_guard lock(mutex_);
    refuse_ = count;
  }
  // Advertise AUTH PLAIN in the EHLO answer (and accept any credentials).
  void OfferAuth() {
    std::lock_guard lock(mutex_);
    offer_auth_ = true;
  }

  std::vector<ReceivedMail> messages() const {
    std::lock_guard lock(mutex_);
    return messages_;
  }
  // How many messages were refused so far.
  int refused() const {
    std::lock_guard lock(mutex_);
    return refused_;
  }

  // Waits until at least `count` messages were refused, or `limit` passed; true when
  // they were.
  bool WaitForRefusals(int count, std::chrono::milliseconds limit) {
    std::unique_lock lock(mutex_);
    return arrived_.wait_for(lock, limit, [&] { return refused_ >= count; });
  }

  // Waits until at least `count` messages were accepted, or `limit` passed (a bound for
  // a hung test, not a timing assertion); returns the messages so far.
  std::vector<ReceivedMail> WaitForMessages(std::size_t count, std::chrono::milliseconds limit) {
    std::unique_lock lock(mutex_);
    arrived_.wait_for(lock, limit, [&] { return messages_.size() >= count; });
    return messages_;
  }

 private:
  // A session idle for this long is dropped, so a stuck client cannot hang the tests.
  static constexpr int kIdleMillis = 10000;
  // Bounds a line and a message from a misbehaving client.
  static constexpr std::size_t kMaxLine = 4096;
  static constexpr std::size_t kMaxMessage = 1 << 20;

  void Serve() {
    for (;;) {
      const int client = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (client < 0) {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        continue;
      }
      Session(client);
      ::close(client);
    }
  }

  bool Send(int fd, std::string_view reply) {
    std::string line(reply);
    line += "\r\n";
    std::size_t sent = 0;
    while (sent < line.size()) {
      const ssize_t n = ::send(fd, line.data() + sent, line.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += static_cast<std::size_t>(n);
    }
    return true;
  }

  // One CRLF-terminated line (without the CRLF); false when the client went away.
  bool ReadLine(int fd, std::string& buffer, std::string& line) {
    for (;;) {
      const std::size_t end = buffer.find("\r\n");
      if (end != std::string::npos) {
        line = buffer.substr(0, end);
        buffer.erase(0, end + 2);
        return true;
      }
      if (buffer.size() > kMaxLine + kMaxMessage) return false;
      pollfd poll_fd{fd, POLLIN, 0};
      if (::poll(&poll_fd, 1, kIdleMillis) <= 0) return false;
      char chunk[4096];
      const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
      if (n <= 0) return false;
      buffer.append(chunk, static_cast<std::size_t>(n));
    }
  }

  static std::string Upper(std::string_view text) {
    std::string upper(text);
    for (char& c : upper) {
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    return upper;
  }

  static std::string Base64Decode(std::string_view encoded) {
    static constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string decoded;
    unsigned bits = 0;
    int count = 0;
    for (char c : encoded) {
      const std::size_t value = kAlphabet.find(c);
      if (value == std::string_view::npos) continue;  // padding and whitespace
      bits = (bits << 6) | static_cast<unsigned>(value);
      count += 6;
      if (count >= 8) {
        count -= 8;
        decoded.push_back(static_cast<char>((bits >> count) & 0xFF));
      }
    }
    return decoded;
  }

  // The address inside "<…>" of "MAIL FROM:<a@b> SIZE=12".
  static std::string Path(std::string_view argument) {
    const std::size_t open = argument.find('<');
    const std::size_t close = argument.find('>', open == std::string_view::npos ? 0 : open);
    if (open == std::string_view::npos || close == std::string_view::npos) return std::string(argument);
    return std::string(argument.substr(open + 1, close - open - 1));
  }

  void Session(int fd) {
    std::string buffer;
    std::string line;
    ReceivedMail mail;
    bool offer_auth = false;
    {
      std::lock_guard lock(mutex_);
      offer_auth = offer_auth_;
    }
    if (!Send(fd, "220 127.0.0.1 plaza-test ESMTP")) return;
    while (ReadLine(fd, buffer, line)) {
      const std::string verb = Upper(line.substr(0, line.find(' ')));
      const std::string argument = line.find(' ') == std::string::npos ? "" : line.substr(line.find(' ') + 1);
      if (verb == "EHLO") {
        mail.helo = argument;
        std::vector<std::string> extensions = {"127.0.0.1", "8BITMIME"};
        if (offer_auth) extensions.push_back("AUTH PLAIN");
        for (std::size_t idx = 0; idx < extensions.size(); ++idx) {
          if (!Send(fd, (idx + 1 < extensions.size() ? "250-" : "250 ") + extensions[idx])) return;
        }
      } else if (verb == "HELO") {
        mail.helo = argument;
        if (!Send(fd, "250 127.0.0.1")) return;
      } else if (verb == "AUTH") {
        const std::string mechanism = Upper(argument.substr(0, argument.find(' ')));
        if (mechanism != "PLAIN") {
          if (!Send(fd, "504 5.5.4 only PLAIN")) return;
          continue;
        }
        std::string response = argument.find(' ') == std::string::npos ? "" : argument.substr(argument.find(' ') + 1);
        if (response.empty()) {
          if (!Send(fd, "334 ") || !ReadLine(fd, buffer, response)) return;
        }
        mail.auth = Base64Decode(response);
        if (!Send(fd, "235 2.7.0 authenticated")) return;
      } else if (verb == "MAIL") {
        mail.mail_from = Path(argument);
        mail.recipients.clear();
        if (!Send(fd, "250 2.1.0 ok")) return;
      } else if (verb == "RCPT") {
        mail.recipients.push_back(Path(argument));
        if (!Send(fd, "250 2.1.5 ok")) return;
      } else if (verb == "DATA") {
        if (mail.recipients.empty()) {
          if (!Send(fd, "503 5.5.1 no recipients")) return;
          continue;
        }
        if (!Send(fd, "354 end with <CRLF>.<CRLF>")) return;
        std::string data;
        for (;;) {
          if (!ReadLine(fd, buffer, line)) return;
          if (line == ".") break;
          // RFC 5321 4.5.2: a leading dot was doubled by the sender.
          if (line.starts_with(".")) line.erase(0, 1);
          data += line;
          data += "\r\n";
        }
        mail.data = std::move(data);
        bool refuse = false;
        {
          std::lock_guard lock(mutex_);
          if (refuse_ > 0) {
            --refuse_;
            ++refused_;
            refuse = true;
          } else {
            messages_.push_back(mail);
          }
        }
        arrived_.notify_all();
        if (!Send(fd, refuse ? "451 4.3.0 try again later" : "250 2.0.0 queued")) return;
      } else if (verb == "RSET") {
        mail.mail_from.clear();
        mail.recipients.clear();
        if (!Send(fd, "250 2.0.0 ok")) return;
      } else if (verb == "NOOP") {
        if (!Send(fd, "250 2.0.0 ok")) return;
      } else if (verb == "QUIT") {
        Send(fd, "221 2.0.0 bye");
        return;
      } else {
        if (!Send(fd, "502 5.5.2 not implemented")) return;
      }
    }
  }

  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::condition_variable arrived_;
  bool stopping_ = false;               // GUARDED_BY(mutex_)
  bool offer_auth_ = false;             // GUARDED_BY(mutex_)
  int refuse_ = 0;                      // GUARDED_BY(mutex_)
  int refused_ = 0;                     // GUARDED_BY(mutex_)
  std::vector<ReceivedMail> messages_;  // GUARDED_BY(mutex_)
};

}  // namespace plaza::testing
