#include "plaza/app/catalog_cli.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "plaza/app/plaza_server.h"
#include "plaza/catalog/catalog.h"
#include "plaza/catalog/import_sink.h"
#include "plaza/identity/identity_service.h"
#include "plaza/inventory/inventory.h"
#include "plaza/pricing/pricing.h"
#include "plaza/store/migrations.h"

namespace plaza::app {
namespace {

int Report(const Error& error) {
  std::cerr << "plaza: " << error.type << ": " << error.detail << "\n";
  return 2;
}

struct Opened {
  std::unique_ptr<store::Database> db;
  std::int64_t shop_id = 0;
};

Result<Opened> OpenShop(const Config& config, const std::string& shop_handle) {
  PLAZA_ASSIGN_OR_RETURN(auto db, OpenConfiguredDatabase(config));
  PLAZA_TRY(store::Migrate(*db, AllMigrations()));
  if (shop_handle.empty()) return Error::Invalid("cli/shop-required", "name the shop with --shop HANDLE", "--shop");
  SystemClock clock;
  identity::IdentityService identity(*db, clock);
  PLAZA_ASSIGN_OR_RETURN(auto shop, identity.GetShopByHandle(shop_handle));
  return Opened{std::move(db), shop.id};
}

}  // namespace

int ImportShopifyProducts(const Config& config, const CatalogCsvCommand& command) {
  auto opened = OpenShop(config, command.shop);
  if (!opened.ok()) return Report(opened.error());
  std::ifstream in(command.file, std::ios::binary);
  if (!in) return Report(Error::Invalid("cli/unreadable", "cannot read " + command.file));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string data = std::move(buffer).str();

  SystemClock clock;
  pricing::PricingService pricing(*opened->db, clock);
  inventory::InventoryService inventory(*opened->db, clock);
  catalog::CatalogService catalog_service(*opened->db, clock);
  auto markets = pricing.ListMarkets(opened->shop_id);
  if (!markets.ok()) return Report(markets.error());
  catalog::ImportOptions options;
  options.dry_run = command.dry_run;
  // Prices go to the shop's default market in its currency. Stock needs a location and
  // a receipt per variant in inventory's ledger, which a CSV column cannot choose, so the
  // sink gets no location and stock is reported rather than guessed.
  std::optional<catalog::CatalogImportSink> sink;
  for (const pricing::Market& market : *markets) {
    if (!market.is_default) continue;
    options.currency = market.currency;
    sink.emplace(pricing, inventory, market.id, std::nullopt, "cli:import");
  }
  if (isatty(STDERR_FILENO) != 0) {
    options.progress = [](std::size_t done, std::size_t total) {
      const std::size_t width = 40;
      const std::size_t filled = total == 0 ? width : done * width / total;
      std::fprintf(stderr, "\r[%s%s] %zu/%zu rows", std::string(filled, '#').c_str(),
                   std::string(width - filled, ' ').c_str(), done, total);
      if (done == total) std::fputc('\n', stderr);
    };
  }
  auto result = catalog_service.ImportShopifyCsv(opened->shop_id, data, options, sink ? &*sink : nullptr);
  if (!result.ok()) return Report(result.error());
  std::cout << (command.dry_run ? "dry run: " : "") << result->rows << " rows, " << result->products_created
            << " products created, " << result->products_updated << " updated, " << result->products_rejected
            << " rejected; " << result->prices.size() << " prices in " << options.currency
            << (sink ? "" : " (no default market: prices not written)") << ", " << result->stock.size()
            << " stock quantities reported, not applied\n";
  for (const catalog::ImportIssue& issue : result->issues) {
    std::cout << "row " << issue.row << (issue.column.empty() ? "" : " [" + issue.column + "]")
              << (issue.handle.empty() ? "" : " " + issue.handle) << ": " << issue.reason << "\n";
  }
  if (result->issues_total > result->issues.size()) {
    std::cout << "… and " << result->issues_total - result->issues.size() << " more\n";
  }
  return result->issues_total == 0 ? 0 : 1;
}

int ExportShopifyProducts(const Config& config, const CatalogCsvCommand& command) {
  auto opened = OpenShop(config, command.shop);
  if (!opened.ok()) return Report(opened.error());
  SystemClock clock;
  catalog::CatalogService catalog_service(*opened->db, clock);
  auto csv = catalog_service.ExportShopifyCsv(opened->shop_id);
  if (!csv.ok()) return Report(csv.error());
  if (command.file.empty()) {
    std::cout << *csv;
    return 0;
  }
  std::ofstream out(command.file, std::ios::binary | std::ios::trunc);
  out << *csv;
  if (!out) return Report(Error::Unavailable("cannot write " + command.file));
  return 0;
}

}  // namespace plaza::app
