// Inventory: locations, items and their levels, staff stock movements, channel buffers,
// pre-orders, variant composition, the ledger and availability. Reading needs
// catalog.read (whoever sees the catalogue may see its stock); changing needs
// inventory.manage. Routes naming an id load it first, so another shop's id answers 404
// before the body is read.

#include <charconv>

#include "plaza/http/json.h"
#include "plaza/inventory/inventory.h"
#include "routes.h"

namespace plaza::api {
namespace {

using http::JsonReader;
using http::Request;
using http::Response;
namespace inv = inventory;

Status MayRead(const Request& request) {
  return identity::Authorize(Caller(request), ShopOf(request), identity::Permission::kCatalogRead);
}

Status MayWrite(const Request& request) {
  return identity::Authorize(Caller(request), ShopOf(request), identity::Permission::kInventoryManage);
}

constexpr http::StringLimits kText{.min_length = 1, .max_length = inv::kMaxTextLength};

boost::json::object EncodeLocation(const inv::Location& location) {
  return {{"id", location.id},
          {"name", location.name},
          {"priority", location.priority},
          {"active", location.active},
          {"created_at", FormatRfc3339(location.created_at)},
          {"updated_at", FormatRfc3339(location.updated_at)}};
}

boost::json::object EncodeLevel(const inv::Level& level) {
  return {{"item_id", level.item_id},   {"location_id", level.location_id}, {"on_hand", level.on_hand},
          {"reserved", level.reserved}, {"committed", level.committed},     {"available", level.available()}};
}

boost::json::array EncodeLevels(const std::vector<inv::Level>& levels) {
  boost::json::array out;
  for (const inv::Level& level : levels) out.push_back(EncodeLevel(level));
  return out;
}

boost::json::object EncodeItem(const inv::Item& item) {
  boost::json::object out{{"id", item.id},
                          {"sku", item.sku},
                          {"allow_backorder", item.allow_backorder},
                          {"created_at", FormatRfc3339(item.created_at)},
                          {"updated_at", FormatRfc3339(item.updated_at)}};
  out["low_stock_threshold"] =
      item.low_stock_threshold ? boost::json::value(*item.low_stock_threshold) : boost::json::value(nullptr);
  if (item.preorder) {
    out["preorder"] = boost::json::object{
        {"arrival", FormatRfc3339(item.preorder->arrival)}, {"cap", item.preorder->cap}, {"used", item.preorder->used}};
  } else {
    out["preorder"] = nullptr;
  }
  return out;
}

boost::json::array EncodeChannels(const std::vector<inv::SalesChannel>& channels) {
  boost::json::array out;
  for (const inv::SalesChannel channel : channels) out.emplace_back(inv::ChannelName(channel));
  return out;
}

boost::json::object EncodeBuffer(const inv::Buffer& buffer) {
  return {{"id", buffer.id},
          {"item_id", buffer.item_id},
          {"channels", EncodeChannels(buffer.channels)},
          {"quantity", buffer.quantity}};
}

boost::json::object EncodeVariant(const inv::VariantStock& variant) {
  boost::json::array components;
  for (const inv::Component& component : variant.components) {
    components.push_back({{"item_id", component.item_id}, {"quantity", component.quantity}});
  }
  return {{"variant_id", variant.variant_id},
          {"components", std::move(components)},
          {"max_per_order",
           variant.max_per_order ? boost::json::value(*variant.max_per_order) : boost::json::value(nullptr)}};
}

boost::json::object EncodeEntry(const inv::LedgerEntry& entry) {
  return {{"id", entry.id},
          {"item_id", entry.item_id},
          {"location_id", entry.location_id ? boost::json::value(*entry.location_id) : boost::json::value(nullptr)},
          {"kind", inv::MovementKindName(entry.kind)},
          {"on_hand_delta", entry.on_hand_delta},
          {"reserved_delta", entry.reserved_delta},
          {"committed_delta", entry.committed_delta},
          {"preorder_delta", entry.preorder_delta},
          {"reason", entry.reason},
          {"actor", entry.actor},
          {"reservation_key", entry.reservation_key},
          {"at", FormatRfc3339(entry.at)}};
}

boost::json::object EncodeAvailability(const inv::Availability& availability) {
  boost::json::object out{{"variant_id", availability.variant_id},
                          {"state", inv::StockStateName(availability.state)},
                          {"available", availability.available}};
  if (availability.preorder_arrival) {
    out["preorder_arrival"] = FormatRfc3339(*availability.preorder_arrival);
    out["preorder_remaining"] = availability.preorder_remaining;
  }
  if (availability.max_per_order) out["max_per_order"] = *availability.max_per_order;
  return out;
}

Result<std::optional<std::int64_t>> OptionalIdQuery(const Request& request, std::string_view name) {
  const auto text = request.Query(name);
  if (!text) return std::optional<std::int64_t>();
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (error != std::errc() || end != text->data() + text->size() || value <= 0) {
    return Error::Invalid("validation/range", std::string(name) + " must be a positive id", std::string(name));
  }
  return std::optional<std::int64_t>(value);
}

Result<int> PageLimit(const Request& request, int maximum) {
  PLAZA_ASSIGN_OR_RETURN(auto limit, OptionalIdQuery(request, "limit"));
  if (!limit) return 50;
  if (*limit > maximum) {
    return Error::Invalid("validation/range", "limit must be between 1 and " + std::to_string(maximum), "limit");
  }
  return static_cast<int>(*limit);
}

// "online_store", the default, when absent.
Result<inv::SalesChannel> ChannelQuery(const Request& request) {
  const auto text = request.Query("channel");
  if (!text) return inv::SalesChannel::kOnlineStore;
  auto channel = inv::ParseChannel(*text);
  if (!channel) return Error::Invalid("inventory/unknown-channel", "unknown sales channel", "channel");
  return *channel;
}

Result<std::vector<inv::SalesChannel>> ReadChannels(const JsonReader& reader) {
  PLAZA_ASSIGN_OR_RETURN(auto names, ReadStringArray(reader, "channels", inv::AllChannels().size()));
  std::vector<inv::SalesChannel> channels;
  for (std::size_t name_idx = 0; name_idx < names.size(); ++name_idx) {
    auto channel = inv::ParseChannel(names[name_idx]);
    if (!channel) {
      return Error::Invalid("inventory/unknown-channel", "unknown sales channel",
                            reader.PointerTo("channels") + "/" + std::to_string(name_idx));
    }
    channels.push_back(*channel);
  }
  return channels;
}

std::string Actor(const Request& request) {
  return Caller(request).ActorLabel();
}

// Receive and adjust share a body: {location_id, quantity, reason}.
Result<inv::Movement> ReadMovement(const Request& request, std::int64_t item_id, std::int64_t min_quantity) {
  PLAZA_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(request));
  JsonReader reader(body);
  PLAZA_TRY(reader.AllowOnly({"location_id", "quantity", "reason"}));
  inv::Movement movement{.item_id = item_id, .actor = Actor(request)};
  PLAZA_ASSIGN_OR_RETURN(movement.location_id, reader.RequiredInt64("location_id", 1, INT64_MAX));
  PLAZA_ASSIGN_OR_RETURN(movement.quantity, reader.RequiredInt64("quantity", min_quantity, inv::kMaxQuantity));
  PLAZA_ASSIGN_OR_RETURN(movement.reason, reader.RequiredString("reason", kText));
  return movement;
}

void RegisterLocationRoutes(http::RouteGroup& admin, const ApiServices& services) {
  admin.Get("/inventory/locations", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_TRY(MayRead(request));
              PLAZA_ASSIGN_OR_RETURN(auto locations, services.inventory.ListLocations(ShopOf(request)));
              boost::json::array out;
              for (const auto& location : locations) out.push_back(EncodeLocation(location));
              return Response::Json({{"locations", std::move(out)}});
            }));
  admin.Post("/inventory/locations", Handle([&services](Request& request) -> Result<Response> {
               PLAZA_TRY(MayWrite(request));
               PLAZA_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(request));
               JsonReader reader(body);
               PLAZA_TRY(reader.AllowOnly({"name", "priority", "active"}));
               inv::NewLocation location;
               PLAZA_ASSIGN_OR_RETURN(location.name, reader.RequiredString("name", kText));
               PLAZA_ASSIGN_OR_RETURN(auto priority, reader.OptionalInt64("priority", -1000000, 1000000));
               location.priority = static_cast<int>(priority.value_or(0));
               PLAZA_ASSIGN_OR_RETURN(auto active, reader.OptionalBool("active"));
               location.active = active.value_or(true);
               PLAZA_ASSIGN_OR_RETURN(auto created, services.inventory.CreateLocation(ShopOf(request), location));
               return Response::Json(EncodeLocation(created), 201);
             }));
  admin.Get("/inventory/locations/{id}", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_TRY(MayRead(request));
              PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
              PLAZA_ASSIGN_OR_RETURN(auto location, services.inventory.GetLocation(ShopOf(request), id));
              PLAZA_ASSIGN_OR_RETURN(auto levels, services.inventory.LocationLevels(ShopOf(request), id));
              boost::json::object out = EncodeLocation(location);
              out["levels"] = EncodeLevels(levels);
              return Response::Json(out);
            }));
  admin.Patch("/inventory/locations/{id}", Handle([&services](Request& request) -> Result<Response> {
                PLAZA_TRY(MayWrite(request));
                PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
                PLAZA_TRY(services.inventory.GetLocation(ShopOf(request), id));
                PLAZA_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(request));
                JsonReader reader(body);
                PLAZA_TRY(reader.AllowOnly({"name", "priority", "active"}));
                inv::LocationUpdate update;
                PLAZA_ASSIGN_OR_RETURN(update.name, reader.OptionalString("name", kText));
                PLAZA_ASSIGN_OR_RETURN(auto priority, reader.OptionalInt64("priority", -1000000, 1000000));
                if (priority) update.priority = static_cast<int>(*priority);
                PLAZA_ASSIGN_OR_RETURN(update.active, reader.OptionalBool("active"));
                PLAZA_ASSIGN_OR_RETURN(auto location, services.inventory.UpdateLocation(ShopOf(request), id, update));
                return Response::Json(EncodeLocation(location));
              }));
  admin.Delete("/inventory/locations/{id}", Handle([&services](Request& request) -> Result<Response> {
                 PLAZA_TRY(MayWrite(request));
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
                 PLAZA_TRY(services.inventory.DeleteLocation(ShopOf(request), id));
                 return Response::NoContent();
               }));
}

void RegisterItemRoutes(http::RouteGroup& admin, const ApiServices& services) {
  admin.Get("/inventory/items", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_TRY(MayRead(request));
              PLAZA_ASSIGN_OR_RETURN(auto after, OptionalIdQuery(request, "after"));
              PLAZA_ASSIGN_OR_RETURN(int limit, PageLimit(request, inv::kMaxLedgerPage));
              PLAZA_ASSIGN_OR_RETURN(auto items,
                                     services.inventory.ListItems(ShopOf(request), after.value_or(0), limit));
              boost::json::array out;
              for (const auto& item : items) out.push_back(EncodeItem(item));
              return Response::Json({{"items", std::move(out)}});
            }));
  admin.Post("/inventory/items", Handle([&services](Request& request) -> Result<Response> {
               PLAZA_TRY(MayWrite(request));
               PLAZA_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(request));
               JsonReader reader(body);
               PLAZA_TRY(reader.AllowOnly({"sku", "allow_backorder", "low_stock_threshold"}));
               inv::NewItem item;
               PLAZA_ASSIGN_OR_RETURN(auto sku, reader.OptionalString("sku", {.max_length = inv::kMaxTextLength}));
               item.sku = sku.value_or("");
               PLAZA_ASSIGN_OR_RETURN(auto backorder, reader.OptionalBool("allow_backorder"));
               item.allow_backorder = backorder.value_or(false);
               PLAZA_ASSIGN_OR_RETURN(item.low_stock_threshold,
                                      reader.OptionalInt64("low_stock_threshold", 0, inv::kMaxQuantity));
               PLAZA_ASSIGN_OR_RETURN(auto created, services.inventory.CreateItem(ShopOf(request), item));
               return Response::Json(EncodeItem(created), 201);
             }));
  admin.Get("/inventory/items/{id}", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_TRY(MayRead(request));
              PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
              PLAZA_ASSIGN_OR_RETURN(auto item, services.inventory.GetItem(ShopOf(request), id));
              PLAZA_ASSIGN_OR_RETURN(auto levels, services.inventory.ItemLevels(ShopOf(request), id));
              boost::json::object out = EncodeItem(item);
              out["levels"] = EncodeLevels(levels);
              return Response::Json(out);
            }));
  admin.Patch("/inventory/items/{id}", Handle([&services](Request& request) -> Result<Response> {
                PLAZA_TRY(MayWrite(request));
                PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
                PLAZA_TRY(services.inventory.GetItem(ShopOf(request), id));
                PLAZA_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(request));
                JsonReader reader(body);
                PLAZA_TRY(reader.AllowOnly({"sku", "allow_backorder", "low_stock_threshold"}));
                inv::ItemUpdate update;
                PLAZA_ASSIGN_OR_RETURN(update.sku, reader.OptionalString("sku", {.max_length = inv::kMaxTextLength}));
                PLAZA_ASSIGN_OR_RETURN(update.allow_backorder, reader.OptionalBool("allow_backorder"));
                if (body.contains("low_stock_threshold")) {
                  PLAZA_ASSIGN_OR_RETURN(auto threshold,
                                         reader.OptionalInt64("low_stock_threshold", 0, inv::kMaxQuantity));
                  update.low_stock_threshold = threshold;  // null clears it
                }
                PLAZA_ASSIGN_OR_RETURN(auto item, services.inventory.UpdateItem(ShopOf(request), id, update));
                return Response::Json(EncodeItem(item));
              }));
  admin.Put("/inventory/items/{id}/preorder", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_TRY(MayWrite(request));
              PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
              PLAZA_TRY(services.inventory.GetItem(ShopOf(request), id));
              PLAZA_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(request));
              JsonReader reader(body);
              PLAZA_TRY(reader.AllowOnly({"arrival", "cap"}));
              PLAZA_ASSIGN_OR_RETURN(std::string arrival_text, reader.RequiredString("arrival", {.min_length = 1}));
              auto arrival = ParseRfc3339(arrival_text);
              if (!arrival.ok()) {
                return Error::Invalid("validation/format", "arrival must be an RFC 3339 time", "/arrival");
              }
              PLAZA_ASSIGN_OR_RETURN(std::int64_t cap, reader.RequiredInt64("cap", 0, inv::kMaxQuantity));
              PLAZA_ASSIGN_OR_RETURN(
                  auto item, services.inventory.SetPreorder(ShopOf(request), id,
                                                            inv::PreorderSettings{.arrival = *arrival, .cap = cap}));
              return Response::Json(EncodeItem(item));
            }));
  admin.Delete("/inventory/items/{id}/preorder", Handle([&services](Request& request) -> Result<Response> {
                 PLAZA_TRY(MayWrite(request));
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
                 PLAZA_ASSIGN_OR_RETURN(auto item, services.inventory.SetPreorder(ShopOf(request), id, std::nullopt));
                 return Response::Json(EncodeItem(item));
               }));
  admin.Post("/inventory/items/{id}/receive", Handle([&services](Request& request) -> Result<Response> {
               PLAZA_TRY(MayWrite(request));
               PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
               PLAZA_TRY(services.inventory.GetItem(ShopOf(request), id));
               PLAZA_ASSIGN_OR_RETURN(auto movement, ReadMovement(request, id, 1));
               PLAZA_ASSIGN_OR_RETURN(auto level, services.inventory.Receive(ShopOf(request), movement));
               return Response::Json(EncodeLevel(level));
             }));
  admin.Post("/inventory/items/{id}/adjust", Handle([&services](Request& request) -> Result<Response> {
               PLAZA_TRY(MayWrite(request));
               PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
               PLAZA_TRY(services.inventory.GetItem(ShopOf(request), id));
               PLAZA_ASSIGN_OR_RETURN(auto movement, ReadMovement(request, id, -inv::kMaxQuantity));
               PLAZA_ASSIGN_OR_RETURN(auto level, services.inventory.Adjust(ShopOf(request), movement));
               return Response::Json(EncodeLevel(level));
             }));
  admin.Post("/inventory/items/{id}/transfer", Handle([&services](Request& request) -> Result<Response> {
               PLAZA_TRY(MayWrite(request));
               PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
               PLAZA_TRY(services.inventory.GetItem(ShopOf(request), id));
               PLAZA_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(request));
               JsonReader reader(body);
               PLAZA_TRY(reader.AllowOnly({"from_location_id", "to_location_id", "quantity", "reason"}));
               inv::Transfer transfer{.item_id = id, .actor = Actor(request)};
               PLAZA_ASSIGN_OR_RETURN(transfer.from_location_id,
                                      reader.RequiredInt64("from_location_id", 1, INT64_MAX));
               PLAZA_ASSIGN_OR_RETURN(transfer.to_location_id, reader.RequiredInt64("to_location_id", 1, INT64_MAX));
               PLAZA_ASSIGN_OR_RETURN(transfer.quantity, reader.RequiredInt64("quantity", 1, inv::kMaxQuantity));
               PLAZA_ASSIGN_OR_RETURN(transfer.reason, reader.RequiredString("reason", kText));
               PLAZA_TRY(services.inventory.TransferStock(ShopOf(request), transfer));
               PLAZA_ASSIGN_OR_RETURN(auto levels, services.inventory.ItemLevels(ShopOf(request), id));
               return Response::Json({{"levels", EncodeLevels(levels)}});
             }));
}

void RegisterStockPolicyRoutes(http::RouteGroup& admin, const ApiServices& services) {
  admin.Get("/inventory/buffers", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_TRY(MayRead(request));
              PLAZA_ASSIGN_OR_RETURN(auto item_id, OptionalIdQuery(request, "item_id"));
              PLAZA_ASSIGN_OR_RETURN(auto buffers, services.inventory.ListBuffers(ShopOf(request), item_id));
              boost::json::array out;
              for (const auto& buffer : buffers) out.push_back(EncodeBuffer(buffer));
              return Response::Json({{"buffers", std::move(out)}});
            }));
  admin.Post("/inventory/buffers", Handle([&services](Request& request) -> Result<Response> {
               PLAZA_TRY(MayWrite(request));
               PLAZA_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(request));
               JsonReader reader(body);
               PLAZA_TRY(reader.AllowOnly({"item_id", "channels", "quantity"}));
               inv::NewBuffer buffer;
               PLAZA_ASSIGN_OR_RETURN(buffer.item_id, reader.RequiredInt64("item_id", 1, INT64_MAX));
               PLAZA_ASSIGN_OR_RETURN(buffer.channels, ReadChannels(reader));
               PLAZA_ASSIGN_OR_RETURN(buffer.quantity, reader.RequiredInt64("quantity", 0, inv::kMaxQuantity));
               PLAZA_ASSIGN_OR_RETURN(auto created, services.inventory.CreateBuffer(ShopOf(request), buffer));
               return Response::Json(EncodeBuffer(created), 201);
             }));
  admin.Delete("/inventory/buffers/{id}", Handle([&services](Request& request) -> Result<Response> {
                 PLAZA_TRY(MayWrite(request));
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
                 PLAZA_TRY(services.inventory.DeleteBuffer(ShopOf(request), id));
                 return Response::NoContent();
               }));
  admin.Post("/inventory/variants", Handle([&services](Request& request) -> Result<Response> {
               PLAZA_TRY(MayWrite(request));
               PLAZA_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(request));
               JsonReader reader(body);
               PLAZA_TRY(reader.AllowOnly({"variant_id", "components", "max_per_order"}));
               PLAZA_ASSIGN_OR_RETURN(std::int64_t variant_id, reader.RequiredInt64("variant_id", 1, INT64_MAX));
               PLAZA_ASSIGN_OR_RETURN(const boost::json::array* array,
                                      reader.RequiredArray("components", inv::kMaxComponents));
               std::vector<inv::Component> components;
               for (std::size_t component_idx = 0; component_idx < array->size(); ++component_idx) {
                 const std::string pointer = reader.PointerTo("components") + "/" + std::to_string(component_idx);
                 if (!(*array)[component_idx].is_object()) {
                   return Error::Invalid("validation/type", "a component is an object", pointer);
                 }
                 JsonReader component_reader((*array)[component_idx].as_object(), pointer);
                 PLAZA_TRY(component_reader.AllowOnly({"item_id", "quantity"}));
                 inv::Component component;
                 PLAZA_ASSIGN_OR_RETURN(component.item_id, component_reader.RequiredInt64("item_id", 1, INT64_MAX));
                 PLAZA_ASSIGN_OR_RETURN(component.quantity,
                                        component_reader.RequiredInt64("quantity", 1, inv::kMaxQuantity));
                 components.push_back(component);
               }
               PLAZA_ASSIGN_OR_RETURN(auto max_per_order, reader.OptionalInt64("max_per_order", 1, inv::kMaxQuantity));
               PLAZA_TRY(services.inventory.SetVariantComponents(ShopOf(request), variant_id, components));
               PLAZA_ASSIGN_OR_RETURN(auto variant,
                                      services.inventory.SetMaxPerOrder(ShopOf(request), variant_id, max_per_order));
               return Response::Json(EncodeVariant(variant));
             }));
  admin.Get("/inventory/variants/{id}", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_TRY(MayRead(request));
              PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
              PLAZA_ASSIGN_OR_RETURN(auto variant, services.inventory.GetVariant(ShopOf(request), id));
              return Response::Json(EncodeVariant(variant));
            }));
}

void RegisterReportRoutes(http::RouteGroup& admin, const ApiServices& services) {
  admin.Get("/inventory/ledger", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_TRY(MayRead(request));
              inv::LedgerQuery query;
              PLAZA_ASSIGN_OR_RETURN(query.item_id, OptionalIdQuery(request, "item_id"));
              PLAZA_ASSIGN_OR_RETURN(query.location_id, OptionalIdQuery(request, "location_id"));
              PLAZA_ASSIGN_OR_RETURN(auto before, OptionalIdQuery(request, "before"));
              query.before_id = before.value_or(0);
              PLAZA_ASSIGN_OR_RETURN(query.limit, PageLimit(request, inv::kMaxLedgerPage));
              PLAZA_ASSIGN_OR_RETURN(auto entries, services.inventory.ListLedger(ShopOf(request), query));
              boost::json::array out;
              for (const auto& entry : entries) out.push_back(EncodeEntry(entry));
              return Response::Json({{"entries", std::move(out)}});
            }));
  // ?variant_ids=1,2,3&channel=tiktok
  admin.Get(
      "/inventory/availability", Handle([&services](Request& request) -> Result<Response> {
        PLAZA_TRY(MayRead(request));
        PLAZA_ASSIGN_OR_RETURN(inv::SalesChannel channel, ChannelQuery(request));
        const std::string_view text = request.Query("variant_ids").value_or("");
        std::vector<std::int64_t> ids;
        std::size_t start = 0;
        while (start < text.size()) {
          std::size_t end = text.find(',', start);
          if (end == std::string_view::npos) end = text.size();
          std::int64_t id = 0;
          const auto [parsed_end, error] = std::from_chars(text.data() + start, text.data() + end, id);
          if (error != std::errc() || parsed_end != text.data() + end || id <= 0) {
            return Error::Invalid("validation/format", "variant_ids is a comma-separated list of ids", "variant_ids");
          }
          if (ids.size() == inv::kMaxAvailabilityBatch) {
            return Error::Invalid("validation/range",
                                  "at most " + std::to_string(inv::kMaxAvailabilityBatch) + " variant ids",
                                  "variant_ids");
          }
          ids.push_back(id);
          start = end + 1;
        }
        if (ids.empty()) return Error::Invalid("validation/required", "variant_ids is required", "variant_ids");
        PLAZA_ASSIGN_OR_RETURN(auto availability, services.inventory.GetAvailability(ShopOf(request), ids, channel));
        boost::json::array out;
        for (const auto& entry : availability) out.push_back(EncodeAvailability(entry));
        return Response::Json({{"channel", inv::ChannelName(channel)}, {"availability", std::move(out)}});
      }));
}

}  // namespace

void RegisterInventoryRoutes(http::RouteGroup admin, const ApiServices& services) {
  RegisterLocationRoutes(admin, services);
  RegisterItemRoutes(admin, services);
  RegisterStockPolicyRoutes(admin, services);
  RegisterReportRoutes(admin, services);
}

}  // namespace plaza::api
