// Shipping zones, rates, fulfilment settings and holidays for staff, and the storefront's
// quote: the options and delivery promises for a destination and a cart summary. Every
// promise comes from shipping::ShippingService::Quote.

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "plaza/shipping/shipping_service.h"
#include "routes.h"

namespace plaza::api {
namespace {

using http::JsonReader;
using http::Request;
using http::Response;

constexpr std::array<std::string_view, 7> kWeekdays = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
// Bounds for numbers a client sends; far above any real cart, far below overflow.
constexpr std::int64_t kMaxAmount = 1'000'000'000'000;
constexpr std::int64_t kMaxGrams = 100'000'000;

Status MayRead(const Request& request) {
  return identity::Authorize(Caller(request), ShopOf(request), identity::Permission::kOrdersRead);
}
Status MayWrite(const Request& request) {
  return identity::Authorize(Caller(request), ShopOf(request), identity::Permission::kShippingWrite);
}

boost::json::object Encode(const shipping::Zone& zone) {
  boost::json::array destinations;
  for (const auto& destination : zone.destinations) {
    destinations.emplace_back(boost::json::object{{"country", destination.country}, {"region", destination.region}});
  }
  return {{"id", zone.id},
          {"name", zone.name},
          {"destinations", destinations},
          {"created_at", FormatRfc3339(zone.created_at)},
          {"updated_at", FormatRfc3339(zone.updated_at)}};
}

boost::json::object Encode(const shipping::Rate& rate) {
  boost::json::object out{{"id", rate.id},
                          {"zone_id", rate.zone_id},
                          {"name", rate.name},
                          {"kind", shipping::RateKindName(rate.kind)},
                          {"currency", rate.currency},
                          {"price_minor", rate.price_minor},
                          {"min_value", rate.min_value},
                          {"max_value", nullptr},
                          {"transit_min_days", rate.transit_min_days},
                          {"transit_max_days", rate.transit_max_days},
                          {"created_at", FormatRfc3339(rate.created_at)},
                          {"updated_at", FormatRfc3339(rate.updated_at)}};
  if (rate.max_value) out["max_value"] = *rate.max_value;
  return out;
}

boost::json::object Encode(const shipping::Holiday& holiday) {
  return {{"id", holiday.id}, {"date", holiday.date}, {"country", holiday.country}, {"name", holiday.name}};
}

boost::json::object Encode(const shipping::FulfilmentSettings& settings) {
  boost::json::array working_days;
  for (std::size_t i = 0; i < kWeekdays.size(); ++i) {
    if (settings.working_days[i]) working_days.emplace_back(kWeekdays[i]);
  }
  char cutoff[16];
  std::snprintf(cutoff, sizeof(cutoff), "%02d:%02d", settings.cutoff_minute / 60, settings.cutoff_minute % 60);
  return {{"time_zone", settings.time_zone},
          {"processing_days", settings.processing_days},
          {"cutoff_time", cutoff},
          {"working_days", working_days}};
}

boost::json::object Encode(const shipping::ShippingQuote& quote) {
  boost::json::array options;
  for (const auto& option : quote.options) {
    options.emplace_back(
        boost::json::object{{"rate_id", option.rate_id},
                            {"name", option.name},
                            {"price", {{"minor", option.price.minor}, {"currency", option.price.currency}}},
                            {"transit_min_days", option.transit_min_days},
                            {"transit_max_days", option.transit_max_days},
                            {"promise",
                             {{"earliest", option.promise.earliest},
                              {"latest", option.promise.latest},
                              {"ships_on", option.promise.ships_on},
                              {"text", option.promise.text}}}});
  }
  return {{"zone", {{"id", quote.zone_id}, {"name", quote.zone_name}}}, {"options", options}};
}

template <typename T>
boost::json::array EncodeList(const std::vector<T>& items) {
  boost::json::array out;
  for (const T& item : items) out.emplace_back(Encode(item));
  return out;
}

Result<shipping::ZoneInput> ReadZone(const Request& request) {
  PLAZA_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(request));
  JsonReader reader(body);
  PLAZA_TRY(reader.AllowOnly({"name", "destinations"}));
  shipping::ZoneInput input;
  PLAZA_ASSIGN_OR_RETURN(input.name,
                         reader.RequiredString("name", {.min_length = 1, .max_length = shipping::kMaxNameLength}));
  PLAZA_ASSIGN_OR_RETURN(const boost::json::array* destinations,
                         reader.RequiredArray("destinations", shipping::kMaxDestinationsPerZone));
  for (std::size_t i = 0; i < destinations->size(); ++i) {
    const std::string pointer = reader.PointerTo("destinations") + "/" + std::to_string(i);
    const auto* object = (*destinations)[i].if_object();
    if (object == nullptr) return Error::Invalid("validation/type", "expected an object", pointer);
    JsonReader item(*object, pointer);
    PLAZA_TRY(item.AllowOnly({"country", "region"}));
    shipping::Destination destination;
    PLAZA_ASSIGN_OR_RETURN(destination.country, item.RequiredString("country", {.max_length = 2}));
    PLAZA_ASSIGN_OR_RETURN(auto region, item.OptionalString("region", {.max_length = 3}));
    destination.region = region.value_or("");
    input.destinations.push_back(std::move(destination));
  }
  return input;
}

Result<shipping::RateInput> ReadRate(const Request& request) {
  PLAZA_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(request));
  JsonReader reader(body);
  PLAZA_TRY(reader.AllowOnly(
      {"name", "kind", "currency", "price_minor", "min_value", "max_value", "transit_min_days", "transit_max_days"}));
  shipping::RateInput input;
  PLAZA_ASSIGN_OR_RETURN(input.name,
                         reader.RequiredString("name", {.min_length = 1, .max_length = shipping::kMaxNameLength}));
  PLAZA_ASSIGN_OR_RETURN(std::string kind, reader.RequiredString("kind", {.max_length = 16}));
  const auto parsed = shipping::ParseRateKind(kind);
  if (!parsed) return Error::Invalid("validation/enum", "kind is flat, weight, price or free_over", "/kind");
  input.kind = *parsed;
  PLAZA_ASSIGN_OR_RETURN(input.currency, reader.RequiredString("currency", {.min_length = 3, .max_length = 3}));
  PLAZA_ASSIGN_OR_RETURN(input.price_minor, reader.RequiredInt64("price_minor", 0, kMaxAmount));
  PLAZA_ASSIGN_OR_RETURN(auto min_value, reader.OptionalInt64("min_value", 0, kMaxAmount));
  input.min_value = min_value.value_or(0);
  PLAZA_ASSIGN_OR_RETURN(input.max_value, reader.OptionalInt64("max_value", 1, kMaxAmount));
  PLAZA_ASSIGN_OR_RETURN(const std::int64_t transit_min,
                         reader.RequiredInt64("transit_min_days", 0, shipping::kMaxTransitDays));
  PLAZA_ASSIGN_OR_RETURN(const std::int64_t transit_max,
                         reader.RequiredInt64("transit_max_days", 0, shipping::kMaxTransitDays));
  input.transit_min_days = static_cast<int>(transit_min);
  input.transit_max_days = static_cast<int>(transit_max);
  return input;
}

Result<shipping::FulfilmentSettings> ReadSettings(const Request& request) {
  PLAZA_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(request));
  JsonReader reader(body);
  PLAZA_TRY(reader.AllowOnly({"time_zone", "processing_days", "cutoff_time", "working_days"}));
  shipping::FulfilmentSettings settings;
  PLAZA_ASSIGN_OR_RETURN(settings.time_zone, reader.RequiredString("time_zone", {.min_length = 1, .max_length = 64}));
  PLAZA_ASSIGN_OR_RETURN(const std::int64_t processing,
                         reader.RequiredInt64("processing_days", 0, shipping::kMaxProcessingDays));
  settings.processing_days = static_cast<int>(processing);
  PLAZA_ASSIGN_OR_RETURN(std::string cutoff, reader.RequiredString("cutoff_time", {.max_length = 5}));
  const auto digit = [&](std::size_t i) { return cutoff[i] >= '0' && cutoff[i] <= '9'; };
  if (cutoff.size() != 5 || cutoff[2] != ':' || !digit(0) || !digit(1) || !digit(3) || !digit(4)) {
    return Error::Invalid("validation/format", "cutoff_time is a time of day such as \"14:00\"", "/cutoff_time");
  }
  const int hours = (cutoff[0] - '0') * 10 + (cutoff[1] - '0');
  const int minutes = (cutoff[3] - '0') * 10 + (cutoff[4] - '0');
  if (hours > 23 || minutes > 59) {
    return Error::Invalid("validation/format", "cutoff_time is a time of day such as \"14:00\"", "/cutoff_time");
  }
  settings.cutoff_minute = hours * 60 + minutes;
  PLAZA_ASSIGN_OR_RETURN(std::vector<std::string> days, ReadStringArray(reader, "working_days", kWeekdays.size()));
  settings.working_days = {};
  for (std::size_t i = 0; i < days.size(); ++i) {
    const auto found = std::find(kWeekdays.begin(), kWeekdays.end(), days[i]);
    if (found == kWeekdays.end()) {
      return Error::Invalid("validation/enum", "working days are mon, tue, wed, thu, fri, sat, sun",
                            "/working_days/" + std::to_string(i));
    }
    settings.working_days[static_cast<std::size_t>(found - kWeekdays.begin())] = true;
  }
  return settings;
}

Result<shipping::ShippingRequest> ReadQuoteQuery(const Request& request) {
  shipping::ShippingRequest cart;
  const auto text = [&](std::string_view name) { return std::string(request.Query(name).value_or("")); };
  const auto integer = [&](std::string_view name, std::int64_t max) -> Result<std::int64_t> {
    const std::string value = text(name);
    std::int64_t parsed = 0;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), parsed);
    if (value.empty() || error != std::errc() || end != value.data() + value.size() || parsed < 0 || parsed > max) {
      return Error::Invalid("validation/range",
                            std::string(name) + " must be a whole number from 0 to " + std::to_string(max),
                            std::string(name));
    }
    return parsed;
  };
  cart.destination.country = text("country");
  cart.destination.region = text("region");
  cart.currency = text("currency");
  PLAZA_ASSIGN_OR_RETURN(cart.subtotal_minor, integer("subtotal_minor", kMaxAmount));
  PLAZA_ASSIGN_OR_RETURN(cart.weight_grams, integer("weight_grams", kMaxGrams));
  if (auto preorder = request.Query("preorder_arrival")) cart.preorder_arrival = std::string(*preorder);
  return cart;
}

}  // namespace

void RegisterShippingStorefrontRoutes(http::RouteGroup shop, const ApiServices& services) {
  shop.Get("/shipping/quote", Handle([&services](Request& request) -> Result<Response> {
             PLAZA_ASSIGN_OR_RETURN(shipping::ShippingRequest cart, ReadQuoteQuery(request));
             PLAZA_ASSIGN_OR_RETURN(auto quote, services.shipping.Quote(ShopOf(request), cart));
             return Response::Json(Encode(quote));
           }));
}

void RegisterShippingRoutes(http::RouteGroup admin, const ApiServices& services) {
  admin.Get("/shipping/zones", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_TRY(MayRead(request));
              PLAZA_ASSIGN_OR_RETURN(auto zones, services.shipping.ListZones(ShopOf(request)));
              return Response::Json({{"zones", EncodeList(zones)}});
            }));
  admin.Post("/shipping/zones", Handle([&services](Request& request) -> Result<Response> {
               PLAZA_TRY(MayWrite(request));
               PLAZA_ASSIGN_OR_RETURN(auto input, ReadZone(request));
               PLAZA_ASSIGN_OR_RETURN(auto zone, services.shipping.CreateZone(ShopOf(request), input));
               return Response::Json(Encode(zone), 201);
             }));
  admin.Get("/shipping/zones/{id}", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_TRY(MayRead(request));
              PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
              PLAZA_ASSIGN_OR_RETURN(auto zone, services.shipping.GetZone(ShopOf(request), id));
              return Response::Json(Encode(zone));
            }));
  admin.Put("/shipping/zones/{id}", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_TRY(MayWrite(request));
              PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
              // Another shop's zone is 404 whatever the body says.
              PLAZA_TRY(services.shipping.GetZone(ShopOf(request), id));
              PLAZA_ASSIGN_OR_RETURN(auto input, ReadZone(request));
              PLAZA_ASSIGN_OR_RETURN(auto zone, services.shipping.UpdateZone(ShopOf(request), id, input));
              return Response::Json(Encode(zone));
            }));
  admin.Delete("/shipping/zones/{id}", Handle([&services](Request& request) -> Result<Response> {
                 PLAZA_TRY(MayWrite(request));
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
                 PLAZA_TRY(services.shipping.DeleteZone(ShopOf(request), id));
                 return Response::NoContent();
               }));
  admin.Get("/shipping/zones/{id}/rates", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_TRY(MayRead(request));
              PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
              PLAZA_ASSIGN_OR_RETURN(auto rates, services.shipping.ListRates(ShopOf(request), id));
              return Response::Json({{"rates", EncodeList(rates)}});
            }));
  admin.Post("/shipping/zones/{id}/rates", Handle([&services](Request& request) -> Result<Response> {
               PLAZA_TRY(MayWrite(request));
               PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
               PLAZA_TRY(services.shipping.GetZone(ShopOf(request), id));
               PLAZA_ASSIGN_OR_RETURN(auto input, ReadRate(request));
               PLAZA_ASSIGN_OR_RETURN(auto rate, services.shipping.CreateRate(ShopOf(request), id, input));
               return Response::Json(Encode(rate), 201);
             }));
  admin.Get("/shipping/rates/{id}", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_TRY(MayRead(request));
              PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
              PLAZA_ASSIGN_OR_RETURN(auto rate, services.shipping.GetRate(ShopOf(request), id));
              return Response::Json(Encode(rate));
            }));
  admin.Put("/shipping/rates/{id}", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_TRY(MayWrite(request));
              PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
              PLAZA_TRY(services.shipping.GetRate(ShopOf(request), id));
              PLAZA_ASSIGN_OR_RETURN(auto input, ReadRate(request));
              PLAZA_ASSIGN_OR_RETURN(auto rate, services.shipping.UpdateRate(ShopOf(request), id, input));
              return Response::Json(Encode(rate));
            }));
  admin.Delete("/shipping/rates/{id}", Handle([&services](Request& request) -> Result<Response> {
                 PLAZA_TRY(MayWrite(request));
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
                 PLAZA_TRY(services.shipping.DeleteRate(ShopOf(request), id));
                 return Response::NoContent();
               }));
  admin.Get("/shipping/settings", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_TRY(MayRead(request));
              PLAZA_ASSIGN_OR_RETURN(auto settings, services.shipping.GetSettings(ShopOf(request)));
              return Response::Json(Encode(settings));
            }));
  admin.Put("/shipping/settings", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_TRY(MayWrite(request));
              PLAZA_ASSIGN_OR_RETURN(auto input, ReadSettings(request));
              PLAZA_ASSIGN_OR_RETURN(auto settings, services.shipping.PutSettings(ShopOf(request), input));
              return Response::Json(Encode(settings));
            }));
  admin.Get("/shipping/holidays", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_TRY(MayRead(request));
              PLAZA_ASSIGN_OR_RETURN(auto holidays, services.shipping.ListHolidays(ShopOf(request)));
              return Response::Json({{"holidays", EncodeList(holidays)}});
            }));
  admin.Post("/shipping/holidays", Handle([&services](Request& request) -> Result<Response> {
               PLAZA_TRY(MayWrite(request));
               PLAZA_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(request));
               JsonReader reader(body);
               PLAZA_TRY(reader.AllowOnly({"date", "country", "name"}));
               shipping::HolidayInput input;
               PLAZA_ASSIGN_OR_RETURN(input.date, reader.RequiredString("date", {.max_length = 10}));
               PLAZA_ASSIGN_OR_RETURN(auto country, reader.OptionalString("country", {.max_length = 2}));
               input.country = country.value_or("");
               PLAZA_ASSIGN_OR_RETURN(auto name,
                                      reader.OptionalString("name", {.max_length = shipping::kMaxNameLength}));
               input.name = name.value_or("");
               PLAZA_ASSIGN_OR_RETURN(auto holiday, services.shipping.AddHoliday(ShopOf(request), input));
               return Response::Json(Encode(holiday), 201);
             }));
  admin.Delete("/shipping/holidays/{id}", Handle([&services](Request& request) -> Result<Response> {
                 PLAZA_TRY(MayWrite(request));
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
                 PLAZA_TRY(services.shipping.DeleteHoliday(ShopOf(request), id));
                 return Response::NoContent();
               }));
}

}  // namespace plaza::api
