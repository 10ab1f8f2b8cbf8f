// The plaza command line. Exceptions end here: anything a command did not turn into an
// Error is reported and the process exits non-zero.

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>

#include "plaza/app/catalog_cli.h"
#include "plaza/app/config.h"
#include "plaza/app/demo.h"
#include "plaza/app/plaza_server.h"
#include "plaza/core/crypto.h"
#include "plaza/identity/identity_service.h"
#include "plaza/inventory/inventory.h"
#include "plaza/store/migrations.h"

namespace {

using plaza::Status;
using plaza::app::Config;

// Adds --<setting> for every setting to `command`, collecting only those given.
void AddSettingFlags(CLI::App& command, std::map<std::string, std::string>& flags) {
  for (const auto& spec : plaza::app::Settings()) {
    std::string flag = "--" + std::string(spec.name);
    for (char& c : flag) c = c == '_' ? '-' : c;
    const std::string name(spec.name);
    const bool is_bool = std::holds_alternative<bool Config::*>(spec.field);
    if (is_bool) {
      command.add_flag_callback(
          flag, [&flags, name] { flags[name] = "true"; }, std::string(spec.description));
    } else {
      command.add_option_function<std::string>(
          flag, [&flags, name](const std::string& value) { flags[name] = value; }, std::string(spec.description));
    }
  }
}

int Fail(const plaza::Error& error) {
  std::cerr << "plaza: " << error.detail << "\n";
  return 1;
}

plaza::Result<plaza::app::LoadedConfig> Load(const std::optional<std::string>& config_path,
                                             const std::map<std::string, std::string>& flags) {
  plaza::app::ConfigInputs inputs;
  inputs.environment = plaza::app::PlazaEnvironment();
  inputs.flags = flags;
  inputs.toml_path = config_path;
  if (!inputs.toml_path) {
    if (auto found = inputs.environment.find("PLAZA_CONFIG"); found != inputs.environment.end()) {
      inputs.toml_path = found->second;
    }
  }
  return plaza::app::LoadConfig(inputs);
}

void ConfigureLogging(const Config& config) {
  spdlog::set_level(spdlog::level::from_str(config.log_level));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
}

int Serve(const Config& config) {
  auto server = plaza::app::PlazaServer::Create(config, {.handle_signals = true});
  if (!server.ok()) return Fail(server.error());
  if (Status started = (*server)->Start(); !started.ok()) return Fail(started.error());
  (*server)->Wait();
  spdlog::info("plaza stopped");
  return 0;
}

int Migrate(const Config& config, bool status_only) {
  auto db = plaza::app::OpenConfiguredDatabase(config);
  if (!db.ok()) return Fail(db.error());
  if (!status_only) {
    if (Status migrated = plaza::store::Migrate(**db, plaza::app::AllMigrations()); !migrated.ok()) {
      return Fail(migrated.error());
    }
  }
  auto applied = plaza::store::AppliedMigrations(**db);
  if (!applied.ok()) return Fail(applied.error());
  std::cout << (status_only ? "applied migrations:" : "database is up to date; applied migrations:");
  for (const auto& version : *applied) std::cout << ' ' << version;
  std::cout << "\n";
  return 0;
}

int SeedDemo(const Config& config, bool if_empty, std::int64_t generated_products) {
  plaza::crypto::InitCrypto();
  auto db = plaza::app::OpenConfiguredDatabase(config);
  if (!db.ok()) return Fail(db.error());
  if (Status migrated = plaza::store::Migrate(**db, plaza::app::AllMigrations()); !migrated.ok()) {
    return Fail(migrated.error());
  }
  plaza::SystemClock clock;
  plaza::app::DemoOptions options{.if_empty = if_empty,
                                  .generated_products = generated_products,
                                  .progress = {},
                                  .media_dir = plaza::app::MediaDirOf(config)};
  if (isatty(STDERR_FILENO) != 0) {
    options.progress = [](std::size_t done, std::size_t total) {
      std::fprintf(stderr, "\rgenerating products: %zu/%zu rows", done, total);
      if (done == total) std::fputc('\n', stderr);
    };
  }
  auto seeded = plaza::app::SeedDemo(**db, clock, options);
  if (!seeded.ok()) return Fail(seeded.error());
  const auto login = plaza::app::DemoLogin();
  const auto shopper = plaza::app::DemoShopperLogin();
  if (!seeded->created_shop && seeded->products == 0 && seeded->posts == 0) {
    std::cout << "database already has a shop; nothing seeded\n";
  } else {
    std::cout << (seeded->created_shop ? "demo shop created" : "demo shop extended") << " with " << seeded->products
              << " products and " << seeded->posts << " community posts\n";
  }
  std::cout << "  staff log-in: http://" << config.listen << "/admin/login\n"
            << "  shop: " << login.shop_handle << "   e-mail: " << login.staff_email
            << "   password: " << login.staff_password << "\n"
            << "  customer log-in: http://" << config.listen << "/account/login\n"
            << "  e-mail: " << shopper.email << "   password: " << shopper.password << "   profile: /people/"
            << shopper.handle << "\n";
  return 0;
}

// Exits 1 when any stock level disagrees with its ledger or is negative, so a cron job
// or a deployment check can alert on it.
int InventoryCheck(const Config& config) {
  auto db = plaza::app::OpenConfiguredDatabase(config);
  if (!db.ok()) return Fail(db.error());
  plaza::SystemClock clock;
  plaza::inventory::InventoryService inventory(**db, clock);
  auto report = inventory.CheckLedger();
  if (!report.ok()) return Fail(report.error());
  std::cout << "inventory check: " << report->levels_checked << " levels, " << report->entries_checked
            << " ledger entries, " << report->mismatches.size() << " mismatches\n";
  for (const auto& mismatch : report->mismatches) {
    std::cout << "  shop " << mismatch.shop_id << " item " << mismatch.item_id << " location "
              << (mismatch.location_id ? std::to_string(*mismatch.location_id) : std::string("-")) << ": "
              << mismatch.field << " stored " << mismatch.stored << ", ledger " << mismatch.ledger << "\n";
  }
  return report->ok() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Plaza: a self-hosted social-commerce server"};
  app.require_subcommand(1);
  std::optional<std::string> config_path;
  std::map<std::string, std::string> flags;

  auto add_command = [&](const char* name, const char* description) {
    CLI::App* command = app.add_subcommand(name, description);
    command->add_option_function<std::string>(
        "--config", [&](const std::string& path) { config_path = path; },
        "TOML file with settings (also PLAZA_CONFIG)");
    AddSettingFlags(*command, flags);
    return command;
  };

  CLI::App* serve = add_command("serve", "Serve HTTP until SIGINT or SIGTERM");
  CLI::App* migrate = add_command("migrate", "Apply pending schema migrations");
  bool status_only = false;
  migrate->add_flag("--status", status_only, "Only list the applied migrations");
  CLI::App* seed =
      add_command("seed-demo", "Create the demo shop: staff, catalog, stock, markets, shipping, promotions");
  bool if_empty = false;
  seed->add_flag("--if-empty", if_empty, "Do nothing when the database already has a shop");
  std::int64_t generated_products = 0;
  seed->add_option("--products", generated_products, "Also generate this many products (for benchmarks)")
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{1'000'000}));
  CLI::App* config_command = add_command("config", "Print the effective settings and where each came from");
  CLI::App* inventory = app.add_subcommand("inventory", "Inventory maintenance");
  inventory->require_subcommand(1);
  CLI::App* inventory_check =
      inventory->add_subcommand("check", "Verify stock levels against the movement ledger; exit 1 on a mismatch");
  inventory_check->add_option_function<std::string>(
      "--config", [&](const std::string& path) { config_path = path; }, "TOML file with settings (also PLAZA_CONFIG)");
  AddSettingFlags(*inventory_check, flags);
  plaza::app::CatalogCsvCommand catalog_csv;
  CLI::App* import_command = app.add_subcommand("import", "Import data");
  import_command->require_subcommand(1);
  CLI::App* import_products = import_command->add_subcommand("shopify-products", "Import a Shopify product CSV");
  import_products->add_option("FILE", catalog_csv.file, "The CSV file")->required();
  import_products->add_flag("--dry-run", catalog_csv.dry_run, "Validate and report; write nothing");
  CLI::App* export_command = app.add_subcommand("export", "Export data");
  export_command->require_subcommand(1);
  CLI::App* export_products = export_command->add_subcommand("shopify-products", "Export a Shopify product CSV");
  export_products->add_option("--output", catalog_csv.file, "Write here instead of standard output");
  for (CLI::App* command : {import_products, export_products}) {
    command->add_option("--shop", catalog_csv.shop, "Shop handle")->required();
    command->add_option_function<std::string>(
        "--config", [&](const std::string& path) { config_path = path; },
        "TOML file with settings (also PLAZA_CONFIG)");
    AddSettingFlags(*command, flags);
  }
  app.add_subcommand("version", "Print the version");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error);
  }
  try {
    if (app.got_subcommand("version")) {
      std::cout << "plaza " << PLAZA_VERSION << "\n";
      return 0;
    }
    auto loaded = Load(config_path, flags);
    if (!loaded.ok()) return Fail(loaded.error());
    ConfigureLogging(loaded->config);
    if (serve->parsed()) return Serve(loaded->config);
    if (migrate->parsed()) return Migrate(loaded->config, status_only);
    if (seed->parsed()) return SeedDemo(loaded->config, if_empty, generated_products);
    if (inventory_check->parsed()) return InventoryCheck(loaded->config);
    if (import_products->parsed()) return plaza::app::ImportShopifyProducts(loaded->config, catalog_csv);
    if (export_products->parsed()) return plaza::app::ExportShopifyProducts(loaded->config, catalog_csv);
    if (config_command->parsed()) {
      for (const auto& line : plaza::app::DescribeConfig(*loaded)) std::cout << line << "\n";
      return 0;
    }
  } catch (const std::exception& error) {
    std::cerr << "plaza: unexpected failure: " << error.what() << "\n";
    return 70;  // EX_SOFTWARE
  }
  return 0;
}
