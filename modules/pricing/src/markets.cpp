// Markets, prices and tax rates in the database. Every statement filters by shop_id.

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "plaza/pricing/pricing.h"
#include "validation.h"

namespace plaza::pricing {
namespace {

constexpr std::string_view kMarketColumns =
    "id, shop_id, handle, name, currency, prices_include_tax, is_default, created_at, updated_at";
constexpr std::string_view kPriceColumns =
    "variant_id, market_id, amount, compare_at_amount, sale_amount, sale_starts_at, sale_ends_at, updated_at";
constexpr std::string_view kTaxRateColumns =
    "id, shop_id, market_id, region, tax_class, numerator, denominator, name, updated_at";

Error MarketNotFound() {
  return Error{ErrorCode::kNotFound, "pricing/market-not-found", "no such market", {}};
}

Error NotPriced(std::int64_t variant_id, std::size_t idx) {
  return Error{ErrorCode::kConflict, "pricing/not-priced",
               "variant " + std::to_string(variant_id) + " has no price in this market, so it cannot be bought there",
               "/variant_ids/" + std::to_string(idx)};
}

bool IsUniqueViolation(const Error& error) {
  return error.type == "db/unique-violation";
}

Market MarketFromRow(const store::Row& row) {
  Market market;
  market.id = row.Int(0);
  market.shop_id = row.Int(1);
  market.handle = row.Text(2);
  market.name = row.Text(3);
  market.currency = row.Text(4);
  market.prices_include_tax = row.Bool(5);
  market.is_default = row.Bool(6);
  market.created_at = FromUnixMillis(row.Int(7));
  market.updated_at = FromUnixMillis(row.Int(8));
  return market;
}

std::optional<TimePoint> OptionalTime(const store::Row& row, std::size_t column) {
  if (auto millis = row.OptionalInt(column)) return FromUnixMillis(*millis);
  return std::nullopt;
}

std::optional<std::int64_t> OptionalMillis(const std::optional<TimePoint>& time) {
  if (time) return ToUnixMillis(*time);
  return std::nullopt;
}

VariantPrice PriceFromRow(const store::Row& row, const std::string& currency) {
  VariantPrice price;
  price.variant_id = row.Int(0);
  price.market_id = row.Int(1);
  price.currency = currency;
  price.amount = row.Int(2);
  price.compare_at_amount = row.OptionalInt(3);
  price.sale_amount = row.OptionalInt(4);
  price.sale_starts_at = OptionalTime(row, 5);
  price.sale_ends_at = OptionalTime(row, 6);
  price.updated_at = FromUnixMillis(row.Int(7));
  return price;
}

TaxRateRecord TaxRateFromRow(const store::Row& row) {
  TaxRateRecord rate;
  rate.id = row.Int(0);
  rate.shop_id = row.Int(1);
  rate.market_id = row.Int(2);
  rate.region = row.Text(3);
  rate.tax_class = row.Text(4);
  rate.rate = TaxRate{row.Int(5), row.Int(6)};
  rate.name = row.Text(7);
  rate.updated_at = FromUnixMillis(row.Int(8));
  return rate;
}

Status CheckShop(std::int64_t shop_id) {
  if (shop_id <= 0) return Error::Invalid("pricing/shop-required", "prices belong to a shop", "shop_id");
  return Ok();
}

Result<std::vector<std::string>> LoadCountries(store::Transaction& tx, std::int64_t shop_id, std::int64_t market_id) {
  PLAZA_ASSIGN_OR_RETURN(auto result, tx.Execute("SELECT country FROM pricing_market_countries WHERE shop_id = ? AND"
                                                 " market_id = ? ORDER BY country",
                                                 {shop_id, market_id}));
  std::vector<std::string> countries;
  countries.reserve(result.rows.size());
  for (const store::Row& row : result.rows) countries.push_back(row.Text(0));
  return countries;
}

Result<std::optional<Market>> LoadMarket(store::Transaction& tx, std::int64_t shop_id, std::string_view where,
                                         std::initializer_list<store::Param> params) {
  PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT " + std::string(kMarketColumns) +
                                                   " FROM pricing_markets WHERE " + std::string(where),
                                               params));
  if (!row) return std::optional<Market>();
  Market market = MarketFromRow(*row);
  PLAZA_ASSIGN_OR_RETURN(market.countries, LoadCountries(tx, shop_id, market.id));
  return std::optional<Market>(std::move(market));
}

// Sorted and without duplicates; every code checked.
Result<std::vector<std::string>> CanonicalCountries(std::vector<std::string> countries) {
  if (countries.size() > kMaxCountriesPerMarket) {
    return Error::Invalid("pricing/too-many-countries", "a market lists at most 250 countries", "/countries");
  }
  for (std::size_t idx = 0; idx < countries.size(); ++idx) {
    PLAZA_TRY(internal::ValidateCountry(countries[idx], "/countries/" + std::to_string(idx)));
  }
  std::sort(countries.begin(), countries.end());
  countries.erase(std::unique(countries.begin(), countries.end()), countries.end());
  return countries;
}

// Replaces the market's countries, refusing one that another market of the shop lists.
Status SaveCountries(store::Transaction& tx, std::int64_t shop_id, std::int64_t market_id,
                     const std::vector<std::string>& countries) {
  if (!countries.empty()) {
    std::vector<store::Param> params = {shop_id, market_id};
    for (const std::string& country : countries) params.emplace_back(country);
    PLAZA_ASSIGN_OR_RETURN(
        auto taken,
        tx.Execute(
            "SELECT country FROM pricing_market_countries WHERE shop_id = ? AND market_id <> ? AND country IN (" +
                store::Placeholders(countries.size()) + ") ORDER BY country",
            params));
    if (!taken.rows.empty()) {
      const std::string country = taken.rows.front().Text(0);
      const auto position = std::find(countries.begin(), countries.end(), country) - countries.begin();
      return Error{ErrorCode::kConflict, "pricing/country-taken",
                   country + " already belongs to another market of this shop",
                   "/countries/" + std::to_string(position)};
    }
  }
  PLAZA_TRY(
      tx.Execute("DELETE FROM pricing_market_countries WHERE shop_id = ? AND market_id = ?", {shop_id, market_id}));
  for (const std::string& country : countries) {
    PLAZA_TRY(tx.Execute("INSERT INTO pricing_market_countries (shop_id, country, market_id) VALUES (?, ?, ?)",
                         {shop_id, country, market_id}));
  }
  return Ok();
}

Status ClearDefault(store::Transaction& tx, std::int64_t shop_id) {
  PLAZA_TRY(tx.Execute("UPDATE pricing_markets SET is_default = 0 WHERE shop_id = ? AND is_default = 1", {shop_id}));
  return Ok();
}

Status ValidatePrice(const PriceInput& input, const std::string& prefix) {
  if (input.variant_id <= 0) {
    return Error::Invalid("pricing/invalid-variant", "a variant id is a positive number", prefix + "/variant_id");
  }
  const auto negative = [&](const char* field) {
    return Error::Invalid("pricing/negative-amount", "a price cannot be negative", prefix + field);
  };
  if (input.amount < 0) return negative("/amount");
  if (input.compare_at_amount && *input.compare_at_amount < 0) return negative("/compare_at_amount");
  if (input.sale_amount && *input.sale_amount < 0) return negative("/sale_amount");
  if (!input.sale_amount && (input.sale_starts_at || input.sale_ends_at)) {
    return Error::Invalid("pricing/sale-without-price", "a sale window needs a sale_amount", prefix + "/sale_amount");
  }
  if (input.sale_starts_at && input.sale_ends_at && *input.sale_ends_at <= *input.sale_starts_at) {
    return Error::Invalid("pricing/invalid-sale-window", "a sale must end after it starts", prefix + "/sale_ends_at");
  }
  return Ok();
}

Result<std::vector<EffectivePrice>> LookUpPrices(store::Transaction& tx, std::int64_t shop_id, std::int64_t market_id,
                                                 std::span<const std::int64_t> variant_ids, TimePoint now,
                                                 bool require_all) {
  PLAZA_TRY(CheckShop(shop_id));
  if (variant_ids.size() > kMaxVariantsPerRequest) {
    return Error::Invalid("pricing/too-many-variants",
                          "at most " + std::to_string(kMaxVariantsPerRequest) + " variants per lookup", "/variant_ids");
  }
  PLAZA_ASSIGN_OR_RETURN(Market market, FindMarket(tx, shop_id, market_id));
  std::vector<EffectivePrice> prices;
  if (variant_ids.empty()) return prices;
  std::vector<store::Param> params = {shop_id, market_id};
  for (std::int64_t id : variant_ids) params.emplace_back(id);
  PLAZA_ASSIGN_OR_RETURN(auto result, tx.Execute("SELECT " + std::string(kPriceColumns) +
                                                     " FROM pricing_prices WHERE shop_id = ? AND market_id = ? AND"
                                                     " variant_id IN (" +
                                                     store::Placeholders(variant_ids.size()) + ")",
                                                 params));
  std::map<std::int64_t, VariantPrice> stored;
  for (const store::Row& row : result.rows) {
    VariantPrice price = PriceFromRow(row, market.currency);
    stored.emplace(price.variant_id, std::move(price));
  }
  prices.reserve(variant_ids.size());
  for (std::size_t idx = 0; idx < variant_ids.size(); ++idx) {
    auto found = stored.find(variant_ids[idx]);
    if (found == stored.end()) {
      if (require_all) return NotPriced(variant_ids[idx], idx);
      continue;
    }
    prices.push_back(EffectivePriceAt(found->second, market.prices_include_tax, now));
  }
  return prices;
}

}  // namespace

Result<Market> FindMarket(store::Transaction& tx, std::int64_t shop_id, std::int64_t market_id) {
  PLAZA_ASSIGN_OR_RETURN(auto market, LoadMarket(tx, shop_id, "shop_id = ? AND id = ?", {shop_id, market_id}));
  if (!market) return MarketNotFound();
  return std::move(*market);
}

Result<Market> MarketForCountry(store::Transaction& tx, std::int64_t shop_id, std::string_view country) {
  PLAZA_TRY(internal::ValidateCountry(country, "/country"));
  PLAZA_ASSIGN_OR_RETURN(auto listed, tx.QueryOne("SELECT market_id FROM pricing_market_countries WHERE shop_id = ? AND"
                                                  " country = ?",
                                                  {shop_id, country}));
  if (listed) return FindMarket(tx, shop_id, listed->Int(0));
  PLAZA_ASSIGN_OR_RETURN(auto fallback, LoadMarket(tx, shop_id, "shop_id = ? AND is_default = 1", {shop_id}));
  if (!fallback) return Error{ErrorCode::kNotFound, "pricing/no-market", "this shop has no market yet", {}};
  return std::move(*fallback);
}

Result<std::vector<EffectivePrice>> PriceVariants(store::Transaction& tx, std::int64_t shop_id, std::int64_t market_id,
                                                  std::span<const std::int64_t> variant_ids, TimePoint now) {
  return LookUpPrices(tx, shop_id, market_id, variant_ids, now, /*require_all=*/true);
}

Result<std::vector<EffectivePrice>> FindVariantPrices(store::Transaction& tx, std::int64_t shop_id,
                                                      std::int64_t market_id, std::span<const std::int64_t> variant_ids,
                                                      TimePoint now) {
  return LookUpPrices(tx, shop_id, market_id, variant_ids, now, /*require_all=*/false);
}

Result<std::vector<TaxRateRecord>> ListTaxRates(store::Transaction& tx, std::int64_t shop_id, std::int64_t market_id) {
  PLAZA_ASSIGN_OR_RETURN(auto result, tx.Execute("SELECT " + std::string(kTaxRateColumns) +
                                                     " FROM pricing_tax_rates WHERE shop_id = ? AND market_id = ?"
                                                     " ORDER BY region, tax_class",
                                                 {shop_id, market_id}));
  std::vector<TaxRateRecord> rates;
  rates.reserve(result.rows.size());
  for (const store::Row& row : result.rows) rates.push_back(TaxRateFromRow(row));
  return rates;
}

Result<TaxResult> ComputeTax(store::Transaction& tx, std::int64_t shop_id, std::int64_t market_id,
                             std::span<const TaxLineInput> lines, const Destination& destination) {
  PLAZA_ASSIGN_OR_RETURN(Market market, FindMarket(tx, shop_id, market_id));
  PLAZA_ASSIGN_OR_RETURN(auto rates, ListTaxRates(tx, shop_id, market_id));
  return ComputeTax(lines, destination, market, rates);
}

PricingService::PricingService(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

Result<Market> PricingService::CreateMarket(std::int64_t shop_id, const NewMarket& input) {
  PLAZA_TRY(CheckShop(shop_id));
  PLAZA_TRY(internal::ValidateHandle(input.handle, "/handle"));
  PLAZA_TRY(internal::ValidateName(input.name, "/name"));
  if (auto currency = FindCurrency(input.currency); !currency.ok()) {
    Error error = currency.error();
    error.field = "/currency";
    return error;
  }
  PLAZA_ASSIGN_OR_RETURN(std::vector<std::string> countries, CanonicalCountries(input.countries));
  const std::int64_t now = ToUnixMillis(clock_.Now());
  return db_.Write([&](store::Transaction& tx) -> Result<Market> {
    PLAZA_ASSIGN_OR_RETURN(auto count,
                           tx.QueryOne("SELECT COUNT(*) FROM pricing_markets WHERE shop_id = ?", {shop_id}));
    const std::int64_t existing = count ? count->Int(0) : 0;
    if (existing >= static_cast<std::int64_t>(kMaxMarketsPerShop)) {
      return Error::Conflict("pricing/too-many-markets", "a shop has at most 250 markets");
    }
    const bool is_default = input.is_default || existing == 0;
    if (is_default) PLAZA_TRY(ClearDefault(tx, shop_id));
    auto inserted = tx.QueryOne(
        "INSERT INTO pricing_markets (shop_id, handle, name, currency, prices_include_tax,"
        " is_default, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING " +
            std::string(kMarketColumns),
        {shop_id, input.handle, input.name, input.currency, input.prices_include_tax, is_default, now, now});
    if (!inserted.ok()) {
      if (IsUniqueViolation(inserted.error())) {
        return Error{ErrorCode::kConflict, "pricing/duplicate-handle", "another market of this shop has this handle",
                     "/handle"};
      }
      return std::move(inserted).error();
    }
    if (!*inserted) return Error::Internal("inserting a market returned nothing");
    Market market = MarketFromRow(**inserted);
    PLAZA_TRY(SaveCountries(tx, shop_id, market.id, countries));
    market.countries = countries;
    return market;
  });
}

Result<std::vector<Market>> PricingService::ListMarkets(std::int64_t shop_id) {
  PLAZA_TRY(CheckShop(shop_id));
  return db_.Read([&](store::Transaction& tx) -> Result<std::vector<Market>> {
    PLAZA_ASSIGN_OR_RETURN(auto result, tx.Execute("SELECT " + std::string(kMarketColumns) +
                                                       " FROM pricing_markets WHERE shop_id = ? ORDER BY id",
                                                   {shop_id}));
    PLAZA_ASSIGN_OR_RETURN(auto country_rows, tx.Execute("SELECT market_id, country FROM pricing_market_countries"
                                                         " WHERE shop_id = ? ORDER BY country",
                                                         {shop_id}));
    std::map<std::int64_t, std::vector<std::string>> countries;
    for (const store::Row& row : country_rows.rows) countries[row.Int(0)].push_back(row.Text(1));
    std::vector<Market> markets;
    markets.reserve(result.rows.size());
    for (const store::Row& row : result.rows) {
      Market market = MarketFromRow(row);
      market.countries = std::move(countries[market.id]);
      markets.push_back(std::move(market));
    }
    return markets;
  });
}

Result<Market> PricingService::GetMarket(std::int64_t shop_id, std::int64_t market_id) {
  PLAZA_TRY(CheckShop(shop_id));
  return db_.Read([&](store::Transaction& tx) { return FindMarket(tx, shop_id, market_id); });
}

Result<Market> PricingService::UpdateMarket(std::int64_t shop_id, std::int64_t market_id, const MarketUpdate& update) {
  PLAZA_TRY(CheckShop(shop_id));
  if (update.handle) PLAZA_TRY(internal::ValidateHandle(*update.handle, "/handle"));
  if (update.name) PLAZA_TRY(internal::ValidateName(*update.name, "/name"));
  if (update.currency) {
    if (auto currency = FindCurrency(*update.currency); !currency.ok()) {
      Error error = currency.error();
      error.field = "/currency";
      return error;
    }
  }
  std::optional<std::vector<std::string>> countries;
  if (update.countries) {
    PLAZA_ASSIGN_OR_RETURN(countries, CanonicalCountries(*update.countries));
  }
  if (update.is_default && !*update.is_default) {
    return Error::Invalid("pricing/default-required", "make another market the default instead", "/is_default");
  }
  const std::int64_t now = ToUnixMillis(clock_.Now());
  return db_.Write([&](store::Transaction& tx) -> Result<Market> {
    PLAZA_ASSIGN_OR_RETURN(Market market, FindMarket(tx, shop_id, market_id));
    if (update.currency && *update.currency != market.currency) {
      PLAZA_ASSIGN_OR_RETURN(auto priced, tx.QueryOne("SELECT 1 FROM pricing_prices WHERE shop_id = ? AND market_id = ?"
                                                      " LIMIT 1",
                                                      {shop_id, market_id}));
      if (priced) {
        return Error{ErrorCode::kConflict, "pricing/currency-locked",
                     "this market has prices in " + market.currency + "; remove them before changing its currency",
                     "/currency"};
      }
      market.currency = *update.currency;
    }
    if (update.handle) market.handle = *update.handle;
    if (update.name) market.name = *update.name;
    if (update.prices_include_tax) market.prices_include_tax = *update.prices_include_tax;
    if (update.is_default && !market.is_default) {
      PLAZA_TRY(ClearDefault(tx, shop_id));
      market.is_default = true;
    }
    auto saved = tx.Execute(
        "UPDATE pricing_markets SET handle = ?, name = ?, currency = ?, prices_include_tax = ?,"
        " is_default = ?, updated_at = ? WHERE shop_id = ? AND id = ?",
        {market.handle, market.name, market.currency, market.prices_include_tax, market.is_default, now, shop_id,
         market_id});
    if (!saved.ok()) {
      if (IsUniqueViolation(saved.error())) {
        return Error{ErrorCode::kConflict, "pricing/duplicate-handle", "another market of this shop has this handle",
                     "/handle"};
      }
      return std::move(saved).error();
    }
    if (countries) {
      PLAZA_TRY(SaveCountries(tx, shop_id, market_id, *countries));
      market.countries = *countries;
    }
    market.updated_at = FromUnixMillis(now);
    return market;
  });
}

Status PricingService::DeleteMarket(std::int64_t shop_id, std::int64_t market_id) {
  PLAZA_TRY(CheckShop(shop_id));
  return db_.Write([&](store::Transaction& tx) -> Status {
    PLAZA_ASSIGN_OR_RETURN(Market market, FindMarket(tx, shop_id, market_id));
    if (market.is_default) {
      PLAZA_ASSIGN_OR_RETURN(auto others, tx.QueryOne("SELECT COUNT(*) FROM pricing_markets WHERE shop_id = ? AND"
                                                      " id <> ?",
                                                      {shop_id, market_id}));
      if (others && others->Int(0) > 0) {
        return Error::Conflict("pricing/default-required",
                               "this is the shop's default market; make another market the default first");
      }
    }
    for (const char* table : {"pricing_prices", "pricing_tax_rates", "pricing_market_countries"}) {
      PLAZA_TRY(tx.Execute("DELETE FROM " + std::string(table) + " WHERE shop_id = ? AND market_id = ?",
                           {shop_id, market_id}));
    }
    PLAZA_TRY(tx.Execute("DELETE FROM pricing_markets WHERE shop_id = ? AND id = ?", {shop_id, market_id}));
    return Ok();
  });
}

Result<Market> PricingService::MarketForCountry(std::int64_t shop_id, std::string_view country) {
  PLAZA_TRY(CheckShop(shop_id));
  return db_.Read([&](store::Transaction& tx) { return pricing::MarketForCountry(tx, shop_id, country); });
}

Result<std::vector<VariantPrice>> PricingService::SetPrices(std::int64_t shop_id, std::int64_t market_id,
                                                            std::span<const PriceInput> prices) {
  PLAZA_TRY(CheckShop(shop_id));
  if (prices.empty() || prices.size() > kMaxVariantsPerRequest) {
    return Error::Invalid("pricing/too-many-variants",
                          "set between 1 and " + std::to_string(kMaxVariantsPerRequest) + " prices at once", "/prices");
  }
  std::set<std::int64_t> seen;
  for (std::size_t idx = 0; idx < prices.size(); ++idx) {
    const std::string prefix = "/prices/" + std::to_string(idx);
    PLAZA_TRY(ValidatePrice(prices[idx], prefix));
    if (!seen.insert(prices[idx].variant_id).second) {
      return Error::Invalid("pricing/duplicate-variant", "this variant appears twice", prefix + "/variant_id");
    }
  }
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Result<std::vector<VariantPrice>> {
    PLAZA_ASSIGN_OR_RETURN(Market market, FindMarket(tx, shop_id, market_id));
    std::vector<VariantPrice> stored;
    stored.reserve(prices.size());
    for (const PriceInput& input : prices) {
      PLAZA_TRY(tx.Execute(
          "INSERT INTO pricing_prices (shop_id, market_id, variant_id, amount, compare_at_amount, sale_amount,"
          " sale_starts_at, sale_ends_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
          " ON CONFLICT (shop_id, market_id, variant_id) DO UPDATE SET amount = excluded.amount,"
          " compare_at_amount = excluded.compare_at_amount, sale_amount = excluded.sale_amount,"
          " sale_starts_at = excluded.sale_starts_at, sale_ends_at = excluded.sale_ends_at,"
          " updated_at = excluded.updated_at",
          {shop_id, market_id, input.variant_id, input.amount, input.compare_at_amount, input.sale_amount,
           OptionalMillis(input.sale_starts_at), OptionalMillis(input.sale_ends_at), ToUnixMillis(now)}));
      stored.push_back(VariantPrice{.variant_id = input.variant_id,
                                    .market_id = market_id,
                                    .currency = market.currency,
                                    .amount = input.amount,
                                    .compare_at_amount = input.compare_at_amount,
                                    .sale_amount = input.sale_amount,
                                    .sale_starts_at = input.sale_starts_at,
                                    .sale_ends_at = input.sale_ends_at,
                                    .updated_at = now});
    }
    return stored;
  });
}

Result<std::vector<VariantPrice>> PricingService::ListPrices(std::int64_t shop_id, std::int64_t market_id,
                                                             std::int64_t after_variant_id, int limit) {
  PLAZA_TRY(CheckShop(shop_id));
  if (limit < 1 || limit > static_cast<int>(kMaxVariantsPerRequest)) {
    return Error::Invalid("validation/range", "limit must be between 1 and 500", "limit");
  }
  return db_.Read([&](store::Transaction& tx) -> Result<std::vector<VariantPrice>> {
    PLAZA_ASSIGN_OR_RETURN(Market market, FindMarket(tx, shop_id, market_id));
    PLAZA_ASSIGN_OR_RETURN(auto result, tx.Execute("SELECT " + std::string(kPriceColumns) +
                                                       " FROM pricing_prices WHERE shop_id = ? AND market_id = ? AND"
                                                       " variant_id > ? ORDER BY variant_id LIMIT ?",
                                                   {shop_id, market_id, after_variant_id, limit}));
    std::vector<VariantPrice> prices;
    prices.reserve(result.rows.size());
    for (const store::Row& row : result.rows) prices.push_back(PriceFromRow(row, market.currency));
    return prices;
  });
}

Result<std::vector<VariantPrice>> PricingService::VariantPrices(std::int64_t shop_id, std::int64_t variant_id) {
  PLAZA_TRY(CheckShop(shop_id));
  return db_.Read([&](store::Transaction& tx) -> Result<std::vector<VariantPrice>> {
    PLAZA_ASSIGN_OR_RETURN(
        auto result, tx.Execute("SELECT p.variant_id, p.market_id, p.amount, p.compare_at_amount, p.sale_amount,"
                                " p.sale_starts_at, p.sale_ends_at, p.updated_at, m.currency FROM pricing_prices p"
                                " JOIN pricing_markets m ON m.id = p.market_id AND m.shop_id = p.shop_id"
                                " WHERE p.shop_id = ? AND p.variant_id = ? ORDER BY p.market_id",
                                {shop_id, variant_id}));
    std::vector<VariantPrice> prices;
    prices.reserve(result.rows.size());
    for (const store::Row& row : result.rows) prices.push_back(PriceFromRow(row, row.Text(8)));
    return prices;
  });
}

Status PricingService::DeletePrice(std::int64_t shop_id, std::int64_t market_id, std::int64_t variant_id) {
  PLAZA_TRY(CheckShop(shop_id));
  return db_.Write([&](store::Transaction& tx) -> Status {
    PLAZA_ASSIGN_OR_RETURN(
        auto result, tx.Execute("DELETE FROM pricing_prices WHERE shop_id = ? AND market_id = ? AND variant_id = ?",
                                {shop_id, market_id, variant_id}));
    if (result.affected_rows == 0) return Error::NotFound("this variant has no price in this market");
    return Ok();
  });
}

Result<std::vector<EffectivePrice>> PricingService::PriceVariants(std::int64_t shop_id, std::int64_t market_id,
                                                                  std::span<const std::int64_t> variant_ids) {
  const TimePoint now = clock_.Now();
  return db_.Read(
      [&](store::Transaction& tx) { return pricing::PriceVariants(tx, shop_id, market_id, variant_ids, now); });
}

Result<TaxRateRecord> PricingService::SetTaxRate(std::int64_t shop_id, std::int64_t market_id,
                                                 const TaxRateInput& input) {
  PLAZA_TRY(CheckShop(shop_id));
  PLAZA_TRY(internal::ValidateRegion(input.region, "/region"));
  PLAZA_TRY(internal::ValidateTaxClass(input.tax_class, "/tax_class"));
  PLAZA_TRY(ValidateTaxRate(input.rate));
  if (input.name.size() > 200) {
    return Error::Invalid("pricing/invalid-name", "a tax name is at most 200 characters", "/name");
  }
  const std::int64_t now = ToUnixMillis(clock_.Now());
  return db_.Write([&](store::Transaction& tx) -> Result<TaxRateRecord> {
    PLAZA_TRY(FindMarket(tx, shop_id, market_id));
    PLAZA_ASSIGN_OR_RETURN(auto count, tx.QueryOne("SELECT COUNT(*) FROM pricing_tax_rates WHERE shop_id = ? AND"
                                                   " market_id = ? AND NOT (region = ? AND tax_class = ?)",
                                                   {shop_id, market_id, input.region, input.tax_class}));
    if (count && count->Int(0) >= static_cast<std::int64_t>(kMaxTaxRatesPerMarket)) {
      return Error::Conflict("pricing/too-many-tax-rates", "a market has at most 1000 tax rates");
    }
    PLAZA_ASSIGN_OR_RETURN(
        auto row, tx.QueryOne("INSERT INTO pricing_tax_rates (shop_id, market_id, region, tax_class, numerator,"
                              " denominator, name, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                              " ON CONFLICT (shop_id, market_id, region, tax_class) DO UPDATE SET"
                              " numerator = excluded.numerator, denominator = excluded.denominator,"
                              " name = excluded.name, updated_at = excluded.updated_at RETURNING " +
                                  std::string(kTaxRateColumns),
                              {shop_id, market_id, input.region, input.tax_class, input.rate.numerator,
                               input.rate.denominator, input.name, now}));
    if (!row) return Error::Internal("saving a tax rate returned nothing");
    return TaxRateFromRow(*row);
  });
}

Result<std::vector<TaxRateRecord>> PricingService::ListTaxRates(std::int64_t shop_id, std::int64_t market_id) {
  PLAZA_TRY(CheckShop(shop_id));
  return db_.Read([&](store::Transaction& tx) -> Result<std::vector<TaxRateRecord>> {
    PLAZA_TRY(FindMarket(tx, shop_id, market_id));
    return pricing::ListTaxRates(tx, shop_id, market_id);
  });
}

Status PricingService::DeleteTaxRate(std::int64_t shop_id, std::int64_t market_id, std::int64_t tax_rate_id) {
  PLAZA_TRY(CheckShop(shop_id));
  return db_.Write([&](store::Transaction& tx) -> Status {
    PLAZA_ASSIGN_OR_RETURN(auto result,
                           tx.Execute("DELETE FROM pricing_tax_rates WHERE shop_id = ? AND market_id = ? AND id = ?",
                                      {shop_id, market_id, tax_rate_id}));
    if (result.affected_rows == 0) return Error::NotFound("no such tax rate");
    return Ok();
  });
}

Result<TaxResult> PricingService::ComputeTax(std::int64_t shop_id, std::int64_t market_id,
                                             std::span<const TaxLineInput> lines, const Destination& destination) {
  PLAZA_TRY(CheckShop(shop_id));
  return db_.Read(
      [&](store::Transaction& tx) { return pricing::ComputeTax(tx, shop_id, market_id, lines, destination); });
}

}  // namespace plaza::pricing
