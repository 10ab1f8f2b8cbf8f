#include "plaza/shipping/shipping_service.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <tuple>

namespace plaza::shipping {
namespace {

constexpr std::string_view kRateColumns =
    "id, shop_id, zone_id, name, kind, currency, price_minor, min_value, max_value, transit_min_days, "
    "transit_max_days, created_at, updated_at";
// ISO 3166-2 subdivision codes are at most three characters after the country prefix.
constexpr std::size_t kMaxRegionLength = 3;

Error ZoneNotFound() {
  return Error::NotFound("no such shipping zone");
}
Error RateNotFound() {
  return Error::NotFound("no such shipping rate");
}

bool IsUniqueViolation(const Error& error) {
  return error.type == "db/unique-violation";
}

bool IsUpperAlnum(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); });
}

Status ValidateCountry(std::string_view country, const std::string& field) {
  if (country.size() != 2 ||
      !std::all_of(country.begin(), country.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
    return Error::Invalid("validation/country", "a country is an upper-case ISO 3166-1 alpha-2 code such as \"FR\"",
                          field);
  }
  return Ok();
}

Status ValidateDestination(const Destination& destination, const std::string& pointer) {
  PLAZA_TRY(ValidateCountry(destination.country, pointer + "/country"));
  if (destination.region.size() > kMaxRegionLength || !IsUpperAlnum(destination.region)) {
    return Error::Invalid("validation/region",
                          "a region is the upper-case ISO 3166-2 code after the country, such as \"CA\" for US-CA",
                          pointer + "/region");
  }
  return Ok();
}

Status ValidateName(std::string_view name, const std::string& field) {
  if (name.empty() || name.size() > kMaxNameLength) {
    return Error::Invalid("validation/length",
                          "the name must have between 1 and " + std::to_string(kMaxNameLength) + " characters", field);
  }
  return Ok();
}

Result<std::vector<Destination>> CanonicalDestinations(const ZoneInput& input) {
  PLAZA_TRY(ValidateName(input.name, "/name"));
  if (input.destinations.empty() || input.destinations.size() > kMaxDestinationsPerZone) {
    return Error::Invalid("validation/range",
                          "a zone has between 1 and " + std::to_string(kMaxDestinationsPerZone) + " destinations",
                          "/destinations");
  }
  for (std::size_t i = 0; i < input.destinations.size(); ++i) {
    PLAZA_TRY(ValidateDestination(input.destinations[i], "/destinations/" + std::to_string(i)));
  }
  std::vector<Destination> destinations = input.destinations;
  const auto key = [](const Destination& d) { return std::tie(d.country, d.region); };
  std::sort(destinations.begin(), destinations.end(),
            [&](const Destination& a, const Destination& b) { return key(a) < key(b); });
  destinations.erase(std::unique(destinations.begin(), destinations.end()), destinations.end());
  return destinations;
}

int WorkingDaysMask(const FulfilmentSettings& settings) {
  int mask = 0;
  for (std::size_t i = 0; i < settings.working_days.size(); ++i) {
    if (settings.working_days[i]) mask |= 1 << i;
  }
  return mask;
}

Rate RateFromRow(const store::Row& row) {
  Rate rate;
  rate.id = row.Int(0);
  rate.shop_id = row.Int(1);
  rate.zone_id = row.Int(2);
  rate.name = row.Text(3);
  rate.kind = ParseRateKind(row.Text(4)).value_or(RateKind::kFlat);
  rate.currency = row.Text(5);
  rate.price_minor = row.Int(6);
  rate.min_value = row.Int(7);
  rate.max_value = row.OptionalInt(8);
  rate.transit_min_days = static_cast<int>(row.Int(9));
  rate.transit_max_days = static_cast<int>(row.Int(10));
  rate.created_at = FromUnixMillis(row.Int(11));
  rate.updated_at = FromUnixMillis(row.Int(12));
  return rate;
}

// Reads and writes of one shop's shipping tables inside a transaction.
class ShopShipping {
 public:
  ShopShipping(store::Transaction& tx, std::int64_t shop_id) : tx_(tx), shop_id_(shop_id) {}

  Result<std::optional<Zone>> FindZone(std::int64_t zone_id) {
    PLAZA_ASSIGN_OR_RETURN(auto row, tx_.QueryOne("SELECT id, shop_id, name, created_at, updated_at FROM "
                                                  "shipping_zones WHERE shop_id = ? AND id = ?",
                                                  {shop_id_, zone_id}));
    if (!row) return std::optional<Zone>();
    Zone zone = ZoneFromRow(*row);
    PLAZA_ASSIGN_OR_RETURN(zone.destinations, Destinations(zone.id));
    return std::optional<Zone>(std::move(zone));
  }

  Result<std::vector<Zone>> ListZones() {
    PLAZA_ASSIGN_OR_RETURN(auto result, tx_.Execute("SELECT id, shop_id, name, created_at, updated_at FROM "
                                                    "shipping_zones WHERE shop_id = ? ORDER BY id",
                                                    {shop_id_}));
    std::vector<Zone> zones;
    for (const store::Row& row : result.rows) {
      Zone zone = ZoneFromRow(row);
      PLAZA_ASSIGN_OR_RETURN(zone.destinations, Destinations(zone.id));
      zones.push_back(std::move(zone));
    }
    return zones;
  }

  Result<std::vector<Destination>> Destinations(std::int64_t zone_id) {
    PLAZA_ASSIGN_OR_RETURN(auto result, tx_.Execute("SELECT country, region FROM shipping_zone_destinations WHERE "
                                                    "shop_id = ? AND zone_id = ? ORDER BY country, region",
                                                    {shop_id_, zone_id}));
    std::vector<Destination> destinations;
    for (const store::Row& row : result.rows) destinations.push_back({row.Text(0), row.Text(1)});
    return destinations;
  }

  Status ReplaceDestinations(std::int64_t zone_id, const std::vector<Destination>& destinations) {
    PLAZA_TRY(
        tx_.Execute("DELETE FROM shipping_zone_destinations WHERE shop_id = ? AND zone_id = ?", {shop_id_, zone_id}));
    for (const Destination& destination : destinations) {
      auto inserted =
          tx_.Execute("INSERT INTO shipping_zone_destinations (shop_id, zone_id, country, region) VALUES (?, ?, ?, ?)",
                      {shop_id_, zone_id, destination.country, destination.region});
      if (!inserted.ok()) {
        if (!IsUniqueViolation(inserted.error())) return std::move(inserted).error();
        std::string name = destination.country;
        if (!destination.region.empty()) name += "-" + destination.region;
        return Error::Conflict("shipping/destination-taken", name + " already belongs to another shipping zone");
      }
    }
    return Ok();
  }

  // The zone for a destination: the one naming its region, else the one naming its
  // whole country.
  Result<std::optional<Zone>> ZoneFor(const Destination& destination) {
    PLAZA_ASSIGN_OR_RETURN(auto row, tx_.QueryOne("SELECT zone_id FROM shipping_zone_destinations WHERE shop_id = ? "
                                                  "AND country = ? AND region IN ('', ?) ORDER BY region DESC",
                                                  {shop_id_, destination.country, destination.region}));
    if (!row) return std::optional<Zone>();
    return FindZone(row->Int(0));
  }

  Result<std::vector<Rate>> Rates(std::int64_t zone_id) {
    PLAZA_ASSIGN_OR_RETURN(auto result, tx_.Execute("SELECT " + std::string(kRateColumns) +
                                                        " FROM shipping_rates WHERE shop_id = ? AND zone_id = ? "
                                                        "ORDER BY id",
                                                    {shop_id_, zone_id}));
    std::vector<Rate> rates;
    for (const store::Row& row : result.rows) rates.push_back(RateFromRow(row));
    return rates;
  }

  Result<std::optional<Rate>> FindRate(std::int64_t rate_id) {
    PLAZA_ASSIGN_OR_RETURN(auto row, tx_.QueryOne("SELECT " + std::string(kRateColumns) +
                                                      " FROM shipping_rates WHERE shop_id = ? AND id = ?",
                                                  {shop_id_, rate_id}));
    if (!row) return std::optional<Rate>();
    return std::optional<Rate>(RateFromRow(*row));
  }

  Result<FulfilmentSettings> Settings() {
    PLAZA_ASSIGN_OR_RETURN(auto row, tx_.QueryOne("SELECT time_zone, processing_days, cutoff_minute, working_days "
                                                  "FROM shipping_settings WHERE shop_id = ?",
                                                  {shop_id_}));
    FulfilmentSettings settings;
    if (!row) return settings;
    settings.time_zone = row->Text(0);
    settings.processing_days = static_cast<int>(row->Int(1));
    settings.cutoff_minute = static_cast<int>(row->Int(2));
    const std::int64_t mask = row->Int(3);
    for (std::size_t i = 0; i < settings.working_days.size(); ++i) settings.working_days[i] = (mask >> i) & 1;
    return settings;
  }

  Result<std::vector<Holiday>> Holidays() {
    PLAZA_ASSIGN_OR_RETURN(auto result, tx_.Execute("SELECT id, shop_id, day, country, name FROM shipping_holidays "
                                                    "WHERE shop_id = ? ORDER BY day, country",
                                                    {shop_id_}));
    std::vector<Holiday> holidays;
    for (const store::Row& row : result.rows) {
      holidays.push_back({row.Int(0), row.Int(1), row.Text(2), row.Text(3), row.Text(4)});
    }
    return holidays;
  }

  Result<std::int64_t> Count(std::string_view table, std::string_view extra = {}, std::int64_t extra_id = 0) {
    std::string sql = "SELECT COUNT(*) FROM " + std::string(table) + " WHERE shop_id = ?";
    if (!extra.empty()) sql += " AND " + std::string(extra) + " = ?";
    PLAZA_ASSIGN_OR_RETURN(auto row,
                           extra.empty() ? tx_.QueryOne(sql, {shop_id_}) : tx_.QueryOne(sql, {shop_id_, extra_id}));
    return row ? row->Int(0) : 0;
  }

 private:
  static Zone ZoneFromRow(const store::Row& row) {
    Zone zone;
    zone.id = row.Int(0);
    zone.shop_id = row.Int(1);
    zone.name = row.Text(2);
    zone.created_at = FromUnixMillis(row.Int(3));
    zone.updated_at = FromUnixMillis(row.Int(4));
    return zone;
  }

  store::Transaction& tx_;
  std::int64_t shop_id_;
};

Status ValidateHoliday(const HolidayInput& input) {
  PLAZA_TRY(ParseIsoDate(input.date, "/date"));
  if (!input.country.empty()) PLAZA_TRY(ValidateCountry(input.country, "/country"));
  if (input.name.size() > kMaxNameLength) {
    return Error::Invalid("validation/length", "the name is too long", "/name");
  }
  return Ok();
}

Status ValidateRequest(const ShippingRequest& request) {
  PLAZA_TRY(ValidateDestination(request.destination, "/destination"));
  if (auto currency = FindCurrency(request.currency); !currency.ok()) {
    Error error = std::move(currency).error();
    error.field = "/currency";
    return error;
  }
  if (request.subtotal_minor < 0) {
    return Error::Invalid("validation/range", "the subtotal cannot be negative", "/subtotal_minor");
  }
  if (request.weight_grams < 0) {
    return Error::Invalid("validation/range", "the weight cannot be negative", "/weight_grams");
  }
  if (request.preorder_arrival) PLAZA_TRY(ParseIsoDate(*request.preorder_arrival, "/preorder_arrival"));
  return Ok();
}

}  // namespace

std::string_view RateKindName(RateKind kind) {
  switch (kind) {
    case RateKind::kFlat:
      return "flat";
    case RateKind::kWeight:
      return "weight";
    case RateKind::kPrice:
      return "price";
    case RateKind::kFreeOver:
      return "free_over";
  }
  return "flat";
}

std::optional<RateKind> ParseRateKind(std::string_view name) {
  for (RateKind kind : {RateKind::kFlat, RateKind::kWeight, RateKind::kPrice, RateKind::kFreeOver}) {
    if (RateKindName(kind) == name) return kind;
  }
  return std::nullopt;
}

Status ValidateRate(const RateInput& rate) {
  PLAZA_TRY(ValidateName(rate.name, "/name"));
  if (auto currency = FindCurrency(rate.currency); !currency.ok()) {
    Error error = std::move(currency).error();
    error.field = "/currency";
    return error;
  }
  if (rate.price_minor < 0) return Error::Invalid("validation/range", "the price cannot be negative", "/price_minor");
  if (rate.min_value < 0) return Error::Invalid("validation/range", "the bound cannot be negative", "/min_value");
  if (rate.max_value) {
    if (rate.kind != RateKind::kWeight && rate.kind != RateKind::kPrice) {
      return Error::Invalid("validation/unexpected", "only weight and price brackets have an upper bound",
                            "/max_value");
    }
    if (*rate.max_value <= rate.min_value) {
      return Error::Invalid("validation/range", "the upper bound must be above the lower bound", "/max_value");
    }
  }
  if (rate.kind == RateKind::kFlat && rate.min_value != 0) {
    return Error::Invalid("validation/unexpected", "a flat rate has no bounds", "/min_value");
  }
  if (rate.transit_min_days < 0 || rate.transit_min_days > kMaxTransitDays) {
    return Error::Invalid("validation/range", "transit days are between 0 and " + std::to_string(kMaxTransitDays),
                          "/transit_min_days");
  }
  if (rate.transit_max_days < rate.transit_min_days || rate.transit_max_days > kMaxTransitDays) {
    return Error::Invalid("validation/range",
                          "the longest transit is at least the shortest and at most " + std::to_string(kMaxTransitDays),
                          "/transit_max_days");
  }
  return Ok();
}

std::optional<std::int64_t> RatePrice(const Rate& rate, std::int64_t subtotal_minor, std::int64_t weight_grams) {
  const auto in_bracket = [&](std::int64_t value) {
    return value >= rate.min_value && (!rate.max_value || value < *rate.max_value);
  };
  switch (rate.kind) {
    case RateKind::kFlat:
      return rate.price_minor;
    case RateKind::kWeight:
      if (!in_bracket(weight_grams)) return std::nullopt;
      return rate.price_minor;
    case RateKind::kPrice:
      if (!in_bracket(subtotal_minor)) return std::nullopt;
      return rate.price_minor;
    case RateKind::kFreeOver:
      return subtotal_minor >= rate.min_value ? 0 : rate.price_minor;
  }
  return std::nullopt;
}

ShippingService::ShippingService(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

Result<Zone> ShippingService::CreateZone(std::int64_t shop_id, const ZoneInput& input) {
  PLAZA_ASSIGN_OR_RETURN(auto destinations, CanonicalDestinations(input));
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Result<Zone> {
    ShopShipping shipping(tx, shop_id);
    PLAZA_ASSIGN_OR_RETURN(const std::int64_t count, shipping.Count("shipping_zones"));
    if (count >= kMaxZonesPerShop) {
      return Error::Conflict("shipping/too-many-zones",
                             "a shop can have at most " + std::to_string(kMaxZonesPerShop) + " shipping zones");
    }
    PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("INSERT INTO shipping_zones (shop_id, name, created_at, updated_at) "
                                                 "VALUES (?, ?, ?, ?) RETURNING id",
                                                 {shop_id, input.name, ToUnixMillis(now), ToUnixMillis(now)}));
    if (!row) return Error::Internal("the new zone has no id");
    PLAZA_TRY(shipping.ReplaceDestinations(row->Int(0), destinations));
    return Zone{row->Int(0), shop_id, input.name, destinations, now, now};
  });
}

Result<std::vector<Zone>> ShippingService::ListZones(std::int64_t shop_id) {
  return db_.Read([&](store::Transaction& tx) { return ShopShipping(tx, shop_id).ListZones(); });
}

Result<Zone> ShippingService::GetZone(std::int64_t shop_id, std::int64_t zone_id) {
  return db_.Read([&](store::Transaction& tx) -> Result<Zone> {
    PLAZA_ASSIGN_OR_RETURN(auto zone, ShopShipping(tx, shop_id).FindZone(zone_id));
    if (!zone) return ZoneNotFound();
    return std::move(*zone);
  });
}

Result<Zone> ShippingService::UpdateZone(std::int64_t shop_id, std::int64_t zone_id, const ZoneInput& input) {
  PLAZA_ASSIGN_OR_RETURN(auto destinations, CanonicalDestinations(input));
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Result<Zone> {
    ShopShipping shipping(tx, shop_id);
    PLAZA_ASSIGN_OR_RETURN(auto zone, shipping.FindZone(zone_id));
    if (!zone) return ZoneNotFound();
    PLAZA_TRY(tx.Execute("UPDATE shipping_zones SET name = ?, updated_at = ? WHERE shop_id = ? AND id = ?",
                         {input.name, ToUnixMillis(now), shop_id, zone_id}));
    PLAZA_TRY(shipping.ReplaceDestinations(zone_id, destinations));
    zone->name = input.name;
    zone->destinations = destinations;
    zone->updated_at = now;
    return std::move(*zone);
  });
}

Status ShippingService::DeleteZone(std::int64_t shop_id, std::int64_t zone_id) {
  return db_.Write([&](store::Transaction& tx) -> Status {
    // Children first: the foreign keys cascade, but not every connection may have them on.
    PLAZA_TRY(tx.Execute("DELETE FROM shipping_rates WHERE shop_id = ? AND zone_id = ?", {shop_id, zone_id}));
    PLAZA_TRY(
        tx.Execute("DELETE FROM shipping_zone_destinations WHERE shop_id = ? AND zone_id = ?", {shop_id, zone_id}));
    PLAZA_ASSIGN_OR_RETURN(auto deleted,
                           tx.Execute("DELETE FROM shipping_zones WHERE shop_id = ? AND id = ?", {shop_id, zone_id}));
    if (deleted.affected_rows == 0) return ZoneNotFound();
    return Ok();
  });
}

Result<Rate> ShippingService::CreateRate(std::int64_t shop_id, std::int64_t zone_id, const RateInput& input) {
  PLAZA_TRY(ValidateRate(input));
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Result<Rate> {
    ShopShipping shipping(tx, shop_id);
    PLAZA_ASSIGN_OR_RETURN(auto zone, shipping.FindZone(zone_id));
    if (!zone) return ZoneNotFound();
    PLAZA_ASSIGN_OR_RETURN(const std::int64_t count, shipping.Count("shipping_rates", "zone_id", zone_id));
    if (count >= kMaxRatesPerZone) {
      return Error::Conflict("shipping/too-many-rates",
                             "a zone can have at most " + std::to_string(kMaxRatesPerZone) + " rates");
    }
    PLAZA_ASSIGN_OR_RETURN(
        auto row,
        tx.QueryOne(
            "INSERT INTO shipping_rates (shop_id, zone_id, name, kind, currency, price_minor, min_value, "
            "max_value, transit_min_days, transit_max_days, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, "
            "?, ?, ?, ?, ?, ?) RETURNING " +
                std::string(kRateColumns),
            {shop_id, zone_id, input.name, RateKindName(input.kind), input.currency, input.price_minor, input.min_value,
             input.max_value, input.transit_min_days, input.transit_max_days, ToUnixMillis(now), ToUnixMillis(now)}));
    if (!row) return Error::Internal("the new rate was not returned");
    return RateFromRow(*row);
  });
}

Result<std::vector<Rate>> ShippingService::ListRates(std::int64_t shop_id, std::int64_t zone_id) {
  return db_.Read([&](store::Transaction& tx) -> Result<std::vector<Rate>> {
    ShopShipping shipping(tx, shop_id);
    PLAZA_ASSIGN_OR_RETURN(auto zone, shipping.FindZone(zone_id));
    if (!zone) return ZoneNotFound();
    return shipping.Rates(zone_id);
  });
}

Result<Rate> ShippingService::GetRate(std::int64_t shop_id, std::int64_t rate_id) {
  return db_.Read([&](store::Transaction& tx) -> Result<Rate> {
    PLAZA_ASSIGN_OR_RETURN(auto rate, ShopShipping(tx, shop_id).FindRate(rate_id));
    if (!rate) return RateNotFound();
    return std::move(*rate);
  });
}

Result<Rate> ShippingService::UpdateRate(std::int64_t shop_id, std::int64_t rate_id, const RateInput& input) {
  PLAZA_TRY(ValidateRate(input));
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Result<Rate> {
    PLAZA_ASSIGN_OR_RETURN(
        auto row,
        tx.QueryOne(
            "UPDATE shipping_rates SET name = ?, kind = ?, currency = ?, price_minor = ?, min_value = ?, "
            "max_value = ?, transit_min_days = ?, transit_max_days = ?, updated_at = ? WHERE shop_id = ? AND "
            "id = ? RETURNING " +
                std::string(kRateColumns),
            {input.name, RateKindName(input.kind), input.currency, input.price_minor, input.min_value, input.max_value,
             input.transit_min_days, input.transit_max_days, ToUnixMillis(now), shop_id, rate_id}));
    if (!row) return RateNotFound();
    return RateFromRow(*row);
  });
}

Status ShippingService::DeleteRate(std::int64_t shop_id, std::int64_t rate_id) {
  return db_.Write([&](store::Transaction& tx) -> Status {
    PLAZA_ASSIGN_OR_RETURN(auto deleted,
                           tx.Execute("DELETE FROM shipping_rates WHERE shop_id = ? AND id = ?", {shop_id, rate_id}));
    if (deleted.affected_rows == 0) return RateNotFound();
    return Ok();
  });
}

Result<FulfilmentSettings> ShippingService::GetSettings(std::int64_t shop_id) {
  return db_.Read([&](store::Transaction& tx) { return ShopShipping(tx, shop_id).Settings(); });
}

Result<FulfilmentSettings> ShippingService::PutSettings(std::int64_t shop_id, const FulfilmentSettings& settings) {
  PLAZA_TRY(ValidateFulfilmentSettings(settings));
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Result<FulfilmentSettings> {
    PLAZA_TRY(tx.Execute(
        "INSERT INTO shipping_settings (shop_id, time_zone, processing_days, cutoff_minute, working_days, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (shop_id) DO UPDATE SET time_zone = excluded.time_zone, "
        "processing_days = excluded.processing_days, cutoff_minute = excluded.cutoff_minute, working_days = "
        "excluded.working_days, updated_at = excluded.updated_at",
        {shop_id, settings.time_zone, settings.processing_days, settings.cutoff_minute, WorkingDaysMask(settings),
         ToUnixMillis(now)}));
    return settings;
  });
}

Result<Holiday> ShippingService::AddHoliday(std::int64_t shop_id, const HolidayInput& input) {
  PLAZA_TRY(ValidateHoliday(input));
  return db_.Write([&](store::Transaction& tx) -> Result<Holiday> {
    PLAZA_ASSIGN_OR_RETURN(const std::int64_t count, ShopShipping(tx, shop_id).Count("shipping_holidays"));
    if (count >= kMaxHolidaysPerShop) {
      return Error::Conflict("shipping/too-many-holidays",
                             "a shop can have at most " + std::to_string(kMaxHolidaysPerShop) + " holidays");
    }
    auto row = tx.QueryOne(
        "INSERT INTO shipping_holidays (shop_id, day, country, name) VALUES (?, ?, ?, ?) "
        "RETURNING id",
        {shop_id, input.date, input.country, input.name});
    if (!row.ok()) {
      if (IsUniqueViolation(row.error())) {
        return Error::Conflict("shipping/duplicate-holiday", "this holiday is already in the calendar");
      }
      return std::move(row).error();
    }
    if (!*row) return Error::Internal("the new holiday has no id");
    return Holiday{(*row)->Int(0), shop_id, input.date, input.country, input.name};
  });
}

Result<std::vector<Holiday>> ShippingService::ListHolidays(std::int64_t shop_id) {
  return db_.Read([&](store::Transaction& tx) { return ShopShipping(tx, shop_id).Holidays(); });
}

Status ShippingService::DeleteHoliday(std::int64_t shop_id, std::int64_t holiday_id) {
  return db_.Write([&](store::Transaction& tx) -> Status {
    PLAZA_ASSIGN_OR_RETURN(
        auto deleted, tx.Execute("DELETE FROM shipping_holidays WHERE shop_id = ? AND id = ?", {shop_id, holiday_id}));
    if (deleted.affected_rows == 0) return Error::NotFound("no such holiday");
    return Ok();
  });
}

Result<ShippingQuote> ShippingService::Quote(store::Transaction& tx, std::int64_t shop_id,
                                             const ShippingRequest& request, TimePoint now) {
  PLAZA_TRY(ValidateRequest(request));
  const auto no_rate = [&](std::string detail) {
    return Error::Invalid("shipping/no-rate-for-destination", std::move(detail), "/destination");
  };
  ShopShipping shipping(tx, shop_id);
  PLAZA_ASSIGN_OR_RETURN(auto zone, shipping.ZoneFor(request.destination));
  if (!zone) return no_rate("the shop does not ship to " + request.destination.country);
  PLAZA_ASSIGN_OR_RETURN(auto rates, shipping.Rates(zone->id));

  PromiseInput promise_input;
  PLAZA_ASSIGN_OR_RETURN(promise_input.settings, shipping.Settings());
  PLAZA_ASSIGN_OR_RETURN(auto holidays, shipping.Holidays());
  for (const Holiday& holiday : holidays) {
    PLAZA_ASSIGN_OR_RETURN(const Date date, ParseIsoDate(holiday.date));
    if (holiday.country.empty()) {
      promise_input.shop_holidays.push_back(date);
    } else if (holiday.country == request.destination.country) {
      promise_input.carrier_holidays.push_back(date);
    }
  }
  if (request.preorder_arrival) {
    PLAZA_ASSIGN_OR_RETURN(promise_input.preorder_arrival, ParseIsoDate(*request.preorder_arrival));
  }
  promise_input.now = now;

  ShippingQuote quote{zone->id, zone->name, {}};
  for (const Rate& rate : rates) {
    if (rate.currency != request.currency) continue;
    const std::optional<std::int64_t> price = RatePrice(rate, request.subtotal_minor, request.weight_grams);
    if (!price) continue;
    promise_input.transit_min_days = rate.transit_min_days;
    promise_input.transit_max_days = rate.transit_max_days;
    PLAZA_ASSIGN_OR_RETURN(DeliveryPromise promise, ComputeDeliveryPromise(promise_input));
    quote.options.push_back(ShippingOption{rate.id, rate.name, Money{*price, rate.currency}, rate.transit_min_days,
                                           rate.transit_max_days, std::move(promise)});
  }
  if (quote.options.empty()) {
    return no_rate("no rate of zone \"" + zone->name + "\" applies to this cart in " + request.currency);
  }
  std::sort(quote.options.begin(), quote.options.end(), [](const ShippingOption& a, const ShippingOption& b) {
    return std::tie(a.price.minor, a.transit_max_days, a.transit_min_days, a.rate_id) <
           std::tie(b.price.minor, b.transit_max_days, b.transit_min_days, b.rate_id);
  });
  return quote;
}

Result<ShippingQuote> ShippingService::Quote(std::int64_t shop_id, const ShippingRequest& request, TimePoint now) {
  return db_.Read([&](store::Transaction& tx) { return Quote(tx, shop_id, request, now); });
}

Result<ShippingQuote> ShippingService::Quote(std::int64_t shop_id, const ShippingRequest& request) {
  return Quote(shop_id, request, clock_.Now());
}

}  // namespace plaza::shipping
