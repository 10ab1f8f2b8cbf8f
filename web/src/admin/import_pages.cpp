// The Shopify product CSV import: paste the file (or choose it, with scripts on), try
// it as a dry run to see every rejected row, then import for real. The catalog module
// reads and writes; prices and stock go through catalog::CatalogImportSink as they do
// for the API and the CLI.

#include <charconv>

#include "../assets.h"
#include "plaza/catalog/catalog.h"
#include "plaza/catalog/import_sink.h"
#include "plaza/core/text.h"
#include "routes.h"
#include "settings_fields.h"

namespace plaza::web::admin {
namespace {

using http::Response;

Trusted ImportForm(const PageServices& services, const AdminRequest& request, std::string_view csv, bool dry_run,
                   std::string_view location, const FieldErrors& errors) {
  std::vector<std::pair<std::string, std::string>> locations{{"", "Leave stock alone"}};
  if (auto listed = services.inventory.ListLocations(request.shop.id); listed.ok()) {
    for (const inventory::Location& l : *listed) locations.emplace_back(std::to_string(l.id), "Receive at " + l.name);
  }
  HtmlWriter html;
  html.Raw("<form method=\"post\" class=\"admin-form\" action=\"/admin/import\" novalidate>")
      .Fragment(CsrfField(request.staff))
      .Fragment(FormErrorBox(errors))
      // Hidden until the script can read a file; without scripts the text area is the way in.
      .Raw(
          "<div class=\"field\" hidden><label for=\"f-csv_file\">CSV file</label>"
          "<input id=\"f-csv_file\" type=\"file\" accept=\".csv,text/csv\"></div>")
      .Fragment(TextArea("csv", "Shopify product CSV", csv, errors,
                         "Paste the file exported from Shopify (Products → Export), header row included.", 12))
      .Fragment(Select("location", "Stock quantities", locations, location, errors))
      .Fragment(Checkbox("dry_run", "Dry run: check every row, write nothing", dry_run))
      .Raw("<button type=\"submit\">Import</button></form><script src=\"")
      .Text(AssetUrl("admin-import.js"))
      .Raw("\" defer></script>");
  return {html.Take()};
}

Trusted Report(const catalog::ImportResult& result, bool dry_run, bool priced) {
  HtmlWriter html;
  html.Raw("<section aria-labelledby=\"report\" class=\"import-report\"><h2 id=\"report\">")
      .Raw(dry_run ? "Dry run: nothing was written" : "Import report")
      .Raw("</h2><dl class=\"counts\"><dt>Rows</dt><dd>")
      .Text(std::to_string(result.rows))
      .Raw(dry_run ? "</dd><dt>Products that would be created</dt><dd>" : "</dd><dt>Products created</dt><dd>")
      .Text(std::to_string(result.products_created))
      .Raw(dry_run ? "</dd><dt>Products that would be updated</dt><dd>" : "</dd><dt>Products updated</dt><dd>")
      .Text(std::to_string(result.products_updated))
      .Raw("</dd><dt>Products rejected</dt><dd>")
      .Text(std::to_string(result.products_rejected))
      .Raw("</dd><dt>Variants</dt><dd>")
      .Text(std::to_string(result.variants))
      .Raw("</dd><dt>Prices</dt><dd>")
      .Text(std::to_string(result.prices.size()))
      .Raw("</dd></dl>");
  if (!priced) {
    html.Raw("<p class=\"muted\">The shop has no default market yet, so prices were not written.</p>");
  }
  if (result.issues.empty()) {
    html.Raw("<p>No rejected rows.</p>");
  } else {
    html.Raw("<p>")
        .Text(std::to_string(result.issues_total))
        .Raw(result.issues_total == 1 ? " problem" : " problems")
        .Raw(
            " found; a product with a bad row is rejected whole.</p>"
            "<table><thead><tr><th scope=\"col\">Row</th><th scope=\"col\">Column</th><th scope=\"col\">Handle</th>"
            "<th scope=\"col\">Reason</th></tr></thead><tbody>");
    for (const catalog::ImportIssue& issue : result.issues) {
      html.Raw("<tr><td>")
          .Text(issue.row == 0 ? std::string("file") : std::to_string(issue.row))
          .Raw("</td><td>")
          .Text(issue.column)
          .Raw("</td><td>")
          .Text(issue.handle)
          .Raw("</td><td>")
          .Text(issue.reason)
          .Raw("</td></tr>");
    }
    html.Raw("</tbody></table>");
  }
  html.Raw("</section>");
  return {html.Take()};
}

Response RunImport(const PageServices& services, const AdminRequest& request) {
  const std::int64_t shop = request.shop.id;
  const std::string csv = request.Field("csv");
  const bool dry_run = request.Field("dry_run") == "on";
  const std::string location_field = request.Field("location");
  FieldErrors errors;
  std::optional<std::int64_t> location_id;
  if (!location_field.empty()) {
    std::int64_t id = 0;
    const auto [end, ec] = std::from_chars(location_field.data(), location_field.data() + location_field.size(), id);
    if (ec != std::errc() || end != location_field.data() + location_field.size() ||
        !services.inventory.GetLocation(shop, id).ok()) {
      errors.Add("location", "Choose one of the shop's locations.");
    } else {
      location_id = id;
    }
  }
  if (text::TrimAscii(csv).empty()) errors.Add("csv", "Paste the CSV file's text, header row included.");
  if (!errors.empty()) {
    return AdminPage(request, "Import products", ImportForm(services, request, csv, dry_run, location_field, errors),
                     422);
  }
  auto markets = services.pricing.ListMarkets(shop);
  if (!markets.ok()) return AdminPage(request, "Import products", ErrorBox(markets.error().detail), 503);
  catalog::ImportOptions options{.dry_run = dry_run};
  std::optional<catalog::CatalogImportSink> sink;
  for (const pricing::Market& market : *markets) {
    if (!market.is_default) continue;
    options.currency = market.currency;
    sink.emplace(services.pricing, services.inventory, market.id, location_id, request.staff.ActorLabel());
  }
  auto result = services.catalog.ImportShopifyCsv(shop, csv, options, sink ? &*sink : nullptr);
  if (!result.ok()) {
    errors.Add("csv", result.error().detail);
    return AdminPage(request, "Import products", ImportForm(services, request, csv, dry_run, location_field, errors),
                     422);
  }
  HtmlWriter html;
  html.Fragment(Report(*result, dry_run, sink.has_value()));
  // After a dry run the same text is ready to import for real; after an import the form
  // starts empty again.
  html.Fragment(ImportForm(services, request, dry_run ? std::string_view(csv) : std::string_view(), !dry_run,
                           location_field, {}));
  return AdminPage(request, "Import products", {html.Take()});
}

}  // namespace

void RegisterImportPages(http::Router& router, const PageServices& services) {
  constexpr auto kWrite = identity::Permission::kCatalogWrite;
  router.Get("/admin/import", AdminRoute(services, kWrite, [&services](AdminRequest& request) {
               return AdminPage(request, "Import products", ImportForm(services, request, {}, true, {}, {}));
             }));
  router.Post("/admin/import", AdminRoute(services, kWrite,
                                          [&services](AdminRequest& request) { return RunImport(services, request); }));
}

}  // namespace plaza::web::admin
