// Markets, variant prices and tax rates for staff, and the storefront's list of markets.
// Amounts are integers in minor units of the market's currency; times are RFC 3339.

#include <charconv>

#include "plaza/http/json.h"
#include "plaza/pricing/pricing.h"
#include "routes.h"

namespace plaza::api {
namespace {

using http::JsonReader;
using http::Request;
using http::Response;

// Far above any real price and far below overflow once multiplied by a quantity.
constexpr std::int64_t kMaxAmount = 1'000'000'000'000'000;
constexpr std::size_t kMaxCountriesInRequest = pricing::kMaxCountriesPerMarket;

Status MayRead(const Request& request) {
  return identity::Authorize(Caller(request), ShopOf(request), identity::Permission::kCatalogRead);
}
Status MayWrite(const Request& request) {
  return identity::Authorize(Caller(request), ShopOf(request), identity::Permission::kPricingWrite);
}

boost::json::array Strings(const std::vector<std::string>& values) {
  boost::json::array out;
  for (const std::string& value : values) out.emplace_back(value);
  return out;
}

boost::json::object Encode(const pricing::Market& market) {
  return {{"id", market.id},
          {"handle", market.handle},
          {"name", market.name},
          {"countries", Strings(market.countries)},
          {"currency", market.currency},
          {"prices_include_tax", market.prices_include_tax},
          {"is_default", market.is_default},
          {"created_at", FormatRfc3339(market.created_at)},
          {"updated_at", FormatRfc3339(market.updated_at)}};
}

boost::json::object EncodePublic(const pricing::Market& market) {
  return {{"handle", market.handle},
          {"name", market.name},
          {"countries", Strings(market.countries)},
          {"currency", market.currency},
          {"prices_include_tax", market.prices_include_tax},
          {"is_default", market.is_default}};
}

boost::json::value OptionalInt(const std::optional<std::int64_t>& value) {
  if (value) return *value;
  return nullptr;
}

boost::json::value OptionalTime(const std::optional<TimePoint>& value) {
  if (value) return boost::json::value(FormatRfc3339(*value));
  return nullptr;
}

boost::json::object Encode(const pricing::VariantPrice& price) {
  return {{"variant_id", price.variant_id},
          {"market_id", price.market_id},
          {"currency", price.currency},
          {"amount", price.amount},
          {"compare_at_amount", OptionalInt(price.compare_at_amount)},
          {"sale_amount", OptionalInt(price.sale_amount)},
          {"sale_starts_at", OptionalTime(price.sale_starts_at)},
          {"sale_ends_at", OptionalTime(price.sale_ends_at)},
          {"updated_at", FormatRfc3339(price.updated_at)}};
}

boost::json::object Encode(const pricing::TaxRateRecord& rate) {
  return {{"id", rate.id},
          {"market_id", rate.market_id},
          {"region", rate.region},
          {"tax_class", rate.tax_class},
          {"rate", {{"numerator", rate.rate.numerator}, {"denominator", rate.rate.denominator}}},
          {"name", rate.name},
          {"updated_at", FormatRfc3339(rate.updated_at)}};
}

template <typename T>
boost::json::array EncodeEach(const std::vector<T>& items) {
  boost::json::array out;
  out.reserve(items.size());
  for (const T& item : items) out.emplace_back(Encode(item));
  return out;
}

Result<std::optional<TimePoint>> ReadTime(const JsonReader& reader, std::string_view key) {
  PLAZA_ASSIGN_OR_RETURN(auto text, reader.OptionalString(key, {.max_length = 64}));
  if (!text) return std::optional<TimePoint>();
  auto parsed = ParseRfc3339(*text);
  if (!parsed.ok()) {
    Error error = parsed.error();
    error.field = reader.PointerTo(key);
    return error;
  }
  return std::optional<TimePoint>(*parsed);
}

Result<pricing::PriceInput> ReadPrice(const JsonReader& reader) {
  PLAZA_TRY(
      reader.AllowOnly({"variant_id", "amount", "compare_at_amount", "sale_amount", "sale_starts_at", "sale_ends_at"}));
  pricing::PriceInput price;
  PLAZA_ASSIGN_OR_RETURN(price.variant_id, reader.RequiredInt64("variant_id", 1, INT64_MAX));
  // Negative amounts pass the reader so the module names them precisely.
  PLAZA_ASSIGN_OR_RETURN(price.amount, reader.RequiredInt64("amount", -kMaxAmount, kMaxAmount));
  PLAZA_ASSIGN_OR_RETURN(price.compare_at_amount, reader.OptionalInt64("compare_at_amount", -kMaxAmount, kMaxAmount));
  PLAZA_ASSIGN_OR_RETURN(price.sale_amount, reader.OptionalInt64("sale_amount", -kMaxAmount, kMaxAmount));
  PLAZA_ASSIGN_OR_RETURN(price.sale_starts_at, ReadTime(reader, "sale_starts_at"));
  PLAZA_ASSIGN_OR_RETURN(price.sale_ends_at, ReadTime(reader, "sale_ends_at"));
  return price;
}

Result<std::vector<std::string>> ReadCountries(const JsonReader& reader) {
  return ReadStringArray(reader, "countries", kMaxCountriesInRequest);
}

Result<int> PageLimit(const Request& request) {
  constexpr int kDefaultPage = 100;
  const auto text = request.Query("limit");
  if (!text) return kDefaultPage;
  int limit = 0;
  const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), limit);
  if (error != std::errc() || end != text->data() + text->size() || limit < 1 ||
      limit > static_cast<int>(pricing::kMaxVariantsPerRequest)) {
    return Error::Invalid("validation/range", "limit must be between 1 and 500", "limit");
  }
  return limit;
}

Result<std::int64_t> AfterQuery(const Request& request) {
  const auto text = request.Query("after");
  if (!text) return std::int64_t{0};
  std::int64_t after = 0;
  const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), after);
  if (error != std::errc() || end != text->data() + text->size() || after < 0) {
    return Error::Invalid("validation/range", "after must be a variant id", "after");
  }
  return after;
}

}  // namespace

void RegisterPricingStorefrontRoutes(http::RouteGroup shop, const ApiServices& services) {
  shop.Get("/storefront/markets", Handle([&services](Request& request) -> Result<Response> {
             PLAZA_ASSIGN_OR_RETURN(auto markets, services.pricing.ListMarkets(ShopOf(request)));
             boost::json::array out;
             for (const pricing::Market& market : markets) out.emplace_back(EncodePublic(market));
             return Response::Json({{"markets", out}});
           }));
}

void RegisterPricingRoutes(http::RouteGroup admin, const ApiServices& services) {
  admin.Get("/markets", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_TRY(MayRead(request));
              PLAZA_ASSIGN_OR_RETURN(auto markets, services.pricing.ListMarkets(ShopOf(request)));
              return Response::Json({{"markets", EncodeEach(markets)}});
            }));
  admin.Post(
      "/markets", Handle([&services](Request& request) -> Result<Response> {
        PLAZA_TRY(MayWrite(request));
        PLAZA_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(request));
        JsonReader reader(body);
        PLAZA_TRY(reader.AllowOnly({"handle", "name", "countries", "currency", "prices_include_tax", "is_default"}));
        pricing::NewMarket market;
        PLAZA_ASSIGN_OR_RETURN(market.handle, reader.RequiredString("handle", {.min_length = 1, .max_length = 64}));
        PLAZA_ASSIGN_OR_RETURN(market.name, reader.RequiredString("name", {.min_length = 1, .max_length = 200}));
        PLAZA_ASSIGN_OR_RETURN(market.currency, reader.RequiredString("currency", {.max_length = 16}));
        if (body.contains("countries") && !body.at("countries").is_null()) {
          PLAZA_ASSIGN_OR_RETURN(market.countries, ReadCountries(reader));
        }
        PLAZA_ASSIGN_OR_RETURN(auto inclusive, reader.OptionalBool("prices_include_tax"));
        market.prices_include_tax = inclusive.value_or(false);
        PLAZA_ASSIGN_OR_RETURN(auto is_default, reader.OptionalBool("is_default"));
        market.is_default = is_default.value_or(false);
        PLAZA_ASSIGN_OR_RETURN(auto created, services.pricing.CreateMarket(ShopOf(request), market));
        return Response::Json(Encode(created), 201);
      }));
  admin.Get("/markets/{id}", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_TRY(MayRead(request));
              PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
              PLAZA_ASSIGN_OR_RETURN(auto market, services.pricing.GetMarket(ShopOf(request), id));
              return Response::Json(Encode(market));
            }));
  admin.Patch(
      "/markets/{id}", Handle([&services](Request& request) -> Result<Response> {
        PLAZA_TRY(MayWrite(request));
        PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
        // Another shop's market is absent whatever the body says.
        PLAZA_TRY(services.pricing.GetMarket(ShopOf(request), id));
        PLAZA_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(request));
        JsonReader reader(body);
        PLAZA_TRY(reader.AllowOnly({"handle", "name", "countries", "currency", "prices_include_tax", "is_default"}));
        pricing::MarketUpdate update;
        PLAZA_ASSIGN_OR_RETURN(update.handle, reader.OptionalString("handle", {.min_length = 1, .max_length = 64}));
        PLAZA_ASSIGN_OR_RETURN(update.name, reader.OptionalString("name", {.min_length = 1, .max_length = 200}));
        PLAZA_ASSIGN_OR_RETURN(update.currency, reader.OptionalString("currency", {.max_length = 16}));
        if (body.contains("countries") && !body.at("countries").is_null()) {
          PLAZA_ASSIGN_OR_RETURN(update.countries, ReadCountries(reader));
        }
        PLAZA_ASSIGN_OR_RETURN(update.prices_include_tax, reader.OptionalBool("prices_include_tax"));
        PLAZA_ASSIGN_OR_RETURN(update.is_default, reader.OptionalBool("is_default"));
        PLAZA_ASSIGN_OR_RETURN(auto market, services.pricing.UpdateMarket(ShopOf(request), id, update));
        return Response::Json(Encode(market));
      }));
  admin.Delete("/markets/{id}", Handle([&services](Request& request) -> Result<Response> {
                 PLAZA_TRY(MayWrite(request));
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
                 PLAZA_TRY(services.pricing.DeleteMarket(ShopOf(request), id));
                 return Response::NoContent();
               }));

  admin.Get("/markets/{id}/prices", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_TRY(MayRead(request));
              PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
              PLAZA_ASSIGN_OR_RETURN(int limit, PageLimit(request));
              PLAZA_ASSIGN_OR_RETURN(std::int64_t after, AfterQuery(request));
              PLAZA_ASSIGN_OR_RETURN(auto prices, services.pricing.ListPrices(ShopOf(request), id, after, limit));
              return Response::Json({{"prices", EncodeEach(prices)}});
            }));
  admin.Put("/markets/{id}/prices", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_TRY(MayWrite(request));
              PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
              // Another shop's market is absent whatever the body says.
              PLAZA_TRY(services.pricing.GetMarket(ShopOf(request), id));
              PLAZA_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(request));
              JsonReader reader(body);
              PLAZA_TRY(reader.AllowOnly({"prices"}));
              PLAZA_ASSIGN_OR_RETURN(const boost::json::array* items,
                                     reader.RequiredArray("prices", pricing::kMaxVariantsPerRequest));
              std::vector<pricing::PriceInput> prices;
              prices.reserve(items->size());
              for (std::size_t idx = 0; idx < items->size(); ++idx) {
                const std::string pointer = reader.PointerTo("prices") + "/" + std::to_string(idx);
                const boost::json::object* item = (*items)[idx].if_object();
                if (item == nullptr) return Error::Invalid("validation/type", "expected an object", pointer);
                PLAZA_ASSIGN_OR_RETURN(auto price, ReadPrice(JsonReader(*item, pointer)));
                prices.push_back(price);
              }
              PLAZA_ASSIGN_OR_RETURN(auto stored, services.pricing.SetPrices(ShopOf(request), id, prices));
              return Response::Json({{"prices", EncodeEach(stored)}});
            }));
  admin.Delete("/markets/{id}/prices/{variant_id}", Handle([&services](Request& request) -> Result<Response> {
                 PLAZA_TRY(MayWrite(request));
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t variant_id, IdFromPath(request, "variant_id"));
                 PLAZA_TRY(services.pricing.DeletePrice(ShopOf(request), id, variant_id));
                 return Response::NoContent();
               }));
  // Variant ids are the catalog's: a variant without prices here has an empty list.
  admin.Get("/variant-prices/{variant_id}", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_TRY(MayRead(request));
              PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "variant_id"));
              PLAZA_ASSIGN_OR_RETURN(auto prices, services.pricing.VariantPrices(ShopOf(request), id));
              return Response::Json({{"prices", EncodeEach(prices)}});
            }));

  admin.Get("/markets/{id}/tax-rates", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_TRY(MayRead(request));
              PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
              PLAZA_ASSIGN_OR_RETURN(auto rates, services.pricing.ListTaxRates(ShopOf(request), id));
              return Response::Json({{"tax_rates", EncodeEach(rates)}});
            }));
  admin.Put(
      "/markets/{id}/tax-rates", Handle([&services](Request& request) -> Result<Response> {
        PLAZA_TRY(MayWrite(request));
        PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
        // Another shop's market is absent whatever the body says.
        PLAZA_TRY(services.pricing.GetMarket(ShopOf(request), id));
        PLAZA_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(request));
        JsonReader reader(body);
        PLAZA_TRY(reader.AllowOnly({"region", "tax_class", "basis_points", "rate", "name"}));
        pricing::TaxRateInput input;
        PLAZA_ASSIGN_OR_RETURN(input.region, reader.RequiredString("region", {.min_length = 2, .max_length = 6}));
        PLAZA_ASSIGN_OR_RETURN(auto tax_class, reader.OptionalString("tax_class", {.max_length = 64}));
        if (tax_class) input.tax_class = *tax_class;
        PLAZA_ASSIGN_OR_RETURN(auto name, reader.OptionalString("name", {.max_length = 200}));
        if (name) input.name = *name;
        PLAZA_ASSIGN_OR_RETURN(auto basis_points, reader.OptionalInt64("basis_points", 0, pricing::kMaxRateTerm));
        PLAZA_ASSIGN_OR_RETURN(auto rate, reader.OptionalObject("rate"));
        if (basis_points.has_value() == rate.has_value()) {
          return Error::Invalid("validation/required",
                                "give the rate either as basis_points or as rate {numerator, denominator}",
                                "/basis_points");
        }
        if (basis_points) {
          input.rate = pricing::TaxRate::BasisPoints(*basis_points);
        } else {
          PLAZA_TRY(rate->AllowOnly({"numerator", "denominator"}));
          PLAZA_ASSIGN_OR_RETURN(input.rate.numerator, rate->RequiredInt64("numerator", 0, pricing::kMaxRateTerm));
          PLAZA_ASSIGN_OR_RETURN(input.rate.denominator, rate->RequiredInt64("denominator", 1, pricing::kMaxRateTerm));
        }
        PLAZA_ASSIGN_OR_RETURN(auto stored, services.pricing.SetTaxRate(ShopOf(request), id, input));
        return Response::Json(Encode(stored));
      }));
  admin.Delete("/markets/{id}/tax-rates/{rate_id}", Handle([&services](Request& request) -> Result<Response> {
                 PLAZA_TRY(MayWrite(request));
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t rate_id, IdFromPath(request, "rate_id"));
                 PLAZA_TRY(services.pricing.DeleteTaxRate(ShopOf(request), id, rate_id));
                 return Response::NoContent();
               }));
}

}  // namespace plaza::api
