#include "plaza/app/config.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <charconv>
#include <cstdlib>

extern char** environ;  // NOLINT: POSIX's process environment

namespace plaza::app {
namespace {

// The bounds keep a typo from taking a server down: a zero-thread pool, a 0-byte body
// limit or a time-out of hours are rejected with the setting named, not obeyed.
constexpr SettingSpec kSettings[] = {
    {"listen", "address and port to serve HTTP on", &Config::listen, "127.0.0.1:8080"},
    {"database", "SQLite file path, or a postgresql:// URL", &Config::database, "var/plaza.db"},
    {"data_dir", "directory for mail files, uploads and other local state", &Config::data_dir, "var"},
    {"media_dir", "directory for uploaded images and their renditions; empty: data_dir/media", &Config::media_dir, ""},
    {"io_threads", "threads running network I/O", &Config::io_threads, "1", 1, 64},
    {"worker_threads", "threads running handlers (database and CPU work)", &Config::worker_threads, "8", 1, 512},
    {"db_pool_size", "database connections kept open", &Config::db_pool_size, "8", 1, 256},
    {"max_body_bytes", "largest request body accepted (413 beyond)", &Config::max_body_bytes, "1048576", 1024,
     1LL << 30},
    {"max_header_bytes", "largest request head accepted (431 beyond)", &Config::max_header_bytes, "16384", 1024,
     1 << 20},
    {"max_connections", "concurrent connections before new ones are refused", &Config::max_connections, "10000", 1,
     1000000},
    {"read_timeout_ms", "time a client has to send a whole request", &Config::read_timeout_ms, "15000", 100, 600000},
    {"idle_timeout_ms", "how long an idle keep-alive connection stays open", &Config::idle_timeout_ms, "60000", 100,
     3600000},
    {"shutdown_drain_ms", "how long in-flight requests may run after SIGTERM", &Config::shutdown_drain_ms, "10000", 0,
     600000},
    {"migrate_on_start", "apply pending migrations when `serve` starts", &Config::migrate_on_start, "false"},
    {"secure_cookies", "mark cookies Secure (set when served over HTTPS)", &Config::secure_cookies, "false"},
    {"log_level", "trace, debug, info, warn, error or off", &Config::log_level, "info"},
    {"outbox_poll_ms", "how often the outbox dispatcher looks for new events", &Config::outbox_poll_ms, "500", 10,
     60000},
    {"outbox_max_attempts", "delivery attempts before an event is dead-lettered", &Config::outbox_max_attempts, "20", 1,
     100},
    {"outbox_retry_initial_ms", "delay before the first retry of a failed delivery (doubles each time)",
     &Config::outbox_retry_initial_ms, "10000", 10, 3600000},
    {"outbox_retry_max_ms", "longest delay between two delivery attempts", &Config::outbox_retry_max_ms, "7200000", 10,
     86400000},
    {"outbox_lease_ms", "how long a process holds claimed outbox work before others may retake it",
     &Config::outbox_lease_ms, "300000", 1000, 3600000},
    {"smtp_url", "smtp:// or smtps:// server for mail; empty writes .eml files under data_dir/mail", &Config::smtp_url,
     ""},
    {"smtp_user", "user name for SMTP AUTH; empty sends without", &Config::smtp_user, ""},
    {"smtp_password", "password for SMTP AUTH (shown as *** by `plaza config`)", &Config::smtp_password, ""},
    {"smtp_from", "the From of every mail", &Config::smtp_from, "Plaza <no-reply@plaza.local>"},
    {"storefront_shop", "handle of the shop whose storefront is served at /; empty: the first shop created",
     &Config::storefront_shop, ""},
    {"public_url",
     "the URL shoppers reach Plaza at (canonical links, previews, sitemaps, links in mail), e.g. "
     "https://shop.example; empty: http://<listen>",
     &Config::public_url, ""},
};

// Settings whose value `plaza config` must not print.
bool IsSecret(std::string_view name) {
  return name == "smtp_password";
}

Status Assign(Config& config, const SettingSpec& spec, std::string_view value, std::string_view source) {
  const auto invalid = [&](std::string_view why) {
    return Error::Invalid("config/invalid", fmt::format("{} from {}: {}", spec.name, source, why),
                          std::string(spec.name));
  };
  if (const auto* text_field = std::get_if<std::string Config::*>(&spec.field)) {
    config.*(*text_field) = std::string(value);
    return Ok();
  }
  if (const auto* bool_field = std::get_if<bool Config::*>(&spec.field)) {
    if (value == "true" || value == "1" || value == "yes" || value == "on") {
      config.*(*bool_field) = true;
    } else if (value == "false" || value == "0" || value == "no" || value == "off") {
      config.*(*bool_field) = false;
    } else {
      return invalid(fmt::format("'{}' is not a boolean (true or false)", value));
    }
    return Ok();
  }
  std::int64_t number = 0;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
  if (error != std::errc() || end != value.data() + value.size()) {
    return invalid(fmt::format("'{}' is not a whole number", value));
  }
  if (number < spec.min || number > spec.max) {
    return invalid(fmt::format("{} is outside {}..{}", number, spec.min, spec.max));
  }
  config.*std::get<std::int64_t Config::*>(spec.field) = number;
  return Ok();
}

const SettingSpec* FindSetting(std::string_view name) {
  for (const SettingSpec& spec : kSettings) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

std::string EnvName(std::string_view name) {
  std::string out = "PLAZA_";
  for (char c : name) out += static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  return out;
}

Result<std::string> TomlValueText(const toml::node& node, std::string_view key) {
  if (const auto* text = node.as_string()) return text->get();
  if (const auto* integer = node.as_integer()) return std::to_string(integer->get());
  if (const auto* boolean = node.as_boolean()) return std::string(boolean->get() ? "true" : "false");
  return Error::Invalid("config/invalid",
                        fmt::format("{} in the config file must be a string, integer or boolean", key),
                        std::string(key));
}

}  // namespace

std::span<const SettingSpec> Settings() {
  return kSettings;
}

Result<LoadedConfig> LoadConfig(const ConfigInputs& inputs) {
  LoadedConfig loaded;
  for (const SettingSpec& spec : kSettings) {
    PLAZA_TRY(Assign(loaded.config, spec, spec.default_value, "default"));
    loaded.sources[std::string(spec.name)] = "default";
  }
  if (inputs.toml_path) {
    // Debian's toml++ is built with exceptions: its parse error is caught here, at the
    // edge, and becomes an Error like every other bad input.
    toml::table parsed;
    try {
      parsed = toml::parse_file(*inputs.toml_path);
    } catch (const toml::parse_error& error) {
      return Error::Invalid("config/file", fmt::format("{}:{}:{}: {}", *inputs.toml_path, error.source().begin.line,
                                                       error.source().begin.column, error.description()));
    }
    for (const auto& [key, node] : parsed) {
      const SettingSpec* spec = FindSetting(key.str());
      if (!spec) {
        return Error::Invalid("config/unknown-setting",
                              fmt::format("{}: unknown setting '{}'", *inputs.toml_path, key.str()),
                              std::string(key.str()));
      }
      PLAZA_ASSIGN_OR_RETURN(std::string value, TomlValueText(node, key.str()));
      PLAZA_TRY(Assign(loaded.config, *spec, value, *inputs.toml_path));
      loaded.sources[std::string(spec->name)] = "file";
    }
  }
  for (const SettingSpec& spec : kSettings) {
    if (auto found = inputs.environment.find(EnvName(spec.name)); found != inputs.environment.end()) {
      PLAZA_TRY(Assign(loaded.config, spec, found->second, found->first));
      loaded.sources[std::string(spec.name)] = "env";
    }
  }
  for (const auto& [name, value] : inputs.flags) {
    const SettingSpec* spec = FindSetting(name);
    if (!spec) return Error::Invalid("config/unknown-setting", fmt::format("unknown setting '{}'", name), name);
    PLAZA_TRY(Assign(loaded.config, *spec, value, "--" + name));
    loaded.sources[name] = "flag";
  }
  PLAZA_TRY(ParseListenAddress(loaded.config.listen));
  return loaded;
}

std::map<std::string, std::string> PlazaEnvironment() {
  std::map<std::string, std::string> out;
  for (char** entry = environ; entry && *entry; ++entry) {
    std::string_view pair(*entry);
    if (!pair.starts_with("PLAZA_")) continue;
    const auto equals = pair.find('=');
    if (equals == std::string_view::npos) continue;
    out.emplace(pair.substr(0, equals), pair.substr(equals + 1));
  }
  return out;
}

std::vector<std::string> DescribeConfig(const LoadedConfig& loaded) {
  std::vector<std::string> lines;
  for (const SettingSpec& spec : kSettings) {
    std::string value;
    if (const auto* text_field = std::get_if<std::string Config::*>(&spec.field)) {
      value = loaded.config.*(*text_field);
      if (IsSecret(spec.name) && !value.empty()) value = "***";
    } else if (const auto* bool_field = std::get_if<bool Config::*>(&spec.field)) {
      value = loaded.config.*(*bool_field) ? "true" : "false";
    } else {
      value = std::to_string(loaded.config.*std::get<std::int64_t Config::*>(spec.field));
    }
    lines.push_back(fmt::format("{:<20} = {:<28} ({}; {})", spec.name, value, loaded.sources.at(std::string(spec.name)),
                                spec.description));
  }
  return lines;
}

Result<std::pair<std::string, std::uint16_t>> ParseListenAddress(std::string_view listen) {
  const auto invalid = [&] {
    return Error::Invalid("config/invalid", fmt::format("listen: '{}' is not host:port", listen), "listen");
  };
  const auto colon = listen.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return invalid();
  std::string_view host = listen.substr(0, colon);
  if (host.starts_with('[') && host.ends_with(']')) host = host.substr(1, host.size() - 2);
  const std::string_view port_text = listen.substr(colon + 1);
  unsigned port = 0;
  const auto [end, error] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (error != std::errc() || end != port_text.data() + port_text.size() || port > 65535) return invalid();
  return std::pair<std::string, std::uint16_t>(std::string(host), static_cast<std::uint16_t>(port));
}

std::string MediaDirOf(const Config& config) {
  return config.media_dir.empty() ? config.data_dir + "/media" : config.media_dir;
}

}  // namespace plaza::app
