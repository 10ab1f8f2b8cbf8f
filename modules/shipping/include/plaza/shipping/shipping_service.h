#pragma once
// Shipping zones, their rates, a shop's fulfilment settings and holidays, and Quote():
// the shipping options for a cart and a destination, each with its price and its
// delivery promise (delivery_promise.h). docs/shipping.md describes the rules.
//
// Zones: a shop groups destinations (a country, or one subdivision of it) into zones; a
// destination belongs to at most one zone of a shop. For a destination, the zone naming
// its subdivision wins over the zone naming its whole country.
//
// Tenant isolation: every function takes the acting shop and every query filters by it;
// another shop's zone, rate or holiday is reported as not found.
//
// Thread-safety: a ShippingService may be used from any number of threads.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plaza/core/clock.h"
#include "plaza/core/money.h"
#include "plaza/core/result.h"
#include "plaza/shipping/delivery_promise.h"
#include "plaza/store/database.h"

namespace plaza::shipping {

// Bounds on what one shop can configure, so a quote reads a small, bounded set of rows.
inline constexpr int kMaxZonesPerShop = 100;
inline constexpr std::size_t kMaxDestinationsPerZone = 300;
inline constexpr int kMaxRatesPerZone = 50;
inline constexpr int kMaxHolidaysPerShop = 1000;
inline constexpr std::size_t kMaxNameLength = 100;

// Where a parcel goes. `country` is ISO 3166-1 alpha-2 ("FR"); `region` the ISO 3166-2
// subdivision code without the country prefix ("CA" for US-CA), or empty for the whole
// country.
struct Destination {
  std::string country;
  std::string region{};

  friend bool operator==(const Destination&, const Destination&) = default;
};

struct Zone {
  std::int64_t id = 0;
  std::int64_t shop_id = 0;
  std::string name{};
  std::vector<Destination> destinations{};  // sorted by country, then region
  TimePoint created_at{};
  TimePoint updated_at{};
};

struct ZoneInput {
  std::string name{};
  std::vector<Destination> destinations{};  // at least one
};

// How a rate decides whether it applies and what it costs.
enum class RateKind {
  kFlat,      // always applies; costs `price_minor`
  kWeight,    // applies when min_value <= cart grams < max_value (max absent: no upper bound)
  kPrice,     // applies when min_value <= subtotal minor < max_value
  kFreeOver,  // always applies; costs `price_minor` below `min_value` (subtotal), nothing at or above
};
std::string_view RateKindName(RateKind kind);  // "flat", "weight", "price", "free_over"
std::optional<RateKind> ParseRateKind(std::string_view name);

struct Rate {
  std::int64_t id = 0;
  std::int64_t shop_id = 0;
  std::int64_t zone_id = 0;
  std::string name{};  // "Standard", "Express"
  RateKind kind = RateKind::kFlat;
  std::string currency{};  // ISO 4217; a rate only quotes carts in its currency
  std::int64_t price_minor = 0;
  std::int64_t min_value = 0;               // grams, subtotal minor units, or the free-over threshold
  std::optional<std::int64_t> max_value{};  // exclusive upper bound of a bracket
  int transit_min_days = 0;                 // carrier days, see delivery_promise.h
  int transit_max_days = 0;
  TimePoint created_at{};
  TimePoint updated_at{};
};

struct RateInput {
  std::string name{};
  RateKind kind = RateKind::kFlat;
  std::string currency{};
  std::int64_t price_minor = 0;
  std::int64_t min_value = 0;
  std::optional<std::int64_t> max_value{};
  int transit_min_days = 0;
  int transit_max_days = 0;
};

// Checks a rate on its own (fields "/name", "/currency", "/price_minor", "/min_value",
// "/max_value", "/transit_min_days", "/transit_max_days").
Status ValidateRate(const RateInput& rate);
// Whether `rate` applies to a cart, and its price when it does.
std::optional<std::int64_t> RatePrice(const Rate& rate, std::int64_t subtotal_minor, std::int64_t weight_grams);

struct Holiday {
  std::int64_t id = 0;
  std::int64_t shop_id = 0;
  std::string date{};     // "2026-12-25"
  std::string country{};  // empty: shop-wide; "DE": a carrier holiday for parcels to DE
  std::string name{};
};

struct HolidayInput {
  std::string date{};
  std::string country{};
  std::string name{};
};

// What a cart needs shipped.
struct ShippingRequest {
  Destination destination{};
  std::string currency{};  // the market currency of the cart
  std::int64_t subtotal_minor = 0;
  std::int64_t weight_grams = 0;
  // Set when some line is a pre-order: the date its stock arrives ("2026-12-10").
  std::optional<std::string> preorder_arrival{};
};

struct ShippingOption {
  std::int64_t rate_id = 0;
  std::string name{};
  Money price{};
  int transit_min_days = 0;
  int transit_max_days = 0;
  DeliveryPromise promise{};
};

struct ShippingQuote {
  std::int64_t zone_id = 0;
  std::string zone_name{};
  std::vector<ShippingOption> options{};  // cheapest first, then fastest, then by rate id
};

class ShippingService {
 public:
  // `db` and `clock` must outlive the service.
  ShippingService(store::Database& db, const Clock& clock);

  // Zones. Errors: "validation/…" with field pointers; "shipping/destination-taken"
  // (kConflict) when another zone of the shop already has a destination;
  // "shipping/too-many-zones".
  Result<Zone> CreateZone(std::int64_t shop_id, const ZoneInput& input);
  Result<std::vector<Zone>> ListZones(std::int64_t shop_id);
  Result<Zone> GetZone(std::int64_t shop_id, std::int64_t zone_id);
  // Replaces the name and the destinations.
  Result<Zone> UpdateZone(std::int64_t shop_id, std::int64_t zone_id, const ZoneInput& input);
  // Deletes the zone and its rates.
  Status DeleteZone(std::int64_t shop_id, std::int64_t zone_id);

  // Rates of a zone. "shipping/too-many-rates" past kMaxRatesPerZone.
  Result<Rate> CreateRate(std::int64_t shop_id, std::int64_t zone_id, const RateInput& input);
  Result<std::vector<Rate>> ListRates(std::int64_t shop_id, std::int64_t zone_id);
  Result<Rate> GetRate(std::int64_t shop_id, std::int64_t rate_id);
  Result<Rate> UpdateRate(std::int64_t shop_id, std::int64_t rate_id, const RateInput& input);
  Status DeleteRate(std::int64_t shop_id, std::int64_t rate_id);

  // Fulfilment settings; a shop that never saved any has the defaults.
  Result<FulfilmentSettings> GetSettings(std::int64_t shop_id);
  Result<FulfilmentSettings> PutSettings(std::int64_t shop_id, const FulfilmentSettings& settings);

  // Holidays, by date. "shipping/duplicate-holiday" (kConflict) for the same date and
  // country twice.
  Result<Holiday> AddHoliday(std::int64_t shop_id, const HolidayInput& input);
  Result<std::vector<Holiday>> ListHolidays(std::int64_t shop_id);
  Status DeleteHoliday(std::int64_t shop_id, std::int64_t holiday_id);

  // The options for `request` at `now`. Errors: "shipping/no-rate-for-destination"
  // (kInvalidArgument, field "/destination") when no zone covers the destination or no
  // rate of its zone applies to the cart in its currency; "validation/…" for a bad
  // request. The Transaction form reads inside the caller's transaction (checkout).
  Result<ShippingQuote> Quote(store::Transaction& tx, std::int64_t shop_id, const ShippingRequest& request,
                              TimePoint now);
  Result<ShippingQuote> Quote(std::int64_t shop_id, const ShippingRequest& request, TimePoint now);
  // Quote at the service clock's now.
  Result<ShippingQuote> Quote(std::int64_t shop_id, const ShippingRequest& request);

 private:
  store::Database& db_;
  const Clock& clock_;
};

}  // namespace plaza::shipping
