#include <algorithm>
#include <array>
#include <map>
#include <unordered_map>

#include "csv.h"
#include "internal.h"
#include "plaza/catalog/catalog.h"
#include "plaza/core/money.h"
#include "plaza/core/text.h"

namespace plaza::catalog {
namespace {

using store::Transaction;

enum Column : std::size_t {
  kHandle,
  kTitle,
  kBody,
  kVendor,
  kProductCategory,
  kType,
  kTags,
  kPublished,
  kOption1Name,
  kOption1Value,
  kOption2Name,
  kOption2Value,
  kOption3Name,
  kOption3Value,
  kSku,
  kGrams,
  kTracker,
  kQuantity,
  kPolicy,
  kFulfillment,
  kPrice,
  kCompareAt,
  kRequiresShipping,
  kTaxable,
  kBarcode,
  kImageSrc,
  kImagePosition,
  kImageAlt,
  kGiftCard,
  kSeoTitle,
  kSeoDescription,
  kGoogleCategory,
  kGoogleMpn,
  kGoogleCondition,
  kVariantImage,
  kWeightUnit,
  kTaxCode,
  kCost,
  kStatus,
  kColumnCount,
};

// Shopify's product CSV header, in the order Shopify exports it.
constexpr std::array<std::string_view, kColumnCount> kColumnNames = {
    "Handle",
    "Title",
    "Body (HTML)",
    "Vendor",
    "Product Category",
    "Type",
    "Tags",
    "Published",
    "Option1 Name",
    "Option1 Value",
    "Option2 Name",
    "Option2 Value",
    "Option3 Name",
    "Option3 Value",
    "Variant SKU",
    "Variant Grams",
    "Variant Inventory Tracker",
    "Variant Inventory Qty",
    "Variant Inventory Policy",
    "Variant Fulfillment Service",
    "Variant Price",
    "Variant Compare At Price",
    "Variant Requires Shipping",
    "Variant Taxable",
    "Variant Barcode",
    "Image Src",
    "Image Position",
    "Image Alt Text",
    "Gift Card",
    "SEO Title",
    "SEO Description",
    "Google Shopping / Google Product Category",
    "Google Shopping / MPN",
    "Google Shopping / Condition",
    "Variant Image",
    "Variant Weight Unit",
    "Variant Tax Code",
    "Cost per item",
    "Status",
};

bool IsNumericColumn(std::size_t column) {
  return column == kGrams || column == kQuantity || column == kPrice || column == kCompareAt || column == kCost ||
         column == kImagePosition;
}

constexpr std::size_t kBatchProducts = 200;
constexpr std::size_t kMaxReportedIssues = 1000;
constexpr char kDryRunRollback[] = "catalog/dry-run-rollback";

struct Header {
  std::array<std::ptrdiff_t, kColumnCount> index{};
  std::vector<std::string> names;
};

struct ParsedVariant {
  std::size_t row = 0;
  std::optional<std::int64_t> price;
  std::optional<std::int64_t> compare_at;
  std::optional<std::int64_t> cost;
  std::optional<std::int64_t> quantity;
  bool tracked = false;
  bool continue_selling = false;
};

struct PendingProduct {
  std::string handle;
  std::size_t first_row = 0;
  ProductInput input;
  bool published = false;
  bool has_status = false;
  std::vector<ParsedVariant> variants;
  std::vector<std::size_t> media_rows;
  std::vector<std::int64_t> media_positions;
  bool rejected = false;
};

class Importer {
 public:
  Importer(const ImportOptions& options, Currency currency) : options_(options), currency_(currency) {}

  ImportResult& result() { return result_; }

  void Issue(std::size_t row, std::string_view column, std::string_view handle, std::string reason) {
    ++result_.issues_total;
    if (result_.issues.size() < kMaxReportedIssues) {
      result_.issues.push_back({row, std::string(column), std::string(handle), std::move(reason)});
    }
  }

  // Reads the header; false when the file cannot be imported at all.
  bool ReadHeader(const csv::Record& record) {
    header_.index.fill(-1);
    header_.names = record.fields;
    if (record.fields.size() > options_.limits.max_columns) {
      Issue(record.number, "", "", "more than " + std::to_string(options_.limits.max_columns) + " columns");
      return false;
    }
    for (std::size_t column = 0; column < record.fields.size(); ++column) {
      const std::string name(text::TrimAscii(record.fields[column]));
      if (!text::IsValidUtf8(name)) {
        Issue(record.number, "", "", "column " + std::to_string(column + 1) + " has a name that is not UTF-8");
        return false;
      }
      for (std::size_t known = 0; known < kColumnCount; ++known) {
        if (kColumnNames[known] != name) continue;
        if (header_.index[known] >= 0) {
          Issue(record.number, name, "", "the column appears twice");
          return false;
        }
        header_.index[known] = static_cast<std::ptrdiff_t>(column);
      }
    }
    for (const Column required : {kHandle, kTitle}) {
      if (header_.index[required] < 0) {
        Issue(record.number, kColumnNames[required], "", "required column is missing from the header");
        return false;
      }
    }
    return true;
  }

  std::string Cell(const csv::Record& record, Column column) const {
    const std::ptrdiff_t index = header_.index[column];
    if (index < 0 || static_cast<std::size_t>(index) >= record.fields.size()) return {};
    const std::string& raw = record.fields[static_cast<std::size_t>(index)];
    if (IsNumericColumn(column)) return std::string(text::TrimAscii(raw));
    return std::string(csv::StripNeutraliser(raw));
  }

  // Record-level checks: shape, encoding and formula cells. False rejects the row.
  bool CheckRecord(const csv::Record& record, std::string_view handle) {
    if (!record.error.empty()) {
      Issue(record.number, ColumnName(record.error_field), handle, record.error);
      return false;
    }
    if (record.fields.size() != header_.names.size()) {
      Issue(record.number, "", handle,
            "has " + std::to_string(record.fields.size()) + " fields; the header has " +
                std::to_string(header_.names.size()));
      return false;
    }
    for (std::size_t column = 0; column < record.fields.size(); ++column) {
      if (!text::IsValidUtf8(record.fields[column])) {
        Issue(record.number, ColumnName(column), handle, "not valid UTF-8");
        return false;
      }
    }
    for (std::size_t known = 0; known < kColumnCount; ++known) {
      const std::ptrdiff_t index = header_.index[known];
      if (index < 0 || IsNumericColumn(known)) continue;
      const std::string& raw = record.fields[static_cast<std::size_t>(index)];
      if (csv::LooksLikeFormula(raw)) {
        Issue(record.number, kColumnNames[known], handle,
              "starts with a spreadsheet formula character (= + - @); prefix it with an apostrophe to keep it as text");
        return false;
      }
    }
    return true;
  }

  std::string ColumnName(std::size_t column) const {
    return column < header_.names.size() ? header_.names[column] : "";
  }

  std::optional<std::int64_t> Money(const csv::Record& record, Column column, std::string_view handle, bool& ok) {
    const std::string value = Cell(record, column);
    if (value.empty()) return std::nullopt;
    auto amount = ParseDecimalAmount(value, currency_);
    if (!amount.ok() || *amount < 0) {
      Issue(record.number, kColumnNames[column], handle,
            "'" + value.substr(0, 40) + "' is not an amount in " + std::string(currency_.code));
      ok = false;
      return std::nullopt;
    }
    return *amount;
  }

  std::optional<std::int64_t> Integer(const csv::Record& record, Column column, std::string_view handle, bool& ok,
                                      bool allow_negative) {
    std::string value = Cell(record, column);
    if (value.empty()) return std::nullopt;
    // Spreadsheets turn 200 into "200.0"; a zero fraction is the same integer.
    if (const std::size_t dot = value.find('.'); dot != std::string::npos) {
      if (value.find_first_not_of('0', dot + 1) == std::string::npos) value.resize(dot);
    }
    std::string_view digits = value;
    if (allow_negative && digits.starts_with('-')) digits.remove_prefix(1);
    const bool valid = !digits.empty() && digits.size() <= 15 &&
                       std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!valid) {
      Issue(record.number, kColumnNames[column], handle, "'" + value.substr(0, 40) + "' is not a whole number");
      ok = false;
      return std::nullopt;
    }
    return static_cast<std::int64_t>(std::stoll(value));
  }

  std::optional<bool> Boolean(const csv::Record& record, Column column, std::string_view handle, bool& ok) {
    const std::string value = text::ToLowerAscii(text::TrimAscii(Cell(record, column)));
    if (value.empty()) return std::nullopt;
    if (value == "true") return true;
    if (value == "false") return false;
    Issue(record.number, kColumnNames[column], handle, "must be TRUE or FALSE");
    ok = false;
    return std::nullopt;
  }

  // Product-level columns from the first row of a handle.
  bool ReadProductRow(const csv::Record& record, PendingProduct& product) {
    bool ok = true;
    ProductInput& input = product.input;
    input.handle = product.handle;
    input.title = Cell(record, kTitle);
    input.description_html = Cell(record, kBody);
    input.vendor = Cell(record, kVendor);
    input.product_type = Cell(record, kType);
    input.tags = internal::SplitTags(Cell(record, kTags));
    input.google_product_category = Cell(record, kProductCategory);
    if (input.google_product_category.empty()) input.google_product_category = Cell(record, kGoogleCategory);
    input.seo_title = Cell(record, kSeoTitle);
    input.seo_description = Cell(record, kSeoDescription);
    const std::string condition = text::ToLowerAscii(text::TrimAscii(Cell(record, kGoogleCondition)));
    if (!condition.empty()) {
      if (auto parsed = ParseCondition(condition)) {
        input.condition = *parsed;
      } else {
        Issue(record.number, kColumnNames[kGoogleCondition], product.handle, "must be new, refurbished or used");
        ok = false;
      }
    }
    product.published = Boolean(record, kPublished, product.handle, ok).value_or(false);
    const std::string status = text::ToLowerAscii(text::TrimAscii(Cell(record, kStatus)));
    if (!status.empty()) {
      if (auto parsed = ParseStatus(status)) {
        input.status = *parsed;
        product.has_status = true;
      } else {
        Issue(record.number, kColumnNames[kStatus], product.handle, "must be active, draft or archived");
        ok = false;
      }
    }
    if (!product.has_status) input.status = product.published ? ProductStatus::kActive : ProductStatus::kDraft;
    if (product.published) input.channels = {Channel::kOnlineStore};
    if (Boolean(record, kGiftCard, product.handle, ok).value_or(false)) {
      Issue(record.number, kColumnNames[kGiftCard], product.handle, "gift cards are not catalog products");
      ok = false;
    }
    const std::array<Column, 3> names = {kOption1Name, kOption2Name, kOption3Name};
    const std::array<Column, 3> values = {kOption1Value, kOption2Value, kOption3Value};
    for (std::size_t option = 0; option < 3; ++option) {
      std::string name(text::TrimAscii(Cell(record, names[option])));
      if (name.empty()) break;
      // Shopify writes a product without options as "Title" / "Default Title".
      if (option == 0 && name == "Title" && text::TrimAscii(Cell(record, values[0])) == "Default Title") break;
      input.option_names.push_back(std::move(name));
    }
    return ok;
  }

  bool IsVariantRow(const csv::Record& record) const {
    for (const Column column :
         {kOption1Value, kOption2Value, kOption3Value, kSku, kPrice, kGrams, kBarcode, kQuantity, kCompareAt}) {
      if (!text::TrimAscii(Cell(record, column)).empty()) return true;
    }
    return false;
  }

  bool ReadVariantRow(const csv::Record& record, PendingProduct& product) {
    bool ok = true;
    VariantInput variant;
    ParsedVariant parsed;
    parsed.row = record.number;
    const std::array<Column, 3> values = {kOption1Value, kOption2Value, kOption3Value};
    for (std::size_t option = 0; option < 3; ++option) {
      const std::string value = Cell(record, values[option]);
      if (option < product.input.option_names.size()) {
        variant.option_values.push_back(value);
      } else if (!value.empty() && !(option == 0 && value == "Default Title")) {
        Issue(record.number, kColumnNames[values[option]], product.handle,
              "a value for an option the product's first row does not name");
        ok = false;
      }
    }
    variant.sku = Cell(record, kSku);
    variant.gtin = Cell(record, kBarcode);
    variant.mpn = Cell(record, kGoogleMpn);
    variant.weight_grams = Integer(record, kGrams, product.handle, ok, false).value_or(0);
    variant.requires_shipping = Boolean(record, kRequiresShipping, product.handle, ok).value_or(true);
    const std::string tax_code(text::TrimAscii(Cell(record, kTaxCode)));
    const bool taxable = Boolean(record, kTaxable, product.handle, ok).value_or(true);
    variant.tax_class = !tax_code.empty() ? text::ToLowerAscii(tax_code) : (taxable ? "standard" : "zero");
    const std::string unit = text::ToLowerAscii(text::TrimAscii(Cell(record, kWeightUnit)));
    if (!unit.empty() && unit != "g" && unit != "kg" && unit != "lb" && unit != "oz") {
      Issue(record.number, kColumnNames[kWeightUnit], product.handle, "must be g, kg, lb or oz");
      ok = false;
    }
    variant.image_url = std::string(text::TrimAscii(Cell(record, kVariantImage)));
    parsed.price = Money(record, kPrice, product.handle, ok);
    parsed.compare_at = Money(record, kCompareAt, product.handle, ok);
    parsed.cost = Money(record, kCost, product.handle, ok);
    parsed.quantity = Integer(record, kQuantity, product.handle, ok, true);
    parsed.tracked = !text::TrimAscii(Cell(record, kTracker)).empty();
    const std::string policy = text::ToLowerAscii(text::TrimAscii(Cell(record, kPolicy)));
    if (!policy.empty() && policy != "deny" && policy != "continue") {
      Issue(record.number, kColumnNames[kPolicy], product.handle, "must be deny or continue");
      ok = false;
    }
    parsed.continue_selling = policy == "continue";
    product.input.variants.push_back(std::move(variant));
    product.variants.push_back(parsed);
    return ok;
  }

  bool ReadImage(const csv::Record& record, PendingProduct& product) {
    bool ok = true;
    const std::string url(text::TrimAscii(Cell(record, kImageSrc)));
    if (url.empty()) return true;
    const auto position = Integer(record, kImagePosition, product.handle, ok, false);
    for (const MediaInput& media : product.input.media) {
      if (media.url == url) return ok;
    }
    product.input.media.push_back({.url = url, .alt = Cell(record, kImageAlt)});
    product.media_rows.push_back(record.number);
    product.media_positions.push_back(position.value_or(static_cast<std::int64_t>(product.media_rows.size()) + 100000));
    return ok;
  }

  // Media in Image Position order; variant images not listed as Image Src are appended.
  void FinishMedia(PendingProduct& product) {
    std::vector<std::size_t> order(product.input.media.size());
    for (std::size_t index = 0; index < order.size(); ++index) order[index] = index;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return product.media_positions[a] < product.media_positions[b];
    });
    std::vector<MediaInput> media;
    std::vector<std::size_t> rows;
    for (const std::size_t index : order) {
      media.push_back(product.input.media[index]);
      rows.push_back(product.media_rows[index]);
    }
    for (std::size_t variant = 0; variant < product.input.variants.size(); ++variant) {
      const std::string& url = product.input.variants[variant].image_url;
      if (url.empty()) continue;
      const bool listed = std::any_of(media.begin(), media.end(), [&](const MediaInput& m) { return m.url == url; });
      if (!listed) {
        media.push_back({.url = url, .alt = {}});
        rows.push_back(product.variants[variant].row);
      }
    }
    product.input.media = std::move(media);
    product.media_rows = std::move(rows);
  }

  // Where a validation error's JSON pointer points in the file.
  std::pair<std::size_t, std::string> Locate(const PendingProduct& product, std::string_view field) const {
    const auto member = [&](std::string_view rest) -> std::string_view {
      const std::size_t slash = rest.find('/');
      return slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
    };
    const auto index_of = [](std::string_view rest) -> std::size_t {
      std::size_t value = 0;
      for (const char c : rest) {
        if (c < '0' || c > '9') break;
        value = value * 10 + static_cast<std::size_t>(c - '0');
      }
      return value;
    };
    if (field.starts_with("/variants/")) {
      const std::string_view rest = field.substr(10);
      const std::size_t index = index_of(rest);
      const std::size_t row = index < product.variants.size() ? product.variants[index].row : product.first_row;
      const std::string_view name = member(rest);
      static const std::map<std::string_view, Column> kVariantColumns = {{"sku", kSku},
                                                                         {"gtin", kBarcode},
                                                                         {"mpn", kGoogleMpn},
                                                                         {"weight_grams", kGrams},
                                                                         {"tax_class", kTaxCode},
                                                                         {"image_url", kVariantImage},
                                                                         {"option_values", kOption1Value}};
      if (name.starts_with("option_values/")) {
        const std::size_t option = index_of(name.substr(14));
        return {row, std::string(kColumnNames[kOption1Value + 2 * std::min<std::size_t>(option, 2)])};
      }
      for (const auto& [key, column] : kVariantColumns) {
        if (name.starts_with(key)) return {row, std::string(kColumnNames[column])};
      }
      return {row, ""};
    }
    if (field.starts_with("/media/")) {
      const std::size_t index = index_of(field.substr(7));
      const std::size_t row = index < product.media_rows.size() ? product.media_rows[index] : product.first_row;
      return {row,
              field.ends_with("alt") ? std::string(kColumnNames[kImageAlt]) : std::string(kColumnNames[kImageSrc])};
    }
    if (field.starts_with("/option_names/")) {
      const std::size_t option = index_of(field.substr(14));
      return {product.first_row, std::string(kColumnNames[kOption1Name + 2 * std::min<std::size_t>(option, 2)])};
    }
    static const std::map<std::string_view, Column> kProductColumns = {{"/handle", kHandle},
                                                                       {"/title", kTitle},
                                                                       {"/description_html", kBody},
                                                                       {"/vendor", kVendor},
                                                                       {"/product_type", kType},
                                                                       {"/tags", kTags},
                                                                       {"/google_product_category", kProductCategory},
                                                                       {"/seo_title", kSeoTitle},
                                                                       {"/seo_description", kSeoDescription}};
    for (const auto& [key, column] : kProductColumns) {
      if (field.starts_with(key)) return {product.first_row, std::string(kColumnNames[column])};
    }
    return {product.first_row, ""};
  }

  void Reject(PendingProduct& product, const Error& error) {
    const auto [row, column] = Locate(product, error.field);
    Issue(row, column, product.handle, error.detail.empty() ? error.type : error.detail);
    product.rejected = true;
  }

  const ImportOptions& options_;
  Currency currency_;
  Header header_;
  ImportResult result_;
};

// Keeps what the CSV cannot express (attributes, non-storefront channels) when a product
// is re-imported over an existing one.
void MergeExisting(ProductInput& input, const Product& existing, bool published) {
  input.attributes = existing.attributes;
  std::vector<Channel> channels;
  for (const Channel channel : existing.channels) {
    if (channel != Channel::kOnlineStore) channels.push_back(channel);
  }
  if (published) channels.push_back(Channel::kOnlineStore);
  input.channels = channels;
  for (VariantInput& variant : input.variants) {
    for (const Variant& old : existing.variants) {
      if (old.option_values == variant.option_values) variant.attributes = old.attributes;
    }
  }
}

}  // namespace

Result<ImportResult> CatalogService::ImportShopifyCsv(std::int64_t shop_id, std::string_view data,
                                                      const ImportOptions& options, ImportSink* sink) {
  PLAZA_ASSIGN_OR_RETURN(const Currency currency, FindCurrency(options.currency));
  if (data.size() > options.limits.max_bytes) {
    Error error = Error::Invalid("catalog/import-too-large",
                                 "the file is larger than " + std::to_string(options.limits.max_bytes) + " bytes");
    error.code = ErrorCode::kPayloadTooLarge;
    return error;
  }
  Importer importer(options, currency);
  ImportResult& result = importer.result();
  csv::ParseResult parsed = csv::Parse(data, options.limits.max_rows + 1, options.limits.max_field_bytes);
  if (!parsed.fatal.empty()) {
    // A file that cannot be split into records is refused whole: which rows belong to
    // which product is no longer certain.
    importer.Issue(parsed.fatal_record, "", "", parsed.fatal);
    result.rows = parsed.records.empty() ? 0 : parsed.records.size() - 1;
    return result;
  }
  if (parsed.records.empty()) {
    importer.Issue(1, "", "", "the file is empty");
    return result;
  }
  if (!importer.ReadHeader(parsed.records.front())) return result;
  result.rows = parsed.records.size() - 1;

  // Group rows by handle, in order of first appearance.
  std::vector<PendingProduct> products;
  std::unordered_map<std::string, std::size_t> by_handle;
  for (std::size_t index = 1; index < parsed.records.size(); ++index) {
    const csv::Record& record = parsed.records[index];
    const std::string handle(text::TrimAscii(importer.Cell(record, kHandle)));
    if (handle.empty()) {
      importer.CheckRecord(record, handle);
      importer.Issue(record.number, "Handle", "", "every row needs a handle");
      continue;
    }
    auto [found, inserted] = by_handle.try_emplace(handle, products.size());
    if (inserted) {
      products.push_back({});
      products.back().handle = handle;
      products.back().first_row = record.number;
    }
    PendingProduct& product = products[found->second];
    if (product.rejected) {
      // Later rows of a rejected product are still checked, so one pass reports them all.
      importer.CheckRecord(record, handle);
      continue;
    }
    bool ok = importer.CheckRecord(record, handle);
    if (ok && inserted) {
      if (!IsValidHandle(handle)) {
        importer.Issue(record.number, "Handle", handle, "a handle is lower-case letters, digits and single dashes");
        ok = false;
      } else {
        ok = importer.ReadProductRow(record, product);
      }
    }
    if (ok && (inserted || importer.IsVariantRow(record))) ok = importer.ReadVariantRow(record, product);
    if (ok) ok = importer.ReadImage(record, product);
    if (!ok) product.rejected = true;
  }

  // Validation that needs no database, and SKUs shared between products of the file.
  std::unordered_map<std::string, std::string> sku_owner;
  for (PendingProduct& product : products) {
    if (product.rejected) continue;
    importer.FinishMedia(product);
    auto normalized = internal::NormalizeProduct(product.input, {});
    if (!normalized.ok()) {
      // Definitions are checked at write time; without them only attribute errors differ,
      // and CSV rows carry no attributes.
      importer.Reject(product, normalized.error());
      continue;
    }
    for (std::size_t variant = 0; variant < product.input.variants.size(); ++variant) {
      const std::string& sku = normalized->variants[variant].sku;
      if (sku.empty()) continue;
      auto [owner, fresh] = sku_owner.try_emplace(sku, product.handle);
      if (!fresh && owner->second != product.handle) {
        importer.Issue(product.variants[variant].row, "Variant SKU", product.handle,
                       "SKU '" + sku + "' is also used by product '" + owner->second + "' in this file");
        product.rejected = true;
        break;
      }
    }
  }

  std::vector<PendingProduct*> queue;
  for (PendingProduct& product : products) {
    if (!product.rejected) queue.push_back(&product);
  }
  std::size_t done_rows = 0;
  const std::size_t total_rows = result.rows;

  // Writes `batch` in one transaction; on any product's failure the transaction rolls
  // back and the caller retries the products one by one, so a bad product never
  // half-writes and never takes good ones with it.
  struct Written {
    std::int64_t product_id = 0;
    std::vector<std::int64_t> variant_ids;
    bool created = false;
  };
  const auto write_batch = [&](std::span<PendingProduct* const> batch, std::vector<Written>& written,
                               std::size_t& failed_index) -> Status {
    return db_.Write([&](Transaction& tx) -> Status {
      written.assign(batch.size(), {});
      PLAZA_ASSIGN_OR_RETURN(auto context, internal::LoadShopContext(tx, shop_id));
      for (std::size_t index = 0; index < batch.size(); ++index) {
        PendingProduct& product = *batch[index];
        failed_index = index;
        PLAZA_ASSIGN_OR_RETURN(auto existing_id, internal::ProductIdByHandle(tx, shop_id, product.handle));
        ProductInput input = product.input;
        if (existing_id) {
          PLAZA_ASSIGN_OR_RETURN(Product existing, catalog::GetProduct(tx, shop_id, *existing_id));
          MergeExisting(input, existing, product.published);
        }
        PLAZA_ASSIGN_OR_RETURN(ProductInput normalized, internal::NormalizeProduct(input, context.definitions));
        Written& out = written[index];
        out.created = !existing_id;
        PLAZA_ASSIGN_OR_RETURN(out.product_id, internal::WriteProduct(tx, shop_id, existing_id, normalized, context,
                                                                      clock_.Now(), &out.variant_ids));
      }
      failed_index = batch.size();
      if (options.dry_run) return Error::Invalid(kDryRunRollback, "dry run");
      return Ok();
    });
  };
  const auto record_success = [&](PendingProduct& product, const Written& written) {
    if (written.created) {
      ++result.products_created;
    } else {
      ++result.products_updated;
    }
    result.variants += product.variants.size();
    for (std::size_t variant = 0; variant < product.variants.size(); ++variant) {
      const ParsedVariant& parsed_variant = product.variants[variant];
      const std::int64_t variant_id = options.dry_run ? 0 : written.variant_ids.at(variant);
      const std::int64_t product_id = options.dry_run ? 0 : written.product_id;
      const std::string& sku = product.input.variants[variant].sku;
      if (parsed_variant.price) {
        result.prices.push_back({.product_id = product_id,
                                 .variant_id = variant_id,
                                 .sku = sku,
                                 .amount = *parsed_variant.price,
                                 .compare_at_amount = parsed_variant.compare_at,
                                 .cost_amount = parsed_variant.cost});
      }
      if (parsed_variant.quantity) {
        result.stock.push_back({.product_id = product_id,
                                .variant_id = variant_id,
                                .sku = sku,
                                .quantity = *parsed_variant.quantity,
                                .tracked = parsed_variant.tracked,
                                .continue_selling = parsed_variant.continue_selling});
      }
    }
  };
  const auto is_rollback = [](const Status& status) { return !status.ok() && status.error().type == kDryRunRollback; };

  for (std::size_t start = 0; start < queue.size(); start += kBatchProducts) {
    const std::span<PendingProduct* const> batch(queue.data() + start, std::min(kBatchProducts, queue.size() - start));
    const std::size_t prices_before = result.prices.size();
    const std::size_t stock_before = result.stock.size();
    std::vector<Written> written;
    std::size_t failed_index = 0;
    Status status = write_batch(batch, written, failed_index);
    if (status.ok() || is_rollback(status)) {
      for (std::size_t index = 0; index < batch.size(); ++index) record_success(*batch[index], written[index]);
    } else if (failed_index >= batch.size()) {
      return std::move(status).error();  // the database failed, not a product
    } else {
      for (PendingProduct* product : batch) {
        std::vector<Written> single;
        std::size_t single_failed = 0;
        Status one = write_batch(std::span<PendingProduct* const>(&product, 1), single, single_failed);
        if (one.ok() || is_rollback(one)) {
          record_success(*product, single.front());
        } else if (one.error().code == ErrorCode::kUnavailable || one.error().type == "db/retry") {
          return std::move(one).error();
        } else {
          importer.Reject(*product, one.error());
        }
      }
    }
    if (sink != nullptr && !options.dry_run) {
      const std::span<const ImportedPrice> prices(result.prices.data() + prices_before,
                                                  result.prices.size() - prices_before);
      const std::span<const ImportedStock> stock(result.stock.data() + stock_before,
                                                 result.stock.size() - stock_before);
      if (!prices.empty()) PLAZA_TRY(sink->Prices(shop_id, prices));
      if (!stock.empty()) PLAZA_TRY(sink->Stock(shop_id, stock));
    }
    for (PendingProduct* product : batch) done_rows += product->variants.size() + product->media_rows.size();
    if (options.progress) options.progress(std::min(done_rows, total_rows), total_rows);
  }
  for (const PendingProduct& product : products) {
    if (product.rejected) ++result.products_rejected;
  }
  if (options.progress) options.progress(total_rows, total_rows);
  return result;
}

Result<std::string> CatalogService::ExportShopifyCsv(std::int64_t shop_id,
                                                     std::span<const VariantPriceAnnotation> prices,
                                                     std::string_view currency_code) {
  PLAZA_ASSIGN_OR_RETURN(const Currency currency, FindCurrency(currency_code));
  std::unordered_map<std::int64_t, std::int64_t> price_of;
  for (const VariantPriceAnnotation& price : prices) price_of[price.variant_id] = price.amount;
  return db_.Read([&](Transaction& tx) -> Result<std::string> {
    std::string out;
    for (std::size_t column = 0; column < kColumnCount; ++column) {
      if (column > 0) out += ',';
      csv::AppendField(out, kColumnNames[column]);
    }
    out += "\r\n";
    PLAZA_ASSIGN_OR_RETURN(auto ids,
                           tx.Execute("SELECT id FROM catalog_products WHERE shop_id = ? ORDER BY id", {shop_id}));
    std::vector<std::int64_t> all_ids;
    all_ids.reserve(ids.rows.size());
    for (const store::Row& row : ids.rows) all_ids.push_back(row.Int(0));
    PLAZA_TRY(internal::ForSlices(all_ids, 500, [&](std::span<const std::int64_t> slice) -> Status {
      PLAZA_ASSIGN_OR_RETURN(auto products, internal::LoadProducts(tx, shop_id, slice));
      for (const Product& product : products) {
        const std::size_t rows = std::max(product.variants.size(), product.media.size());
        for (std::size_t row = 0; row < rows; ++row) {
          std::array<std::string, kColumnCount> cells;
          cells[kHandle] = product.handle;
          if (row == 0) {
            cells[kTitle] = product.title;
            cells[kBody] = product.description_html;
            cells[kVendor] = product.vendor;
            cells[kProductCategory] = product.google_product_category;
            cells[kType] = product.product_type;
            cells[kTags] = internal::JoinTags(product.tags);
            const bool published = std::find(product.channels.begin(), product.channels.end(), Channel::kOnlineStore) !=
                                   product.channels.end();
            cells[kPublished] = published ? "TRUE" : "FALSE";
            cells[kGiftCard] = "FALSE";
            cells[kSeoTitle] = product.seo_title;
            cells[kSeoDescription] = product.seo_description;
            cells[kGoogleCondition] = std::string(ConditionName(product.condition));
            cells[kStatus] = std::string(StatusName(product.status));
            if (product.options.empty()) {
              cells[kOption1Name] = "Title";
            } else {
              for (std::size_t option = 0; option < product.options.size(); ++option) {
                cells[kOption1Name + 2 * option] = product.options[option].name;
              }
            }
          }
          if (row < product.variants.size()) {
            const Variant& variant = product.variants[row];
            if (product.options.empty()) {
              cells[kOption1Value] = "Default Title";
            } else {
              for (std::size_t option = 0; option < variant.option_values.size(); ++option) {
                cells[kOption1Value + 2 * option] = variant.option_values[option];
              }
            }
            cells[kSku] = variant.sku;
            cells[kGrams] = std::to_string(variant.weight_grams);
            cells[kPolicy] = "deny";
            cells[kFulfillment] = "manual";
            if (const auto price = price_of.find(variant.id); price != price_of.end()) {
              cells[kPrice] = FormatDecimalAmount(price->second, currency);
            }
            cells[kRequiresShipping] = variant.requires_shipping ? "TRUE" : "FALSE";
            cells[kTaxable] = variant.tax_class == "zero" ? "FALSE" : "TRUE";
            if (variant.tax_class != "standard" && variant.tax_class != "zero") cells[kTaxCode] = variant.tax_class;
            cells[kBarcode] = variant.gtin;
            cells[kGoogleMpn] = variant.mpn;
            cells[kWeightUnit] = "g";
            for (const Media& media : product.media) {
              if (variant.image_id == media.id) cells[kVariantImage] = media.url;
            }
          }
          if (row < product.media.size()) {
            cells[kImageSrc] = product.media[row].url;
            cells[kImagePosition] = std::to_string(product.media[row].position);
            cells[kImageAlt] = product.media[row].alt;
          }
          for (std::size_t column = 0; column < kColumnCount; ++column) {
            if (column > 0) out += ',';
            csv::AppendField(out, IsNumericColumn(column) ? cells[column] : csv::NeutraliseFormula(cells[column]));
          }
          out += "\r\n";
        }
      }
      return Ok();
    }));
    return out;
  });
}

}  // namespace plaza::catalog
