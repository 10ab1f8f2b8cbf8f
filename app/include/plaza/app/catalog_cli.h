#pragma once
// `plaza import shopify-products` and `plaza export shopify-products`: the catalog's
// Shopify CSV through the command line, with prices written to the shop's default market.

#include <optional>
#include <string>

#include "plaza/app/config.h"

namespace plaza::app {

struct CatalogCsvCommand {
  std::string shop;      // shop handle
  std::string file;      // import: the CSV to read; export: output ("" = stdout)
  bool dry_run = false;  // import only
};

// Exit codes: 0 done (import: no row rejected), 1 some rows rejected, 2 could not run.
int ImportShopifyProducts(const Config& config, const CatalogCsvCommand& command);
int ExportShopifyProducts(const Config& config, const CatalogCsvCommand& command);

}  // namespace plaza::app
