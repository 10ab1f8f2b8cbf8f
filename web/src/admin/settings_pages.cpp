// Markets and shipping: markets with their currency and tax display, tax rates per
// market, region and tax class, shipping zones and rates, the fulfilment settings and
// holidays the delivery promise is computed from, and a preview of that promise. The
// same settings checkout reads; the rules are the pricing and shipping modules'.

#include <array>
#include <charconv>

#include "plaza/core/money.h"
#include "plaza/core/text.h"
#include "plaza/pricing/pricing.h"
#include "plaza/shipping/shipping_service.h"
#include "routes.h"
#include "settings_fields.h"

namespace plaza::web::admin {
namespace {

using http::Response;
using Pointers = std::map<std::string, std::string, std::less<>>;

// Tax rates are typed as percent with up to three decimals ("7.25") and stored as the
// fraction n / 100000.
constexpr Currency kTaxPercent{"%", 3};
constexpr std::int64_t kTaxDenominator = 100'000;

std::string FormatTaxPercent(const pricing::TaxRate& rate) {
  auto scaled = MulDiv(rate.numerator, kTaxDenominator, rate.denominator, Rounding::kHalfEven);
  if (!scaled.ok()) return std::to_string(rate.numerator) + "/" + std::to_string(rate.denominator);
  std::string text = FormatDecimalAmount(*scaled, kTaxPercent);
  while (text.ends_with('0')) text.pop_back();
  if (text.ends_with('.')) text.pop_back();
  return text + " %";
}

std::string FormatMinutes(int minutes) {
  const int h = minutes / 60;
  const int m = minutes % 60;
  return (h < 10 ? "0" : "") + std::to_string(h) + ":" + (m < 10 ? "0" : "") + std::to_string(m);
}

std::string Amount(std::int64_t minor, std::string_view currency) {
  return FormatMoney(Money{.minor = minor, .currency = std::string(currency)});
}

std::optional<std::int64_t> IdParam(const AdminRequest& request, std::string_view name) {
  const std::string_view text = request.http.PathParam(name);
  std::int64_t id = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

std::optional<std::int64_t> IdField(const AdminRequest& request, std::string_view name) {
  const std::string text = request.Field(name);
  std::int64_t id = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

constexpr std::array<std::string_view, 7> kWeekdays{"Monday", "Tuesday",  "Wednesday", "Thursday",
                                                    "Friday", "Saturday", "Sunday"};

// What the page shows in its forms: the posted form's own values (and errors) after a
// rejected post, every other form at its defaults.
constexpr std::string_view kActionPrefix = "x_";

struct FormState {
  std::string prefix;  // the posted form's field prefix, e.g. "m_"
  FormFields fields;
  FieldErrors errors;
};

FormFields Defaults(const shipping::FulfilmentSettings& settings) {
  FormFields f{{"m_currency", "EUR"},
               {"t_class", "standard"},
               {"r_kind", "flat"},
               {"r_transit_min", "2"},
               {"r_transit_max", "4"},
               {"s_time_zone", settings.time_zone},
               {"s_processing_days", std::to_string(settings.processing_days)},
               {"s_cutoff", FormatMinutes(settings.cutoff_minute)}};
  for (std::size_t i = 0; i < settings.working_days.size(); ++i) {
    if (settings.working_days[i]) f["s_day" + std::to_string(i + 1)] = "on";
  }
  return f;
}

Response SettingsPage(const PageServices& services, const AdminRequest& request, const FormState& state, int status) {
  const std::int64_t shop = request.shop.id;
  auto markets = services.pricing.ListMarkets(shop);
  auto zones = services.shipping.ListZones(shop);
  auto settings = services.shipping.GetSettings(shop);
  auto holidays = services.shipping.ListHolidays(shop);
  if (!markets.ok() || !zones.ok() || !settings.ok() || !holidays.ok()) {
    return AdminPage(request, "Markets and shipping", ErrorBox("The settings could not be read; try again."), 503);
  }
  FormFields f = Defaults(*settings);
  if (!state.prefix.empty()) {
    std::erase_if(f, [&](const auto& entry) { return entry.first.starts_with(state.prefix); });
    for (const auto& [name, value] : state.fields) f[name] = value;
  }
  const FieldErrors& errors = state.errors;
  const FieldErrors none;
  auto errors_for = [&](std::string_view prefix) -> const FieldErrors& {
    return state.prefix == prefix ? errors : none;
  };
  auto value = [&](std::string_view name) {
    const auto found = f.find(name);
    return found == f.end() ? std::string() : found->second;
  };
  auto input = [&](std::string_view name, std::string_view label, std::string_view type = "text",
                   std::string_view hint = {}) {
    return Input({.name = name, .label = label, .value = value(name), .type = type, .hint = hint},
                 errors_for(name.substr(0, 2)));
  };
  auto form_open = [&](HtmlWriter& html, std::string_view action, std::string_view prefix) {
    html.Raw("<form method=\"post\" class=\"admin-form\" action=\"")
        .Text(action)
        .Raw("\" novalidate>")
        .Fragment(CsrfField(request.staff))
        .Fragment(FormErrorBox(errors_for(prefix)));
  };

  HtmlWriter html;
  // A button's refusal (delete, make default) belongs to no form.
  if (state.prefix == kActionPrefix) html.Fragment(ErrorBox(errors.general()));
  // ---- Markets ----
  html.Raw("<section aria-labelledby=\"markets\"><h2 id=\"markets\">Markets</h2>");
  if (markets->empty()) {
    html.Raw("<p class=\"muted\">No market yet: the storefront cannot price anything until one exists.</p>");
  } else {
    html.Raw(
        "<table><thead><tr><th scope=\"col\">Market</th><th scope=\"col\">Countries</th><th scope=\"col\">Currency"
        "</th><th scope=\"col\">Prices</th><th scope=\"col\">Default</th></tr></thead><tbody>");
    for (const pricing::Market& market : *markets) {
      html.Raw("<tr><td>")
          .Text(market.name)
          .Raw(" <code>")
          .Text(market.handle)
          .Raw("</code></td><td>")
          .Text(JoinList(market.countries))
          .Raw("</td><td>")
          .Text(market.currency)
          .Raw("</td><td>")
          .Raw(market.prices_include_tax ? "include tax" : "exclude tax")
          .Raw("</td><td>");
      if (market.is_default) {
        html.Raw("default");
      } else {
        html.Fragment(
            ActionButton(request, "/admin/settings/markets/" + std::to_string(market.id) + "/default", "Make default"));
      }
      html.Raw("</td></tr>");
    }
    html.Raw("</tbody></table>");
  }
  html.Raw("<h3>Add a market</h3>");
  form_open(html, "/admin/settings/markets", "m_");
  html.Fragment(input("m_name", "Name", "text", "Shown to customers, like Europe."))
      .Fragment(input("m_handle", "Handle", "text", "Lower-case letters, digits and -, like eu."))
      .Fragment(input("m_countries", "Countries", "text", "Two-letter codes separated by commas, like FR, DE, BE."))
      .Fragment(input("m_currency", "Currency", "text", "ISO code, like EUR."))
      .Fragment(Checkbox("m_taxes_included", "Prices include tax", value("m_taxes_included") == "on"))
      .Fragment(Checkbox("m_default", "Default market (for countries no market lists)", value("m_default") == "on"))
      .Raw("<button type=\"submit\">Add market</button></form></section>");

  // ---- Tax rates ----
  html.Raw("<section aria-labelledby=\"taxes\"><h2 id=\"taxes\">Tax rates</h2>");
  std::vector<std::pair<std::string, std::string>> market_options;
  bool any_rate = false;
  for (const pricing::Market& market : *markets) {
    market_options.emplace_back(std::to_string(market.id), market.name + " (" + market.currency + ")");
    auto rates = services.pricing.ListTaxRates(shop, market.id);
    if (!rates.ok() || rates->empty()) continue;
    if (!any_rate) {
      html.Raw(
          "<table><thead><tr><th scope=\"col\">Market</th><th scope=\"col\">Region</th><th scope=\"col\">Tax class"
          "</th><th scope=\"col\">Rate</th><th scope=\"col\">Name</th><th scope=\"col\"><span "
          "class=\"visually-hidden\">"
          "Actions</span></th></tr></thead><tbody>");
      any_rate = true;
    }
    for (const pricing::TaxRateRecord& rate : *rates) {
      html.Raw("<tr><td>")
          .Text(market.name)
          .Raw("</td><td>")
          .Text(rate.region)
          .Raw("</td><td>")
          .Text(rate.tax_class)
          .Raw("</td><td>")
          .Text(FormatTaxPercent(rate.rate))
          .Raw("</td><td>")
          .Text(rate.name)
          .Raw("</td><td>")
          .Fragment(ActionButton(request, "/admin/settings/tax-rates/" + std::to_string(rate.id) + "/delete", "Delete",
                                 {{"market_id", std::to_string(market.id)}}))
          .Raw("</td></tr>");
    }
  }
  if (any_rate) {
    html.Raw("</tbody></table>");
  } else {
    html.Raw("<p class=\"muted\">No tax rates: sales are untaxed until one matches.</p>");
  }
  if (!market_options.empty()) {
    html.Raw("<h3>Set a tax rate</h3>");
    form_open(html, "/admin/settings/tax-rates", "t_");
    html.Fragment(Select("t_market", "Market", market_options, value("t_market"), errors_for("t_")))
        .Fragment(input("t_region", "Region", "text", "A country (FR) or a subdivision (US-CA)."))
        .Fragment(input("t_class", "Tax class", "text", "standard, reduced, zero, or your own."))
        .Fragment(input("t_rate", "Rate in percent", "text", "Like 20 or 7.25."))
        .Fragment(input("t_name", "Name on invoices", "text", "Like VAT."))
        .Raw("<button type=\"submit\">Set tax rate</button></form>");
  }
  html.Raw("</section>");

  // ---- Shipping zones and rates ----
  html.Raw("<section aria-labelledby=\"shipping\"><h2 id=\"shipping\">Shipping zones and rates</h2>");
  std::vector<std::pair<std::string, std::string>> zone_options;
  if (zones->empty()) html.Raw("<p class=\"muted\">No shipping zone yet: checkout cannot ship anywhere.</p>");
  for (const shipping::Zone& zone : *zones) {
    zone_options.emplace_back(std::to_string(zone.id), zone.name);
    std::vector<std::string> destinations;
    for (const auto& d : zone.destinations)
      destinations.push_back(d.region.empty() ? d.country : d.country + "-" + d.region);
    html.Raw("<h3>").Text(zone.name).Raw("</h3><p>Ships to ").Text(JoinList(destinations)).Raw("</p>");
    auto rates = services.shipping.ListRates(shop, zone.id);
    if (!rates.ok() || rates->empty()) {
      html.Raw("<p class=\"muted\">No rates in this zone.</p>");
      continue;
    }
    html.Raw(
        "<table><thead><tr><th scope=\"col\">Rate</th><th scope=\"col\">Kind</th><th scope=\"col\">Price</th>"
        "<th scope=\"col\">Applies</th><th scope=\"col\">Transit days</th><th scope=\"col\"><span "
        "class=\"visually-hidden\">Actions</span></th></tr></thead><tbody>");
    for (const shipping::Rate& rate : *rates) {
      std::string applies = "always";
      if (rate.kind == shipping::RateKind::kWeight) {
        applies = std::to_string(rate.min_value) + " g" +
                  (rate.max_value ? " to under " + std::to_string(*rate.max_value) + " g" : " and more");
      } else if (rate.kind == shipping::RateKind::kPrice) {
        applies = "subtotal from " + Amount(rate.min_value, rate.currency) +
                  (rate.max_value ? " to under " + Amount(*rate.max_value, rate.currency) : "");
      } else if (rate.kind == shipping::RateKind::kFreeOver) {
        applies = "free from " + Amount(rate.min_value, rate.currency);
      }
      html.Raw("<tr><td>")
          .Text(rate.name)
          .Raw("</td><td>")
          .Text(shipping::RateKindName(rate.kind))
          .Raw("</td><td>")
          .Text(Amount(rate.price_minor, rate.currency))
          .Raw("</td><td>")
          .Text(applies)
          .Raw("</td><td>")
          .Text(std::to_string(rate.transit_min_days) + "–" + std::to_string(rate.transit_max_days))
          .Raw("</td><td>")
          .Fragment(ActionButton(request, "/admin/settings/rates/" + std::to_string(rate.id) + "/delete", "Delete"))
          .Raw("</td></tr>");
    }
    html.Raw("</tbody></table>");
  }
  html.Raw("<h3>Add a zone</h3>");
  form_open(html, "/admin/settings/zones", "z_");
  html.Fragment(input("z_name", "Zone name", "text", "Like Europe or Domestic."))
      .Fragment(
          input("z_destinations", "Destinations", "text", "Countries (FR) or subdivisions (US-CA), comma separated."))
      .Raw("<button type=\"submit\">Add zone</button></form>");
  if (!zone_options.empty()) {
    const std::vector<std::pair<std::string, std::string>> kinds{
        {"flat", "Flat"}, {"weight", "By weight"}, {"price", "By order price"}, {"free_over", "Free over a threshold"}};
    html.Raw("<h3>Add a rate</h3>");
    form_open(html, "/admin/settings/rates", "r_");
    html.Fragment(Select("r_zone", "Zone", zone_options, value("r_zone"), errors_for("r_")))
        .Fragment(input("r_name", "Rate name", "text", "Like Standard or Express."))
        .Fragment(Select("r_kind", "Kind", kinds, value("r_kind"), errors_for("r_")))
        .Fragment(input("r_currency", "Currency", "text", "The market currency of the carts it quotes."))
        .Fragment(input("r_price", "Price", "text", "Like 4.90; below the threshold for free over."))
        .Fragment(input("r_min", "From", "text",
                        "Grams for by weight; an amount for by price and for the free-over threshold."))
        .Fragment(input("r_max", "Up to (not included)", "text", "Empty: no upper bound."))
        .Fragment(input("r_transit_min", "Transit days, at least", "number"))
        .Fragment(input("r_transit_max", "Transit days, at most", "number"))
        .Raw("<button type=\"submit\">Add rate</button></form>");
  }
  html.Raw("</section>");

  // ---- Fulfilment ----
  html.Raw("<section aria-labelledby=\"fulfilment\"><h2 id=\"fulfilment\">Processing and cut-off</h2>");
  form_open(html, "/admin/settings/fulfilment", "s_");
  html.Fragment(input("s_time_zone", "Time zone", "text", "IANA name, like Europe/Paris."))
      .Fragment(input("s_processing_days", "Processing days", "number", "Business days before a parcel leaves."))
      .Fragment(
          input("s_cutoff", "Order cut-off", "time", "Orders after this time are accepted the next business day."))
      .Raw("<fieldset><legend>Working days</legend>");
  for (std::size_t i = 0; i < kWeekdays.size(); ++i) {
    const std::string name = "s_day" + std::to_string(i + 1);
    html.Fragment(Checkbox(name, kWeekdays[i], value(name) == "on"));
  }
  if (const std::string* error = errors_for("s_").For("s_days")) {
    html.Raw("<p class=\"field-error\" role=\"alert\">").Text(*error).Raw("</p>");
  }
  html.Raw("</fieldset><button type=\"submit\">Save processing settings</button></form>");
  html.Raw("<h3>Holidays</h3>");
  if (holidays->empty()) {
    html.Raw("<p class=\"muted\">No holidays.</p>");
  } else {
    html.Raw(
        "<table><thead><tr><th scope=\"col\">Date</th><th scope=\"col\">Applies to</th><th scope=\"col\">Name</th>"
        "<th scope=\"col\"><span class=\"visually-hidden\">Actions</span></th></tr></thead><tbody>");
    for (const shipping::Holiday& holiday : *holidays) {
      html.Raw("<tr><td>")
          .Text(holiday.date)
          .Raw("</td><td>")
          .Text(holiday.country.empty() ? std::string("the shop") : "carriers to " + holiday.country)
          .Raw("</td><td>")
          .Text(holiday.name)
          .Raw("</td><td>")
          .Fragment(
              ActionButton(request, "/admin/settings/holidays/" + std::to_string(holiday.id) + "/delete", "Delete"))
          .Raw("</td></tr>");
    }
    html.Raw("</tbody></table>");
  }
  form_open(html, "/admin/settings/holidays", "h_");
  html.Fragment(input("h_date", "Date", "date"))
      .Fragment(input("h_country", "Carrier country (optional)", "text", "Empty: the shop is closed that day."))
      .Fragment(input("h_name", "Name"))
      .Raw("<button type=\"submit\">Add holiday</button></form></section>");

  // ---- Delivery promise preview ----
  html.Raw(
      "<section aria-labelledby=\"preview\"><h2 id=\"preview\">Delivery promise now</h2>"
      "<form method=\"get\" action=\"/admin/settings#preview\" class=\"admin-form\">");
  const std::string country(request.http.Query("preview_country").value_or(""));
  html.Fragment(Input({.name = "preview_country", .label = "Country", .value = country, .hint = "Like FR."}, none))
      .Raw("<button type=\"submit\">Show</button></form>");
  if (!country.empty()) {
    const std::vector<std::string> code = SplitList(country, true);
    auto market = code.empty() ? Result<pricing::Market>(Error::NotFound("market"))
                               : services.pricing.MarketForCountry(shop, code.front());
    if (!market.ok()) {
      html.Fragment(ErrorBox("No market sells to that country."));
    } else {
      auto quote = services.shipping.Quote(
          shop, {.destination = {.country = code.front()}, .currency = market->currency, .subtotal_minor = 0});
      if (!quote.ok()) {
        html.Fragment(ErrorBox(quote.error().detail));
      } else {
        html.Raw("<ul class=\"promise-preview\">");
        for (const shipping::ShippingOption& option : quote->options) {
          html.Raw("<li><strong>")
              .Text(option.name)
              .Raw("</strong>: ")
              .Text(option.promise.text)
              .Raw(" (between ")
              .Text(option.promise.earliest)
              .Raw(" and ")
              .Text(option.promise.latest)
              .Raw("; ships ")
              .Text(option.promise.ships_on)
              .Raw(")</li>");
        }
        html.Raw("</ul>");
      }
    }
  }
  html.Raw("</section>");
  return AdminPage(request, "Markets and shipping", {html.Take()}, status);
}

Response Rejected(const PageServices& services, const AdminRequest& request, std::string prefix, FieldErrors errors) {
  FormState state{.prefix = std::move(prefix), .fields = {}, .errors = std::move(errors)};
  for (const auto& [name, value] : request.form) {
    if (name.starts_with(state.prefix)) state.fields[name] = value;
  }
  return SettingsPage(services, request, state, 422);
}

Response Done(std::string_view notice, std::string_view anchor) {
  return Response::Redirect("/admin/settings?notice=" + std::string(notice) + "#" + std::string(anchor));
}

Response CreateMarket(const PageServices& services, const AdminRequest& request) {
  FieldErrors errors;
  pricing::NewMarket market{.handle = std::string(text::TrimAscii(request.Field("m_handle"))),
                            .name = std::string(text::TrimAscii(request.Field("m_name"))),
                            .countries = SplitList(request.Field("m_countries"), true),
                            .currency = {},
                            .prices_include_tax = request.Field("m_taxes_included") == "on",
                            .is_default = request.Field("m_default") == "on"};
  const auto currency = SplitList(request.Field("m_currency"), true);
  market.currency = currency.empty() ? std::string() : currency.front();
  if (!FindCurrency(market.currency).ok()) {
    errors.Add("m_currency", "\"" + std::string(text::TrimAscii(request.Field("m_currency"))) +
                                 "\" is not a currency code Plaza knows (ISO 4217, like EUR).");
    return Rejected(services, request, "m_", std::move(errors));
  }
  auto created = services.pricing.CreateMarket(request.shop.id, market);
  if (!created.ok()) {
    errors.Add(
        created.error(),
        Pointers{
            {"/handle", "m_handle"}, {"/name", "m_name"}, {"/countries", "m_countries"}, {"/currency", "m_currency"}});
    return Rejected(services, request, "m_", std::move(errors));
  }
  return Done("created", "markets");
}

Response SetTaxRate(const PageServices& services, const AdminRequest& request) {
  FieldErrors errors;
  const auto market_id = IdField(request, "t_market");
  if (!market_id) errors.Add("t_market", "Choose a market.");
  pricing::TaxRateInput input{.region = std::string(text::TrimAscii(request.Field("t_region"))),
                              .tax_class = std::string(text::TrimAscii(request.Field("t_class"))),
                              .rate = {},
                              .name = std::string(text::TrimAscii(request.Field("t_name")))};
  for (char& c : input.region) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  auto percent = ParseDecimalAmount(text::TrimAscii(request.Field("t_rate")), kTaxPercent);
  if (!percent.ok() || *percent < 0 || *percent > kTaxDenominator) {
    errors.Add("t_rate", "The rate must be a percentage from 0 to 100 with at most three decimals, like 7.25.");
  } else {
    input.rate = {.numerator = *percent, .denominator = kTaxDenominator};
  }
  if (!errors.empty()) return Rejected(services, request, "t_", std::move(errors));
  auto set = services.pricing.SetTaxRate(request.shop.id, *market_id, input);
  if (!set.ok()) {
    errors.Add(set.error(),
               Pointers{{"/region", "t_region"}, {"/tax_class", "t_class"}, {"/rate", "t_rate"}, {"/name", "t_name"}});
    if (set.error().code == ErrorCode::kNotFound) errors.Add("t_market", "Choose a market of this shop.");
    return Rejected(services, request, "t_", std::move(errors));
  }
  return Done("saved", "taxes");
}

Response CreateZone(const PageServices& services, const AdminRequest& request) {
  FieldErrors errors;
  shipping::ZoneInput zone{.name = std::string(text::TrimAscii(request.Field("z_name"))), .destinations = {}};
  for (const std::string& code : SplitList(request.Field("z_destinations"), true)) {
    const std::size_t dash = code.find('-');
    zone.destinations.push_back(dash == std::string::npos ? shipping::Destination{.country = code}
                                                          : shipping::Destination{.country = code.substr(0, dash),
                                                                                  .region = code.substr(dash + 1)});
  }
  auto created = services.shipping.CreateZone(request.shop.id, zone);
  if (!created.ok()) {
    errors.Add(created.error(), Pointers{{"/name", "z_name"}, {"/destinations", "z_destinations"}});
    if (created.error().type == "shipping/destination-taken" && !errors.For("z_destinations")) {
      errors = FieldErrors();
      errors.Add("z_destinations", created.error().detail);
    }
    return Rejected(services, request, "z_", std::move(errors));
  }
  return Done("created", "shipping");
}

Response CreateRate(const PageServices& services, const AdminRequest& request) {
  FieldErrors errors;
  const auto zone_id = IdField(request, "r_zone");
  if (!zone_id) errors.Add("r_zone", "Choose a zone.");
  shipping::RateInput rate;
  rate.name = std::string(text::TrimAscii(request.Field("r_name")));
  const auto kind = shipping::ParseRateKind(request.Field("r_kind"));
  if (!kind) errors.Add("r_kind", "Choose how the rate is priced.");
  rate.kind = kind.value_or(shipping::RateKind::kFlat);
  const auto currency = SplitList(request.Field("r_currency"), true);
  rate.currency = currency.empty() ? std::string() : currency.front();
  if (!FindCurrency(rate.currency).ok()) {
    errors.Add("r_currency", "Write a currency code Plaza knows (ISO 4217, like EUR).");
  } else {
    rate.price_minor = ParseAmount(request.Field("r_price"), rate.currency, "r_price", errors).value_or(0);
    // Weight brackets are grams; the others are amounts of the currency.
    auto bound = [&](std::string_view field) -> std::optional<std::int64_t> {
      if (rate.kind == shipping::RateKind::kWeight) {
        return ParseInteger(request.Field(field), field, "The weight in grams", errors, 0, INT64_MAX);
      }
      return ParseAmount(request.Field(field), rate.currency, field, errors);
    };
    if (rate.kind != shipping::RateKind::kFlat) rate.min_value = bound("r_min").value_or(0);
    if ((rate.kind == shipping::RateKind::kWeight || rate.kind == shipping::RateKind::kPrice) &&
        !text::TrimAscii(request.Field("r_max")).empty()) {
      rate.max_value = bound("r_max");
    }
  }
  rate.transit_min_days = static_cast<int>(ParseInteger(request.Field("r_transit_min"), "r_transit_min", "Transit days",
                                                        errors, 0, shipping::kMaxTransitDays)
                                               .value_or(0));
  rate.transit_max_days = static_cast<int>(ParseInteger(request.Field("r_transit_max"), "r_transit_max", "Transit days",
                                                        errors, 0, shipping::kMaxTransitDays)
                                               .value_or(0));
  if (!errors.empty()) return Rejected(services, request, "r_", std::move(errors));
  auto created = services.shipping.CreateRate(request.shop.id, *zone_id, rate);
  if (!created.ok()) {
    errors.Add(created.error(), Pointers{{"/name", "r_name"},
                                         {"/currency", "r_currency"},
                                         {"/price_minor", "r_price"},
                                         {"/min_value", "r_min"},
                                         {"/max_value", "r_max"},
                                         {"/transit_min_days", "r_transit_min"},
                                         {"/transit_max_days", "r_transit_max"}});
    if (created.error().code == ErrorCode::kNotFound) errors.Add("r_zone", "Choose a zone of this shop.");
    return Rejected(services, request, "r_", std::move(errors));
  }
  return Done("created", "shipping");
}

Response SaveFulfilment(const PageServices& services, const AdminRequest& request) {
  FieldErrors errors;
  shipping::FulfilmentSettings settings;
  settings.time_zone = std::string(text::TrimAscii(request.Field("s_time_zone")));
  settings.processing_days = static_cast<int>(ParseInteger(request.Field("s_processing_days"), "s_processing_days",
                                                           "Processing days", errors, 0, shipping::kMaxProcessingDays)
                                                  .value_or(0));
  const std::string cutoff(text::TrimAscii(request.Field("s_cutoff")));
  int hours = -1;
  int minutes = -1;
  if (cutoff.size() >= 5 && cutoff[2] == ':') {
    std::from_chars(cutoff.data(), cutoff.data() + 2, hours);
    std::from_chars(cutoff.data() + 3, cutoff.data() + 5, minutes);
  }
  if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) {
    errors.Add("s_cutoff", "Write the cut-off as a time like 14:00.");
  } else {
    settings.cutoff_minute = hours * 60 + minutes;
  }
  for (std::size_t i = 0; i < settings.working_days.size(); ++i) {
    settings.working_days[i] = request.Field("s_day" + std::to_string(i + 1)) == "on";
  }
  if (errors.empty()) {
    auto saved = services.shipping.PutSettings(request.shop.id, settings);
    if (saved.ok()) return Done("saved", "fulfilment");
    errors.Add(saved.error(), Pointers{{"/time_zone", "s_time_zone"},
                                       {"/processing_days", "s_processing_days"},
                                       {"/cutoff_minute", "s_cutoff"},
                                       {"/working_days", "s_days"}});
  }
  return Rejected(services, request, "s_", std::move(errors));
}

Response AddHoliday(const PageServices& services, const AdminRequest& request) {
  FieldErrors errors;
  const auto country = SplitList(request.Field("h_country"), true);
  shipping::HolidayInput holiday{.date = std::string(text::TrimAscii(request.Field("h_date"))),
                                 .country = country.empty() ? std::string() : country.front(),
                                 .name = std::string(text::TrimAscii(request.Field("h_name")))};
  auto added = services.shipping.AddHoliday(request.shop.id, holiday);
  if (!added.ok()) {
    errors.Add(added.error(), Pointers{{"/date", "h_date"}, {"/country", "h_country"}, {"/name", "h_name"}});
    if (added.error().type == "shipping/duplicate-holiday" && !errors.For("h_date")) {
      errors = FieldErrors();
      errors.Add("h_date", added.error().detail);
    }
    return Rejected(services, request, "h_", std::move(errors));
  }
  return Done("created", "fulfilment");
}

// A delete or default button's outcome: back to the page, or the page with why not.
Response AfterAction(const PageServices& services, const AdminRequest& request, const Status& status,
                     std::string_view notice, std::string_view anchor) {
  if (status.ok()) return Done(notice, anchor);
  FormState state;
  state.errors.AddGeneral(status.error().detail);
  state.prefix = std::string(kActionPrefix);
  return SettingsPage(services, request, state, status.error().code == ErrorCode::kNotFound ? 404 : 409);
}

}  // namespace

void RegisterSettingsPages(http::Router& router, const PageServices& services) {
  constexpr auto kPricing = identity::Permission::kPricingWrite;
  constexpr auto kShipping = identity::Permission::kShippingWrite;
  router.Get("/admin/settings", AdminRoute(services, kPricing, [&services](AdminRequest& request) {
               return SettingsPage(services, request, {}, 200);
             }));
  router.Post("/admin/settings/markets", AdminRoute(services, kPricing, [&services](AdminRequest& request) {
                return CreateMarket(services, request);
              }));
  router.Post("/admin/settings/markets/{id}/default",
              AdminRoute(services, kPricing, [&services](AdminRequest& request) {
                const auto id = IdParam(request, "id");
                Status status = Error::NotFound("market");
                if (id) {
                  auto updated = services.pricing.UpdateMarket(request.shop.id, *id, {.is_default = true});
                  status = updated.ok() ? Ok() : Status(updated.error());
                }
                return AfterAction(services, request, status, "saved", "markets");
              }));
  router.Post("/admin/settings/tax-rates", AdminRoute(services, kPricing, [&services](AdminRequest& request) {
                return SetTaxRate(services, request);
              }));
  router.Post("/admin/settings/tax-rates/{id}/delete",
              AdminRoute(services, kPricing, [&services](AdminRequest& request) {
                const auto id = IdParam(request, "id");
                const auto market_id = IdField(request, "market_id");
                Status status = id && market_id ? services.pricing.DeleteTaxRate(request.shop.id, *market_id, *id)
                                                : Status(Error::NotFound("tax rate"));
                return AfterAction(services, request, status, "deleted", "taxes");
              }));
  router.Post("/admin/settings/zones", AdminRoute(services, kShipping, [&services](AdminRequest& request) {
                return CreateZone(services, request);
              }));
  router.Post("/admin/settings/rates", AdminRoute(services, kShipping, [&services](AdminRequest& request) {
                return CreateRate(services, request);
              }));
  router.Post("/admin/settings/rates/{id}/delete", AdminRoute(services, kShipping, [&services](AdminRequest& request) {
                const auto id = IdParam(request, "id");
                Status status =
                    id ? services.shipping.DeleteRate(request.shop.id, *id) : Status(Error::NotFound("rate"));
                return AfterAction(services, request, status, "deleted", "shipping");
              }));
  router.Post("/admin/settings/fulfilment", AdminRoute(services, kShipping, [&services](AdminRequest& request) {
                return SaveFulfilment(services, request);
              }));
  router.Post("/admin/settings/holidays", AdminRoute(services, kShipping, [&services](AdminRequest& request) {
                return AddHoliday(services, request);
              }));
  router.Post(
      "/admin/settings/holidays/{id}/delete", AdminRoute(services, kShipping, [&services](AdminRequest& request) {
        const auto id = IdParam(request, "id");
        Status status = id ? services.shipping.DeleteHoliday(request.shop.id, *id) : Status(Error::NotFound("holiday"));
        return AfterAction(services, request, status, "deleted", "fulfilment");
      }));
}

}  // namespace plaza::web::admin
