// Inventory: stock of every item at every location (on hand, reserved, committed,
// available), and per item the forms to receive, set the counted on-hand quantity and
// transfer, with the ledger of its movements. InventoryService keeps the rules (no
// level below what is reserved and committed, one ledger entry per movement).

#include <charconv>

#include "admin_page.h"
#include "plaza/catalog/catalog.h"
#include "product_form.h"
#include "routes.h"

namespace plaza::web::admin {
namespace {

namespace inv = inventory;
using identity::Permission;

constexpr int kItemsPerPage = 50;
constexpr int kLedgerPerPage = 50;

std::optional<std::int64_t> PositiveId(std::string_view text) {
  std::int64_t id = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

http::Response ItemNotFound(const AdminRequest& request) {
  return AdminPage(request, "Item not found",
                   {"<p>No inventory item of this shop has that id. <a href=\"/admin/inventory\">Inventory</a></p>"},
                   404);
}

// What the merchant calls an item: the product and variant of its SKU, else the SKU.
std::map<std::string, std::string> NamesBySku(const PageServices& services, std::int64_t shop_id,
                                              const std::vector<inv::Item>& items) {
  std::map<std::string, std::string> names;
  (void)services.db.Read([&](store::Transaction& tx) -> Status {
    for (const auto& item : items) {
      if (item.sku.empty()) continue;
      auto variant = catalog::GetVariantBySku(tx, shop_id, item.sku);
      if (!variant.ok()) continue;
      names[item.sku] = variant->variant_title == "Default Title"
                            ? variant->product_title
                            : variant->product_title + " – " + variant->variant_title;
    }
    return Ok();
  });
  return names;
}

std::string ItemLabel(const inv::Item& item, const std::map<std::string, std::string>& names) {
  const auto found = names.find(item.sku);
  if (found != names.end()) return found->second + " (" + item.sku + ")";
  return item.sku.empty() ? "Item " + std::to_string(item.id) : item.sku;
}

std::string LocationName(const std::vector<inv::Location>& locations, std::optional<std::int64_t> id) {
  if (!id) return "";
  for (const auto& location : locations) {
    if (location.id == *id) return location.name;
  }
  return "Location " + std::to_string(*id);
}

void LevelCells(HtmlWriter& html, const inv::Level& level) {
  html.Raw("<td class=\"num\">")
      .Text(std::to_string(level.on_hand))
      .Raw("</td><td class=\"num\">")
      .Text(std::to_string(level.reserved))
      .Raw("</td><td class=\"num\">")
      .Text(std::to_string(level.committed))
      .Raw("</td><td class=\"num\"><strong>")
      .Text(std::to_string(level.available()))
      .Raw("</strong></td>");
}

constexpr std::string_view kLevelHeads =
    "<th scope=\"col\" class=\"num\">On hand</th><th scope=\"col\" class=\"num\">Reserved</th>"
    "<th scope=\"col\" class=\"num\">Committed</th><th scope=\"col\" class=\"num\">Available</th>";

Trusted LocationSelect(std::string_view label, std::string_view name, const std::vector<inv::Location>& locations,
                       std::string_view selected, const FormErrors& errors) {
  HtmlWriter html;
  html.Raw("<div class=\"field\"><label for=\"f-").Text(name).Raw("\">").Text(label).Raw("</label><select id=\"f-");
  html.Text(name).Raw("\" name=\"").Text(name).Raw("\"");
  const std::string_view error = errors.For(name);
  if (!error.empty()) html.Raw(" aria-invalid=\"true\" aria-describedby=\"f-").Text(name).Raw("-error\"");
  html.Raw(">");
  for (const auto& location : locations) {
    const std::string id = std::to_string(location.id);
    html.Raw("<option value=\"").Text(id).Raw(id == selected ? "\" selected>" : "\">").Text(location.name);
    html.Raw(location.active ? "" : " (inactive)").Raw("</option>");
  }
  html.Raw("</select>");
  if (!error.empty()) {
    html.Raw("<span class=\"field-error\" role=\"alert\" id=\"f-")
        .Text(name)
        .Raw("-error\">")
        .Text(error)
        .Raw("</span>");
  }
  html.Raw("</div>");
  return {html.Take()};
}

Trusted NewLocationForm(const AdminRequest& request, const FormErrors& errors, std::string_view name) {
  HtmlWriter html;
  html.Raw("<form method=\"post\" action=\"/admin/inventory/locations\" class=\"admin-form inline-form\">")
      .Fragment(CsrfField(request.staff))
      .Fragment(Input("Location name", "name", name, errors, {.attributes = "required"}))
      .Raw("<button type=\"submit\">Add location</button></form>");
  return {html.Take()};
}

http::Response Overview(const PageServices& services, const AdminRequest& request, const FormErrors& errors,
                        std::string_view location_name, int status) {
  const std::int64_t shop_id = request.shop.id;
  auto locations = services.inventory.ListLocations(shop_id);
  if (!locations.ok()) return AdminPage(request, "Inventory", ErrorBox(locations.error().detail), 503);
  const std::int64_t after = PositiveId(request.http.Query("after").value_or("")).value_or(0);
  auto items = services.inventory.ListItems(shop_id, after, kItemsPerPage);
  if (!items.ok()) return AdminPage(request, "Inventory", ErrorBox(items.error().detail), 503);
  const auto names = NamesBySku(services, shop_id, *items);

  HtmlWriter html;
  html.Fragment(ErrorBox(errors.summary)).Raw("<h2>Locations</h2>");
  if (locations->empty()) {
    html.Raw("<p>Add a location to keep stock at.</p>");
  } else {
    html.Raw("<ul class=\"locations\">");
    for (const auto& location : *locations) {
      html.Raw("<li>").Text(location.name).Raw(location.active ? "" : " (inactive)").Raw("</li>");
    }
    html.Raw("</ul>");
  }
  html.Fragment(NewLocationForm(request, errors, location_name)).Raw("<h2>Stock</h2>");
  if (items->empty()) {
    html.Raw("<p>No items yet. Each product variant gets one when the product is saved.</p>");
  } else {
    html.Raw("<table><caption>Stock per item and location</caption><thead><tr><th scope=\"col\">Item</th>")
        .Raw("<th scope=\"col\">Location</th>")
        .Raw(kLevelHeads)
        .Raw("</tr></thead><tbody>");
    for (const auto& item : *items) {
      auto levels = services.inventory.ItemLevels(shop_id, item.id);
      const std::vector<inv::Level> shown =
          levels.ok() && !levels->empty() ? *levels : std::vector<inv::Level>{inv::Level{.item_id = item.id}};
      for (std::size_t i = 0; i < shown.size(); ++i) {
        html.Raw("<tr>");
        if (i == 0) {
          html.Raw("<th scope=\"row\" rowspan=\"")
              .Text(std::to_string(shown.size()))
              .Raw("\"><a href=\"/admin/inventory/items/")
              .Text(std::to_string(item.id))
              .Raw("\">")
              .Text(ItemLabel(item, names))
              .Raw("</a></th>");
        }
        html.Raw("<td>")
            .Text(shown[i].location_id ? LocationName(*locations, shown[i].location_id) : "no stock anywhere")
            .Raw("</td>");
        LevelCells(html, shown[i]);
        html.Raw("</tr>");
      }
    }
    html.Raw("</tbody></table>");
    if (static_cast<int>(items->size()) == kItemsPerPage) {
      html.Raw("<p><a rel=\"next\" href=\"/admin/inventory?after=")
          .Text(std::to_string(items->back().id))
          .Raw("\">Next page</a></p>");
    }
  }
  return AdminPage(request, "Inventory", {html.Take()}, status);
}

// The item page with its forms; `errors` and `form` are those of a refused post.
http::Response ItemPage(const PageServices& services, const AdminRequest& request, std::int64_t item_id,
                        const FormErrors& errors, int status) {
  const std::int64_t shop_id = request.shop.id;
  auto item = services.inventory.GetItem(shop_id, item_id);
  if (!item.ok()) return ItemNotFound(request);
  auto locations = services.inventory.ListLocations(shop_id);
  auto levels = services.inventory.ItemLevels(shop_id, item_id);
  if (!locations.ok() || !levels.ok()) return AdminPage(request, "Inventory", ErrorBox("Stock is unavailable."), 503);
  const auto names = NamesBySku(services, shop_id, {*item});
  const std::string label = ItemLabel(*item, names);

  HtmlWriter html;
  html.Raw("<p><a href=\"/admin/inventory\">All inventory</a></p>").Fragment(ErrorBox(errors.summary));
  std::int64_t available = 0;
  html.Raw("<table><caption>Stock per location</caption><thead><tr><th scope=\"col\">Location</th>")
      .Raw(kLevelHeads)
      .Raw("</tr></thead><tbody>");
  for (const auto& level : *levels) {
    available += level.available();
    html.Raw("<tr><th scope=\"row\">").Text(LocationName(*locations, level.location_id)).Raw("</th>");
    LevelCells(html, level);
    html.Raw("</tr>");
  }
  html.Raw("</tbody></table><p>Available in total: <strong>")
      .Text(std::to_string(available))
      .Raw("</strong>")
      .Raw(available == 0 ? " — out of stock" : "")
      .Raw("</p>");
  if (item->preorder) {
    html.Raw("<p>Pre-order: ")
        .Text(std::to_string(item->preorder->used))
        .Raw(" of ")
        .Text(std::to_string(item->preorder->cap))
        .Raw(" promised, arriving ")
        .Text(TimeText(item->preorder->arrival))
        .Raw(".</p>");
  }

  if (locations->empty()) {
    html.Raw("<p>Add a location on the <a href=\"/admin/inventory\">inventory page</a> before stocking this item.</p>");
  } else {
    const std::string base = "/admin/inventory/items/" + std::to_string(item_id);
    const std::string form_name = request.Field("form");
    const auto kept = [&](std::string_view form, std::string_view field, std::string_view fallback) {
      return form_name == form ? request.Field(field) : std::string(fallback);
    };
    const FormErrors none;
    const auto errors_of = [&](std::string_view form) -> const FormErrors& {
      return form_name == form ? errors : none;
    };
    const std::string first_location = std::to_string(locations->front().id);

    html.Raw("<h2>Set stock</h2><form method=\"post\" class=\"admin-form\" action=\"")
        .Text(base)
        .Raw("/set\">")
        .Fragment(CsrfField(request.staff))
        .Raw("<input type=\"hidden\" name=\"form\" value=\"set\">")
        .Fragment(LocationSelect("Location", "location_id", *locations, kept("set", "location_id", first_location),
                                 errors_of("set")))
        .Fragment(Input("New on-hand quantity", "on_hand", kept("set", "on_hand", ""), errors_of("set"),
                        {.type = "number",
                         .hint = "What was counted; 0 marks the item out of stock.",
                         .attributes = "min=\"0\" required"}))
        .Fragment(Input("Reason", "reason", kept("set", "reason", "Stock count"), errors_of("set"),
                        {.attributes = "required"}))
        .Raw("<button type=\"submit\">Set stock</button></form>");

    html.Raw("<h2>Receive stock</h2><form method=\"post\" class=\"admin-form\" action=\"")
        .Text(base)
        .Raw("/receive\">")
        .Fragment(CsrfField(request.staff))
        .Raw("<input type=\"hidden\" name=\"form\" value=\"receive\">")
        .Fragment(LocationSelect("Location", "receive_location_id", *locations,
                                 kept("receive", "receive_location_id", first_location), errors_of("receive")))
        .Fragment(Input("Quantity received", "quantity", kept("receive", "quantity", ""), errors_of("receive"),
                        {.type = "number", .attributes = "min=\"1\" required"}))
        .Fragment(Input("Reason", "receive_reason", kept("receive", "receive_reason", "Delivery"), errors_of("receive"),
                        {.attributes = "required"}))
        .Raw("<button type=\"submit\">Receive stock</button></form>");

    if (locations->size() > 1) {
      html.Raw("<h2>Transfer stock</h2><form method=\"post\" class=\"admin-form\" action=\"")
          .Text(base)
          .Raw("/transfer\">")
          .Fragment(CsrfField(request.staff))
          .Raw("<input type=\"hidden\" name=\"form\" value=\"transfer\">")
          .Fragment(LocationSelect("From", "from_location_id", *locations,
                                   kept("transfer", "from_location_id", first_location), errors_of("transfer")))
          .Fragment(LocationSelect("To", "to_location_id", *locations,
                                   kept("transfer", "to_location_id", std::to_string((*locations)[1].id)),
                                   errors_of("transfer")))
          .Fragment(Input("Quantity to move", "transfer_quantity", kept("transfer", "transfer_quantity", ""),
                          errors_of("transfer"), {.type = "number", .attributes = "min=\"1\" required"}))
          .Fragment(Input("Reason", "transfer_reason", kept("transfer", "transfer_reason", "Rebalance"),
                          errors_of("transfer"), {.attributes = "required"}))
          .Raw("<button type=\"submit\">Transfer stock</button></form>");
    }
  }

  const std::int64_t before = PositiveId(request.http.Query("before").value_or("")).value_or(0);
  auto ledger =
      services.inventory.ListLedger(shop_id, {.item_id = item_id, .before_id = before, .limit = kLedgerPerPage});
  html.Raw("<h2>Ledger</h2>");
  if (!ledger.ok() || ledger->empty()) {
    html.Raw("<p>No movements yet.</p>");
  } else {
    html.Raw(
        "<table><caption>Movements, newest first</caption><thead><tr><th scope=\"col\">When</th>"
        "<th scope=\"col\">Movement</th><th scope=\"col\">Location</th><th scope=\"col\" class=\"num\">On hand</th>"
        "<th scope=\"col\" class=\"num\">Reserved</th><th scope=\"col\" class=\"num\">Committed</th>"
        "<th scope=\"col\">Reason</th><th scope=\"col\">By</th></tr></thead><tbody>");
    const auto delta = [](std::int64_t value) {
      return value > 0 ? "+" + std::to_string(value) : value == 0 ? std::string() : std::to_string(value);
    };
    for (const auto& entry : *ledger) {
      html.Raw("<tr><td>")
          .Text(TimeText(entry.at))
          .Raw("</td><td>")
          .Text(inv::MovementKindName(entry.kind))
          .Raw("</td><td>")
          .Text(LocationName(*locations, entry.location_id))
          .Raw("</td><td class=\"num\">")
          .Text(delta(entry.on_hand_delta))
          .Raw("</td><td class=\"num\">")
          .Text(delta(entry.reserved_delta))
          .Raw("</td><td class=\"num\">")
          .Text(delta(entry.committed_delta))
          .Raw("</td><td>")
          .Text(entry.reason)
          .Raw("</td><td>")
          .Text(entry.actor)
          .Raw("</td></tr>");
    }
    html.Raw("</tbody></table>");
    if (static_cast<int>(ledger->size()) == kLedgerPerPage) {
      html.Raw("<p><a rel=\"next\" href=\"/admin/inventory/items/")
          .Text(std::to_string(item_id))
          .Raw("?before=")
          .Text(std::to_string(ledger->back().id))
          .Raw("\">Older movements</a></p>");
    }
  }
  return AdminPage(request, label, {html.Take()}, status);
}

// A quantity field: a whole number, at least `minimum`.
std::optional<std::int64_t> Quantity(const AdminRequest& request, std::string_view field, std::int64_t minimum,
                                     FormErrors& errors) {
  const auto value = ParseCount(request.Field(field));
  if (!value || *value < minimum) {
    errors.fields.emplace(std::string(field),
                          minimum == 0 ? "Enter a whole number, 0 or more." : "Enter a whole number, 1 or more.");
    return std::nullopt;
  }
  return value;
}

std::optional<std::int64_t> LocationField(const AdminRequest& request, std::string_view field, FormErrors& errors) {
  const auto id = PositiveId(request.Field(field));
  if (!id) errors.fields.emplace(std::string(field), "Choose a location.");
  return id;
}

// Runs a movement; on success redirects to the item page, else shows the form again.
http::Response Move(const PageServices& services, const AdminRequest& request, std::int64_t item_id,
                    const std::function<Status(FormErrors&)>& move) {
  if (!services.inventory.GetItem(request.shop.id, item_id).ok()) return ItemNotFound(request);
  FormErrors errors;
  const Status status = move(errors);
  if (!errors.empty() || !status.ok()) {
    if (!status.ok()) errors.Add(status.error(), request.form);
    return ItemPage(services, request, item_id, errors, 422);
  }
  return http::Response::Redirect("/admin/inventory/items/" + std::to_string(item_id) + "?notice=saved");
}

http::Handler ItemAction(const PageServices& services,
                         std::function<Status(const AdminRequest&, std::int64_t, FormErrors&)> action) {
  return AdminRoute(
      services, Permission::kInventoryManage, [&services, action = std::move(action)](AdminRequest& request) {
        const auto id = PositiveId(request.http.PathParam("id"));
        if (!id) return ItemNotFound(request);
        return Move(services, request, *id, [&](FormErrors& errors) { return action(request, *id, errors); });
      });
}

// Places a module error on the form field it is about.
template <typename T>
Status OnField(const Result<T>& result, std::string_view field) {
  if (result.ok()) return Ok();
  Error error = result.error();
  if (error.code == ErrorCode::kInvalidArgument || error.code == ErrorCode::kConflict) {
    error.field = "/" + std::string(field);
  }
  return error;
}
Status OnField(const Status& status, std::string_view field) {
  if (status.ok()) return status;
  Error error = status.error();
  if (error.code == ErrorCode::kInvalidArgument || error.code == ErrorCode::kConflict) {
    error.field = "/" + std::string(field);
  }
  return error;
}

}  // namespace

void RegisterInventoryPages(http::Router& router, const PageServices& services) {
  router.Get("/admin/inventory", AdminRoute(services, Permission::kInventoryManage, [&services](AdminRequest& request) {
               return Overview(services, request, {}, "", 200);
             }));
  router.Post("/admin/inventory/locations",
              AdminRoute(services, Permission::kInventoryManage, [&services](AdminRequest& request) {
                auto created = services.inventory.CreateLocation(request.shop.id, {.name = request.Field("name")});
                if (!created.ok()) {
                  FormErrors errors;
                  Error error = created.error();
                  error.field = "/name";
                  errors.Add(error, request.form);
                  return Overview(services, request, errors, request.Field("name"), 422);
                }
                return http::Response::Redirect("/admin/inventory?notice=created");
              }));
  router.Get("/admin/inventory/items/{id}",
             AdminRoute(services, Permission::kInventoryManage, [&services](AdminRequest& request) {
               const auto id = PositiveId(request.http.PathParam("id"));
               if (!id) return ItemNotFound(request);
               return ItemPage(services, request, *id, {}, 200);
             }));
  router.Post("/admin/inventory/items/{id}/set",
              ItemAction(services, [&services](const AdminRequest& request, std::int64_t id, FormErrors& errors) {
                const auto location = LocationField(request, "location_id", errors);
                const auto target = Quantity(request, "on_hand", 0, errors);
                if (!location || !target) return Ok();
                // The ledger records changes, so a count becomes the difference to what
                // is on hand now.
                auto levels = services.inventory.ItemLevels(request.shop.id, id);
                if (!levels.ok()) return Status(levels.error());
                std::int64_t on_hand = 0;
                for (const auto& level : *levels) {
                  if (level.location_id == *location) on_hand = level.on_hand;
                }
                if (*target == on_hand) return Ok();
                return OnField(services.inventory.Adjust(request.shop.id, {.item_id = id,
                                                                           .location_id = *location,
                                                                           .quantity = *target - on_hand,
                                                                           .reason = request.Field("reason"),
                                                                           .actor = request.staff.ActorLabel()}),
                               "on_hand");
              }));
  router.Post("/admin/inventory/items/{id}/receive",
              ItemAction(services, [&services](const AdminRequest& request, std::int64_t id, FormErrors& errors) {
                const auto location = LocationField(request, "receive_location_id", errors);
                const auto quantity = Quantity(request, "quantity", 1, errors);
                if (!location || !quantity) return Ok();
                return OnField(services.inventory.Receive(request.shop.id, {.item_id = id,
                                                                            .location_id = *location,
                                                                            .quantity = *quantity,
                                                                            .reason = request.Field("receive_reason"),
                                                                            .actor = request.staff.ActorLabel()}),
                               "quantity");
              }));
  router.Post("/admin/inventory/items/{id}/transfer",
              ItemAction(services, [&services](const AdminRequest& request, std::int64_t id, FormErrors& errors) {
                const auto from = LocationField(request, "from_location_id", errors);
                const auto to = LocationField(request, "to_location_id", errors);
                const auto quantity = Quantity(request, "transfer_quantity", 1, errors);
                if (!from || !to || !quantity) return Ok();
                return OnField(
                    services.inventory.TransferStock(request.shop.id, {.item_id = id,
                                                                       .from_location_id = *from,
                                                                       .to_location_id = *to,
                                                                       .quantity = *quantity,
                                                                       .reason = request.Field("transfer_reason"),
                                                                       .actor = request.staff.ActorLabel()}),
                    "transfer_quantity");
              }));
}

}  // namespace plaza::web::admin
