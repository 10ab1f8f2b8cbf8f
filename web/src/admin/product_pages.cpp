// Products: the list with search and status filter, and one form for creating and
// editing a product with its options, variants (SKU, GTIN, a price per market), media,
// custom attributes and channel publication. The catalog and pricing services keep the
// rules; the page only reads the form and puts each error next to its field.

#include <algorithm>
#include <charconv>

#include "admin_page.h"
#include "product_form.h"
#include "routes.h"

namespace plaza::web::admin {
namespace {

namespace cat = catalog;
using identity::Permission;

constexpr int kProductsPerPage = 50;
// Rows a form posts at most; the catalog's own bounds apply to what is kept.
constexpr std::size_t kMaxFormRows = 200;

std::optional<std::int64_t> IdParam(const AdminRequest& request) {
  std::int64_t id = 0;
  const std::string_view text = request.http.PathParam("id");
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

http::Response NotFound(const AdminRequest& request) {
  return AdminPage(request, "Product not found",
                   {"<p>No product of this shop has that id. <a href=\"/admin/products\">All products</a></p>"}, 404);
}

std::string_view ChannelLabel(cat::Channel channel) {
  switch (channel) {
    case cat::Channel::kOnlineStore:
      return "Online store";
    case cat::Channel::kMeta:
      return "Meta (Facebook and Instagram)";
    case cat::Channel::kTiktok:
      return "TikTok";
    case cat::Channel::kPinterest:
      return "Pinterest";
    case cat::Channel::kGoogle:
      return "Google";
  }
  return "";
}

std::string Joined(const std::vector<std::string>& values, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i) out += (i ? std::string(separator) : "") + values[i];
  return out;
}

std::vector<std::string> SplitList(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    std::string_view part = text.substr(start, comma - start);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    if (!part.empty()) out.emplace_back(part);
    start = comma + 1;
  }
  return out;
}

// ---- the list ----

http::Response ProductList(const PageServices& services, const AdminRequest& request) {
  const std::string query(request.http.Query("q").value_or(""));
  const std::string status_text(request.http.Query("status").value_or(""));
  const std::optional<cat::ProductStatus> status = cat::ParseStatus(status_text);
  HtmlWriter html;
  if (identity::Holds(request.staff, Permission::kCatalogWrite)) {
    html.Raw("<p><a class=\"button\" href=\"/admin/products/new\">Add product</a></p>");
  }
  html.Raw("<form method=\"get\" action=\"/admin/products\" class=\"filters\" role=\"search\">")
      .Fragment(Input("Search products", "q", query, {}, {.type = "search"}))
      .Fragment(Select("Status", "status", status ? cat::StatusName(*status) : "",
                       {{"", "Any status"}, {"draft", "Draft"}, {"active", "Active"}, {"archived", "Archived"}}, {}))
      .Raw("<button type=\"submit\">Filter</button></form>");

  struct Row {
    std::int64_t id;
    std::string title;
    std::string handle;
    std::string vendor;
    std::string status;
    std::size_t variants;
  };
  std::vector<Row> rows;
  std::string next_link;
  if (!query.empty()) {
    int offset = 0;
    if (auto text = request.http.Query("offset")) offset = static_cast<int>(ParseCount(*text).value_or(0));
    offset = std::min(offset, cat::kMaxSearchOffset);
    auto found = services.catalog.Search(
        request.shop.id,
        {.text = query, .status = status, .with_facets = false, .offset = offset, .limit = kProductsPerPage});
    if (!found.ok()) return AdminPage(request, "Products", ErrorBox(found.error().detail), 400);
    for (const auto& hit : found->hits) rows.push_back({hit.product_id, hit.title, hit.handle, hit.vendor, "", 0});
    if (offset + kProductsPerPage < found->total && offset + kProductsPerPage <= cat::kMaxSearchOffset) {
      next_link = "offset=" + std::to_string(offset + kProductsPerPage);
    }
  } else {
    auto page = services.catalog.ListProducts(request.shop.id,
                                              {.status = status,
                                               .cursor = std::string(request.http.Query("cursor").value_or("")),
                                               .limit = kProductsPerPage});
    if (!page.ok()) return AdminPage(request, "Products", ErrorBox(page.error().detail), 400);
    for (const auto& product : page->products) {
      rows.push_back({product.id, product.title, product.handle, product.vendor,
                      std::string(cat::StatusName(product.status)), product.variants.size()});
    }
    if (!page->next_cursor.empty()) next_link = "cursor=" + page->next_cursor;
  }

  if (rows.empty()) {
    html.Raw("<p>No products match.</p>");
  } else {
    html.Raw(
        "<table><caption>Products</caption><thead><tr><th scope=\"col\">Title</th><th scope=\"col\">Handle</th>"
        "<th scope=\"col\">Vendor</th><th scope=\"col\">Status</th><th "
        "scope=\"col\">Variants</th></tr></thead><tbody>");
    for (const Row& row : rows) {
      html.Raw("<tr><td><a href=\"/admin/products/")
          .Text(std::to_string(row.id))
          .Raw("\">")
          .Text(row.title)
          .Raw("</a></td><td>")
          .Text(row.handle)
          .Raw("</td><td>")
          .Text(row.vendor)
          .Raw("</td><td>")
          .Text(row.status)
          .Raw("</td><td>")
          .Text(row.variants ? std::to_string(row.variants) : "")
          .Raw("</td></tr>");
    }
    html.Raw("</tbody></table>");
  }
  if (!next_link.empty()) {
    std::string href = "/admin/products?" + next_link;
    if (!query.empty()) href += "&q=" + QueryValue(query);
    if (status) href += "&status=" + std::string(cat::StatusName(*status));
    html.Raw("<p><a rel=\"next\" href=\"").Text(href).Raw("\">Next page</a></p>");
  }
  return AdminPage(request, "Products", {html.Take()});
}

// ---- the form ----

// What the form shows: a product as stored, or as just entered.
struct VariantRow {
  std::int64_t id = 0;
  std::vector<std::string> option_values{};
  std::string sku{};
  std::string gtin{};
  std::map<std::int64_t, std::string> prices{};  // by market id, as typed
  bool remove = false;
};
struct ProductForm {
  std::string title{}, handle{}, description{}, vendor{}, product_type{}, tags{}, status = "draft";
  std::vector<std::string> channels{};  // names
  std::vector<std::string> option_names{};
  std::vector<VariantRow> variants{};
  std::vector<std::pair<std::string, std::string>> media{};       // url, alt
  std::vector<std::pair<std::string, std::string>> attributes{};  // key, value
};

ProductForm FormOf(const cat::Product& product, const std::vector<pricing::Market>& markets,
                   const PageServices& services, std::int64_t shop_id) {
  ProductForm form{.title = product.title,
                   .handle = product.handle,
                   .description = product.description_html,
                   .vendor = product.vendor,
                   .product_type = product.product_type,
                   .tags = Joined(product.tags, ", "),
                   .status = std::string(cat::StatusName(product.status))};
  for (cat::Channel channel : product.channels) form.channels.emplace_back(cat::ChannelName(channel));
  for (const auto& option : product.options) form.option_names.push_back(option.name);
  for (const auto& variant : product.variants) {
    VariantRow row{.id = variant.id, .option_values = variant.option_values, .sku = variant.sku, .gtin = variant.gtin};
    auto prices = services.pricing.VariantPrices(shop_id, variant.id);
    if (prices.ok()) {
      for (const auto& price : *prices) {
        for (const auto& market : markets) {
          if (market.id == price.market_id) row.prices[market.id] = AmountInputValue(price.amount, price.currency);
        }
      }
    }
    form.variants.push_back(std::move(row));
  }
  for (const auto& media : product.media) form.media.emplace_back(media.url, media.alt);
  for (const auto& attribute : product.attributes) {
    form.attributes.emplace_back(attribute.key,
                                 attribute.values.empty() ? attribute.value : Joined(attribute.values, ", "));
  }
  return form;
}

std::string RowField(std::string_view group, std::size_t row, std::string_view name) {
  return std::string(group) + "_" + std::to_string(row) + "_" + std::string(name);
}

std::size_t RowCount(const AdminRequest& request, std::string_view name) {
  return std::min(static_cast<std::size_t>(ParseCount(request.Field(name)).value_or(0)), kMaxFormRows);
}

ProductForm FormFromPost(const AdminRequest& request, const std::vector<pricing::Market>& markets) {
  ProductForm form{.title = request.Field("title"),
                   .handle = request.Field("handle"),
                   .description = request.Field("description_html"),
                   .vendor = request.Field("vendor"),
                   .product_type = request.Field("product_type"),
                   .tags = request.Field("tags"),
                   .status = request.Field("status")};
  for (cat::Channel channel : cat::AllChannels()) {
    const std::string name(cat::ChannelName(channel));
    if (!request.Field("channel_" + name).empty()) form.channels.push_back(name);
  }
  for (std::size_t i = 0; i < cat::kMaxOptions; ++i)
    form.option_names.push_back(request.Field("option_names_" + std::to_string(i)));
  while (!form.option_names.empty() && form.option_names.back().empty()) form.option_names.pop_back();
  for (std::size_t i = 0; i < RowCount(request, "variant_rows"); ++i) {
    VariantRow row;
    row.id = ParseCount(request.Field(RowField("variants", i, "id"))).value_or(0);
    for (std::size_t j = 0; j < cat::kMaxOptions; ++j) {
      row.option_values.push_back(request.Field(RowField("variants", i, "option_values_" + std::to_string(j))));
    }
    row.sku = request.Field(RowField("variants", i, "sku"));
    row.remove = !request.Field(RowField("variants", i, "remove")).empty();
    row.gtin = request.Field(RowField("variants", i, "gtin"));
    for (const auto& market : markets) {
      row.prices[market.id] = request.Field(RowField("variants", i, "price_" + std::to_string(market.id)));
    }
    form.variants.push_back(std::move(row));
  }
  for (std::size_t i = 0; i < RowCount(request, "media_rows"); ++i) {
    form.media.emplace_back(request.Field(RowField("media", i, "url")), request.Field(RowField("media", i, "alt")));
  }
  for (std::size_t i = 0; i < RowCount(request, "attribute_rows"); ++i) {
    form.attributes.emplace_back(request.Field(RowField("attributes", i, "key")),
                                 request.Field(RowField("attributes", i, "value")));
  }
  return form;
}

bool BlankVariant(const VariantRow& row) {
  if (row.id != 0 || !row.sku.empty() || !row.gtin.empty()) return false;
  for (const auto& value : row.option_values) {
    if (!value.empty()) return false;
  }
  for (const auto& [market, price] : row.prices) {
    if (!price.empty()) return false;
  }
  return true;
}

// The catalog input of a posted form, and for each input row the form row it came from
// (blank rows are skipped, so errors of "/variants/2" may belong to form row 3).
struct ParsedProduct {
  cat::ProductInput input;
  std::vector<std::size_t> variant_rows, media_rows, attribute_rows;
  // Prices per input variant: market id -> amount; absent: no price there.
  std::vector<std::map<std::int64_t, std::int64_t>> prices;
};

ParsedProduct Parse(const ProductForm& form, const std::vector<pricing::Market>& markets, bool prices_editable,
                    FormErrors& errors) {
  ParsedProduct parsed;
  cat::ProductInput& input = parsed.input;
  input.title = form.title;
  input.handle = form.handle;
  input.description_html = form.description;
  input.vendor = form.vendor;
  input.product_type = form.product_type;
  input.tags = SplitList(form.tags);
  if (auto status = cat::ParseStatus(form.status)) {
    input.status = *status;
  } else {
    errors.fields.emplace("status", "Choose draft, active or archived.");
  }
  for (const auto& name : form.channels) {
    if (auto channel = cat::ParseChannel(name)) input.channels.push_back(*channel);
  }
  input.option_names = form.option_names;
  for (std::size_t i = 0; i < form.variants.size(); ++i) {
    const VariantRow& row = form.variants[i];
    // Variants left out of an update are deleted.
    if (row.remove || BlankVariant(row)) continue;
    cat::VariantInput variant{.id = row.id, .sku = row.sku, .gtin = row.gtin};
    variant.option_values.assign(row.option_values.begin(),
                                 row.option_values.begin() + static_cast<std::ptrdiff_t>(std::min(
                                                                 row.option_values.size(), input.option_names.size())));
    std::map<std::int64_t, std::int64_t> prices;
    if (prices_editable) {
      for (const auto& market : markets) {
        const auto found = row.prices.find(market.id);
        if (found == row.prices.end() || found->second.empty()) continue;
        const std::string field = RowField("variants", i, "price_" + std::to_string(market.id));
        auto amount = ParseAmountField(found->second, market.currency, field);
        if (!amount.ok()) {
          errors.fields.emplace(field, amount.error().detail);
        } else if (*amount < 0) {
          errors.fields.emplace(field, "A price cannot be negative; enter 0 or more.");
        } else {
          prices[market.id] = *amount;
        }
      }
    }
    input.variants.push_back(std::move(variant));
    parsed.variant_rows.push_back(i);
    parsed.prices.push_back(std::move(prices));
  }
  for (std::size_t i = 0; i < form.media.size(); ++i) {
    if (form.media[i].first.empty() && form.media[i].second.empty()) continue;
    input.media.push_back({.url = form.media[i].first, .alt = form.media[i].second});
    parsed.media_rows.push_back(i);
  }
  for (std::size_t i = 0; i < form.attributes.size(); ++i) {
    if (form.attributes[i].first.empty() && form.attributes[i].second.empty()) continue;
    input.attributes.push_back({.key = form.attributes[i].first, .value = form.attributes[i].second});
    parsed.attribute_rows.push_back(i);
  }
  return parsed;
}

// A module error's pointer into the input, turned into the form row it came from.
Error AtFormRow(Error error, const ParsedProduct& parsed) {
  const std::pair<std::string_view, const std::vector<std::size_t>*> groups[] = {
      {"/variants/", &parsed.variant_rows}, {"/media/", &parsed.media_rows}, {"/attributes/", &parsed.attribute_rows}};
  for (const auto& [prefix, rows] : groups) {
    if (!error.field.starts_with(prefix)) continue;
    const std::string_view rest = std::string_view(error.field).substr(prefix.size());
    std::size_t index = 0;
    const auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), index);
    if (ec == std::errc() && index < rows->size()) {
      error.field = std::string(prefix) + std::to_string((*rows)[index]) + std::string(end, rest.data() + rest.size());
    }
  }
  return error;
}

Trusted ProductFormHtml(const AdminRequest& request, const ProductForm& form, const FormErrors& errors,
                        const std::vector<pricing::Market>& markets, bool prices_editable, std::string_view action,
                        std::string_view button, const PageServices& services,
                        const std::vector<cat::Variant>& stored_variants) {
  HtmlWriter html;
  html.Fragment(ErrorBox(errors.summary.empty() && !errors.fields.empty()
                             ? "Some fields need attention; see the messages next to them."
                             : errors.summary));
  html.Raw("<form method=\"post\" class=\"admin-form product-form\" action=\"")
      .Text(action)
      .Raw("\">")
      .Fragment(CsrfField(request.staff))
      .Raw("<fieldset><legend>Product</legend>")
      .Fragment(Input("Title", "title", form.title, errors, {.attributes = "required maxlength=\"255\""}))
      .Fragment(Input("Handle", "handle", form.handle, errors,
                      {.hint = "The product's address in the shop; left empty, it is made from the title."}))
      .Fragment(TextArea("Description (HTML)", "description_html", form.description, errors))
      .Fragment(Input("Vendor", "vendor", form.vendor, errors))
      .Fragment(Input("Product type", "product_type", form.product_type, errors))
      .Fragment(Input("Tags", "tags", form.tags, errors, {.hint = "Separated by commas."}))
      .Fragment(Select("Status", "status", form.status,
                       {{"draft", "Draft"}, {"active", "Active"}, {"archived", "Archived"}}, errors))
      .Raw("</fieldset><fieldset><legend>Publication</legend>");
  for (cat::Channel channel : cat::AllChannels()) {
    const std::string name(cat::ChannelName(channel));
    const bool on = std::ranges::find(form.channels, name) != form.channels.end();
    html.Raw("<div class=\"check\"><input type=\"checkbox\" value=\"1\" id=\"f-channel_")
        .Text(name)
        .Raw("\" name=\"channel_")
        .Text(name)
        .Raw(on ? "\" checked>" : "\">")
        .Raw("<label for=\"f-channel_")
        .Text(name)
        .Raw("\">")
        .Text(ChannelLabel(channel))
        .Raw("</label></div>");
  }
  html.Raw("</fieldset><fieldset><legend>Options</legend>")
      .Raw("<p class=\"hint\">Up to three, such as Size or Colour; leave empty for a product without options.</p>");
  for (std::size_t i = 0; i < cat::kMaxOptions; ++i) {
    html.Fragment(Input("Option " + std::to_string(i + 1) + " name", "option_names_" + std::to_string(i),
                        i < form.option_names.size() ? form.option_names[i] : "", errors));
  }
  html.Raw("</fieldset>");

  // Variants: the stored ones plus an empty row to add one.
  std::vector<VariantRow> variants = form.variants;
  if (variants.empty() || !form.option_names.empty()) {
    if (variants.empty() || !BlankVariant(variants.back())) variants.emplace_back();
  }
  const std::size_t options = form.option_names.size();
  html.Raw("<fieldset><legend>Variants</legend><input type=\"hidden\" name=\"variant_rows\" value=\"")
      .Text(std::to_string(variants.size()))
      .Raw("\">");
  for (std::size_t i = 0; i < variants.size(); ++i) {
    const VariantRow& row = variants[i];
    html.Raw("<fieldset class=\"variant-row\"><legend>")
        .Text(row.id ? "Variant " + std::to_string(i + 1) : "New variant")
        .Raw("</legend>");
    if (row.id) {
      html.Raw("<input type=\"hidden\" name=\"")
          .Text(RowField("variants", i, "id"))
          .Raw("\" value=\"")
          .Text(std::to_string(row.id))
          .Raw("\">");
    }
    for (std::size_t j = 0; j < options; ++j) {
      const std::string label = form.option_names[j].empty() ? "Option " + std::to_string(j + 1) : form.option_names[j];
      html.Fragment(Input(label, RowField("variants", i, "option_values_" + std::to_string(j)),
                          j < row.option_values.size() ? row.option_values[j] : "", errors));
    }
    html.Fragment(Input("SKU", RowField("variants", i, "sku"), row.sku, errors))
        .Fragment(Input("GTIN (barcode)", RowField("variants", i, "gtin"), row.gtin, errors,
                        {.attributes = "inputmode=\"numeric\""}));
    for (const auto& market : markets) {
      const auto found = row.prices.find(market.id);
      const std::string value = found == row.prices.end() ? "" : found->second;
      const std::string label = "Price in " + market.name + " (" + market.currency + ")";
      if (prices_editable) {
        html.Fragment(Input(label, RowField("variants", i, "price_" + std::to_string(market.id)), value, errors,
                            {.attributes = "inputmode=\"decimal\""}));
      } else {
        html.Raw("<p>").Text(label).Raw(": ").Text(value.empty() ? "not priced" : value).Raw("</p>");
      }
    }
    if (row.id) {
      const std::string remove = RowField("variants", i, "remove");
      html.Raw("<div class=\"check\"><input type=\"checkbox\" value=\"1\" id=\"f-")
          .Text(remove)
          .Raw("\" name=\"")
          .Text(remove)
          .Raw(row.remove ? "\" checked>" : "\">")
          .Raw("<label for=\"f-")
          .Text(remove)
          .Raw("\">Remove this variant</label></div>");
      // Stock is counted per inventory item; the variant's item is where it is managed.
      auto stock = services.inventory.GetVariant(request.shop.id, row.id);
      if (stock.ok() && stock->components.size() == 1 &&
          std::ranges::any_of(stored_variants, [&](const cat::Variant& v) { return v.id == row.id; })) {
        html.Raw("<p><a href=\"/admin/inventory/items/")
            .Text(std::to_string(stock->components.front().item_id))
            .Raw("\">Manage stock</a></p>");
      }
    }
    html.Raw("</fieldset>");
  }
  html.Raw("</fieldset>");

  std::vector<std::pair<std::string, std::string>> media = form.media;
  media.emplace_back();
  html.Raw("<fieldset><legend>Media</legend><input type=\"hidden\" name=\"media_rows\" value=\"")
      .Text(std::to_string(media.size()))
      .Raw("\">");
  for (std::size_t i = 0; i < media.size(); ++i) {
    html.Fragment(Input("Image URL " + std::to_string(i + 1), RowField("media", i, "url"), media[i].first, errors,
                        {.type = "url"}))
        .Fragment(Input("Alt text " + std::to_string(i + 1), RowField("media", i, "alt"), media[i].second, errors,
                        {.hint = i == 0 ? "What the image shows, for people who cannot see it." : ""}));
  }
  html.Raw("</fieldset>");

  std::vector<std::pair<std::string, std::string>> attributes = form.attributes;
  attributes.emplace_back();
  html.Raw("<fieldset><legend>Custom attributes</legend><input type=\"hidden\" name=\"attribute_rows\" value=\"")
      .Text(std::to_string(attributes.size()))
      .Raw("\">");
  for (std::size_t i = 0; i < attributes.size(); ++i) {
    html.Fragment(Input("Attribute key " + std::to_string(i + 1), RowField("attributes", i, "key"), attributes[i].first,
                        errors))
        .Fragment(
            Input("Value " + std::to_string(i + 1), RowField("attributes", i, "value"), attributes[i].second, errors));
  }
  html.Raw("</fieldset><button type=\"submit\">").Text(button).Raw("</button></form>");
  return {html.Take()};
}

std::vector<pricing::Market> Markets(const PageServices& services, std::int64_t shop_id) {
  auto markets = services.pricing.ListMarkets(shop_id);
  return markets.ok() ? std::move(markets).value() : std::vector<pricing::Market>{};
}

// Writes the form's prices for the saved product's variants (matched by position), and
// gives each variant its inventory item so it can be stocked.
Status SavePricesAndStock(const PageServices& services, const AdminRequest& request, const cat::Product& product,
                          const ParsedProduct& parsed, const std::vector<pricing::Market>& markets,
                          bool prices_editable, FormErrors& errors) {
  for (const auto& variant : product.variants) {
    auto item = services.inventory.EnsureVariantItem(request.shop.id, variant.id, variant.sku);
    if (!item.ok()) return item.error();
  }
  if (!prices_editable) return Ok();
  for (const auto& market : markets) {
    std::vector<pricing::PriceInput> prices;
    for (std::size_t i = 0; i < product.variants.size() && i < parsed.prices.size(); ++i) {
      const auto found = parsed.prices[i].find(market.id);
      if (found != parsed.prices[i].end()) {
        prices.push_back({.variant_id = product.variants[i].id, .amount = found->second});
      } else {
        auto removed = services.pricing.DeletePrice(request.shop.id, market.id, product.variants[i].id);
        if (!removed.ok() && removed.error().code != ErrorCode::kNotFound) return removed;
      }
    }
    if (prices.empty()) continue;
    auto stored = services.pricing.SetPrices(request.shop.id, market.id, prices);
    if (!stored.ok()) {
      Error error = stored.error();
      errors.summary = error.detail;
      return error;
    }
  }
  return Ok();
}

http::Response ShowForm(const PageServices& services, const AdminRequest& request, const ProductForm& form,
                        const FormErrors& errors, std::optional<std::int64_t> product_id,
                        const std::vector<cat::Variant>& stored_variants, int status) {
  const auto markets = Markets(services, request.shop.id);
  const bool prices_editable = identity::Holds(request.staff, Permission::kPricingWrite);
  const bool writable = identity::Holds(request.staff, Permission::kCatalogWrite);
  HtmlWriter html;
  if (product_id) {
    html.Raw("<p><a href=\"/admin/products\">All products</a></p>");
  }
  if (writable) {
    const std::string action =
        product_id ? "/admin/products/" + std::to_string(*product_id) : std::string("/admin/products/new");
    html.Fragment(ProductFormHtml(request, form, errors, markets, prices_editable, action,
                                  product_id ? "Save product" : "Create product", services, stored_variants));
  } else {
    html.Raw("<p>Your roles allow reading products, not changing them.</p>");
  }
  const std::string title = product_id ? (form.title.empty() ? "Product" : form.title) : "New product";
  return AdminPage(request, title, {html.Take()}, status);
}

http::Response Save(const PageServices& services, const AdminRequest& request, std::optional<std::int64_t> product_id) {
  std::vector<cat::Variant> stored_variants;
  if (product_id) {
    auto existing = services.catalog.GetProduct(request.shop.id, *product_id);
    if (!existing.ok()) return NotFound(request);
    stored_variants = existing->variants;
  }
  const auto markets = Markets(services, request.shop.id);
  const bool prices_editable = identity::Holds(request.staff, Permission::kPricingWrite);
  const ProductForm form = FormFromPost(request, markets);
  FormErrors errors;
  ParsedProduct parsed = Parse(form, markets, prices_editable, errors);
  if (!errors.empty()) return ShowForm(services, request, form, errors, product_id, stored_variants, 422);
  auto saved = product_id ? services.catalog.UpdateProduct(request.shop.id, *product_id, parsed.input)
                          : services.catalog.CreateProduct(request.shop.id, parsed.input);
  if (!saved.ok()) {
    errors.Add(AtFormRow(saved.error(), parsed), request.form);
    return ShowForm(services, request, form, errors, product_id, stored_variants, 422);
  }
  if (!SavePricesAndStock(services, request, *saved, parsed, markets, prices_editable, errors).ok()) {
    return ShowForm(services, request, FormOf(*saved, markets, services, request.shop.id), errors, saved->id,
                    saved->variants, 422);
  }
  return http::Response::Redirect("/admin/products/" + std::to_string(saved->id) +
                                  "?notice=" + (product_id ? "saved" : "created"));
}

}  // namespace

void RegisterProductPages(http::Router& router, const PageServices& services) {
  router.Get("/admin/products", AdminRoute(services, Permission::kCatalogRead, [&services](AdminRequest& request) {
               return ProductList(services, request);
             }));
  router.Get("/admin/products/new", AdminRoute(services, Permission::kCatalogWrite, [&services](AdminRequest& request) {
               // A new product is meant for the shop's own storefront first.
               return ShowForm(services, request, ProductForm{.channels = {"online_store"}}, {}, std::nullopt, {}, 200);
             }));
  router.Post("/admin/products/new",
              AdminRoute(services, Permission::kCatalogWrite,
                         [&services](AdminRequest& request) { return Save(services, request, std::nullopt); }));
  router.Get("/admin/products/{id}", AdminRoute(services, Permission::kCatalogRead, [&services](AdminRequest& request) {
               const auto id = IdParam(request);
               if (!id) return NotFound(request);
               auto product = services.catalog.GetProduct(request.shop.id, *id);
               if (!product.ok()) return NotFound(request);
               const auto markets = Markets(services, request.shop.id);
               return ShowForm(services, request, FormOf(*product, markets, services, request.shop.id), {}, *id,
                               product->variants, 200);
             }));
  router.Post("/admin/products/{id}",
              AdminRoute(services, Permission::kCatalogWrite, [&services](AdminRequest& request) {
                const auto id = IdParam(request);
                if (!id) return NotFound(request);
                return Save(services, request, *id);
              }));
}

}  // namespace plaza::web::admin
