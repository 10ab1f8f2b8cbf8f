#pragma once
// Plaza's settings, each declared once (name, type, default, bounds, description) in
// one registry. Values come from, lowest precedence first: the defaults, a TOML file
// (--config FILE or PLAZA_CONFIG), PLAZA_<NAME> environment variables, and command-line
// flags (--name-with-dashes). Unknown keys in the TOML file and malformed values are
// errors that name the key and its source.

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "plaza/core/result.h"

namespace plaza::app {

struct Config {
  std::string listen;
  std::string database;
  std::string data_dir;
  std::string media_dir;  // uploaded images; empty: <data_dir>/media
  std::int64_t io_threads = 0;
  std::int64_t worker_threads = 0;
  std::int64_t db_pool_size = 0;
  std::int64_t max_body_bytes = 0;
  std::int64_t max_header_bytes = 0;
  std::int64_t max_connections = 0;
  std::int64_t read_timeout_ms = 0;
  std::int64_t idle_timeout_ms = 0;
  std::int64_t shutdown_drain_ms = 0;
  bool migrate_on_start = false;
  bool secure_cookies = false;
  std::string log_level;
  std::int64_t outbox_poll_ms = 0;
  std::int64_t outbox_max_attempts = 0;
  std::int64_t outbox_retry_initial_ms = 0;
  std::int64_t outbox_retry_max_ms = 0;
  std::int64_t outbox_lease_ms = 0;
  std::string smtp_url;
  std::string smtp_user;
  std::string smtp_password;
  std::string smtp_from;
  std::string storefront_shop;  // handle of the shop served at "/"; empty: the first shop
  std::string public_url;       // where shoppers reach Plaza, e.g. "https://shop.example"; empty: http://<listen>
};

struct SettingSpec {
  std::string_view name;  // snake_case; env PLAZA_<NAME>, flag --name-with-dashes
  std::string_view description;
  std::variant<std::string Config::*, std::int64_t Config::*, bool Config::*> field;
  std::string_view default_value;
  std::int64_t min = 0;  // bounds for integers
  std::int64_t max = 0;
};

// Every setting, in the order `plaza config` prints them.
std::span<const SettingSpec> Settings();

// Where each effective value came from: "default", "file", "env" or "flag".
using SettingSources = std::map<std::string, std::string, std::less<>>;

struct LoadedConfig {
  Config config;
  SettingSources sources;
};

struct ConfigInputs {
  std::optional<std::string> toml_path{};            // --config or PLAZA_CONFIG
  std::map<std::string, std::string> environment{};  // PLAZA_* variables (others ignored)
  std::map<std::string, std::string> flags{};        // setting name -> value given on the command line
};

Result<LoadedConfig> LoadConfig(const ConfigInputs& inputs);

// Where uploaded images are kept: media_dir, or <data_dir>/media when it is empty.
std::string MediaDirOf(const Config& config);

// Reads PLAZA_* variables from the process environment.
std::map<std::string, std::string> PlazaEnvironment();

// "setting = value  (source)" lines for `plaza config`.
std::vector<std::string> DescribeConfig(const LoadedConfig& loaded);

// Splits "host:port" (IPv6 as "[::1]:8080").
Result<std::pair<std::string, std::uint16_t>> ParseListenAddress(std::string_view listen);

}  // namespace plaza::app
