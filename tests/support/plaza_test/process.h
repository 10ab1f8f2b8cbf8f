#pragma once
// A `plaza` child process for tests that need a real process: signals, kill -9,
// restarts. Output goes to a log file the test can print on failure.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace plaza::testing {

// A free TCP port on 127.0.0.1 at the time of the call.
std::uint16_t FreePort();

class PlazaProcess {
 public:
  // `arguments` follow the binary name, e.g. {"serve", "--database", url}.
  PlazaProcess(std::string binary, std::vector<std::string> arguments, std::string log_path);
  ~PlazaProcess();  // kills the process if it still runs
  PlazaProcess(const PlazaProcess&) = delete;
  PlazaProcess& operator=(const PlazaProcess&) = delete;

  // Forks and execs; false when the fork failed.
  bool Start();
  // Polls GET /healthz on `port` until it answers 200 or `timeout` passes.
  bool WaitUntilHealthy(std::uint16_t port, std::chrono::milliseconds timeout);
  void Signal(int signal_number);
  // The exit status (WEXITSTATUS, or 128 + signal) once the process ended within
  // `timeout`; nullopt when it is still running.
  std::optional<int> WaitForExit(std::chrono::milliseconds timeout);
  // Everything the process wrote so far.
  std::string Log() const;

 private:
  std::string binary_;
  std::vector<std::string> arguments_;
  std::string log_path_;
  pid_t pid_ = -1;
};

}  // namespace plaza::testing
