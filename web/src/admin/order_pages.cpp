// Orders: the list with a status filter, and one order with its lines, totals, payment,
// status timeline, attribution and delivery promise, and the staff actions on it and its
// returns. OrderService decides what each action may do (transitions, amounts, stock).

#include <charconv>

#include "admin_page.h"
#include "plaza/payments/manual_provider.h"
#include "plaza/payments/payment_service.h"
#include "product_form.h"
#include "routes.h"

namespace plaza::web::admin {
namespace {

using identity::Permission;
using orders::Order;
using orders::OrderStatus;

constexpr int kOrdersPerPage = 50;

std::optional<std::int64_t> PositiveId(std::string_view text) {
  std::int64_t id = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

http::Response OrderNotFound(const AdminRequest& request) {
  return AdminPage(request, "Order not found",
                   {"<p>No order of this shop has that number. <a href=\"/admin/orders\">All orders</a></p>"}, 404);
}

std::string StatusLabel(OrderStatus status) {
  std::string label(orders::OrderStatusName(status));
  for (char& c : label) c = c == '_' ? ' ' : c;
  return label;
}

constexpr OrderStatus kStatuses[] = {OrderStatus::kPlaced,    OrderStatus::kPaid,      OrderStatus::kPartiallyFulfilled,
                                     OrderStatus::kFulfilled, OrderStatus::kDelivered, OrderStatus::kCancelled};

http::Response OrderList(const PageServices& services, const AdminRequest& request) {
  const std::optional<OrderStatus> status = orders::ParseOrderStatus(request.http.Query("status").value_or(""));
  const std::int64_t before = PositiveId(request.http.Query("before").value_or("")).value_or(0);
  auto list =
      services.orders.ListOrders(request.shop.id, {.status = status, .before_id = before, .limit = kOrdersPerPage});
  if (!list.ok()) return AdminPage(request, "Orders", ErrorBox(list.error().detail), 503);
  HtmlWriter html;
  html.Raw(
      "<form method=\"get\" action=\"/admin/orders\" class=\"filters\"><div class=\"field\">"
      "<label for=\"f-status\">Status</label><select id=\"f-status\" name=\"status\"><option value=\"\">Any "
      "status</option>");
  for (OrderStatus option : kStatuses) {
    html.Raw("<option value=\"")
        .Text(orders::OrderStatusName(option))
        .Raw(status == option ? "\" selected>" : "\">")
        .Text(StatusLabel(option))
        .Raw("</option>");
  }
  html.Raw("</select></div><button type=\"submit\">Filter</button></form>");
  if (list->empty()) {
    html.Raw("<p>No orders match.</p>");
  } else {
    html.Raw(
        "<table><caption>Orders, newest first</caption><thead><tr><th scope=\"col\">Order</th>"
        "<th scope=\"col\">Placed</th><th scope=\"col\">Customer</th><th scope=\"col\">Status</th>"
        "<th scope=\"col\" class=\"num\">Total</th><th scope=\"col\" class=\"num\">Refunded</th></tr></thead><tbody>");
    for (const Order& order : *list) {
      html.Raw("<tr><td><a href=\"/admin/orders/")
          .Text(std::to_string(order.id))
          .Raw("\">#")
          .Text(std::to_string(order.id))
          .Raw("</a></td><td>")
          .Text(TimeText(order.placed_at))
          .Raw("</td><td>")
          .Text(order.email)
          .Raw("</td><td>")
          .Text(StatusLabel(order.status))
          .Raw("</td><td class=\"num\">")
          .Text(MoneyText(order.total, order.currency))
          .Raw("</td><td class=\"num\">")
          .Text(order.refunded_total ? MoneyText(order.refunded_total, order.currency) : "")
          .Raw("</td></tr>");
    }
    html.Raw("</tbody></table>");
    if (static_cast<int>(list->size()) == kOrdersPerPage) {
      std::string href = "/admin/orders?before=" + std::to_string(list->back().id);
      if (status) href += "&status=" + std::string(orders::OrderStatusName(*status));
      html.Raw("<p><a rel=\"next\" href=\"").Text(href).Raw("\">Older orders</a></p>");
    }
  }
  return AdminPage(request, "Orders", {html.Take()});
}

// A form with one button posting to `action`.
void ButtonForm(HtmlWriter& html, const AdminRequest& request, std::string_view action, std::string_view button,
                std::string_view css_class = "") {
  html.Raw("<form method=\"post\" class=\"inline-form\" action=\"")
      .Text(action)
      .Raw("\">")
      .Fragment(CsrfField(request.staff))
      .Raw("<button type=\"submit\"")
      .Raw(css_class.empty() ? "" : " class=\"")
      .Raw(css_class)
      .Raw(css_class.empty() ? ">" : "\">")
      .Text(button)
      .Raw("</button></form>");
}

void Timeline(HtmlWriter& html, const Order& order) {
  html.Raw("<h2>Timeline</h2><ol class=\"timeline\">");
  const std::pair<std::string_view, std::optional<TimePoint>> steps[] = {{"Placed", order.placed_at},
                                                                         {"Paid", order.paid_at},
                                                                         {"Fulfilled", order.fulfilled_at},
                                                                         {"Delivered", order.delivered_at},
                                                                         {"Cancelled", order.cancelled_at}};
  for (const auto& [label, at] : steps) {
    if (!at) continue;
    html.Raw("<li><strong>").Text(label).Raw("</strong> ").Text(TimeText(*at)).Raw("</li>");
  }
  html.Raw("</ol>");
}

void Attribution(HtmlWriter& html, const orders::Attribution& attribution) {
  const std::pair<std::string_view, const std::string*> fields[] = {{"utm_source", &attribution.utm_source},
                                                                    {"utm_medium", &attribution.utm_medium},
                                                                    {"utm_campaign", &attribution.utm_campaign},
                                                                    {"utm_content", &attribution.utm_content},
                                                                    {"utm_term", &attribution.utm_term},
                                                                    {"fbclid", &attribution.fbclid},
                                                                    {"gclid", &attribution.gclid},
                                                                    {"ttclid", &attribution.ttclid}};
  html.Raw("<h2>Attribution</h2>");
  bool any = false;
  for (const auto& [name, value] : fields) any = any || !value->empty();
  if (!any) {
    html.Raw("<p>No campaign or click id came with this order.</p>");
    return;
  }
  html.Raw("<dl class=\"facts\">");
  for (const auto& [name, value] : fields) {
    if (value->empty()) continue;
    html.Raw("<dt>").Text(name).Raw("</dt><dd>").Text(*value).Raw("</dd>");
  }
  html.Raw("</dl>");
}

std::string_view DispositionName(orders::Disposition disposition) {
  switch (disposition) {
    case orders::Disposition::kUndecided:
      return "not received yet";
    case orders::Disposition::kRestock:
      return "restocked";
    case orders::Disposition::kWriteOff:
      return "written off";
  }
  return "";
}

const orders::OrderLine* LineOf(const Order& order, std::int64_t line_id) {
  for (const auto& line : order.lines) {
    if (line.id == line_id) return &line;
  }
  return nullptr;
}

void Returns(HtmlWriter& html, const PageServices& services, const AdminRequest& request, const Order& order,
             bool manage, const FormErrors& errors) {
  auto returns = services.orders.ListReturns(request.shop.id, order.id);
  html.Raw("<h2>Returns</h2>");
  if (!returns.ok() || returns->empty()) {
    html.Raw("<p>No returns requested.</p>");
    return;
  }
  auto locations = services.inventory.ListLocations(request.shop.id);
  for (const orders::Return& item : *returns) {
    const std::string base = "/admin/orders/" + std::to_string(order.id) + "/returns/" + std::to_string(item.id);
    html.Raw("<section class=\"return\" aria-labelledby=\"return-")
        .Text(std::to_string(item.id))
        .Raw("\"><h3 id=\"return-")
        .Text(std::to_string(item.id))
        .Raw("\">Return ")
        .Text(std::to_string(item.id))
        .Raw(" — ")
        .Text(orders::ReturnStatusName(item.status))
        .Raw("</h3><p>Reason: ")
        .Text(item.reason)
        .Raw("</p><ul>");
    for (const auto& line : item.lines) {
      const orders::OrderLine* ordered = LineOf(order, line.order_line_id);
      html.Raw("<li>")
          .Text(std::to_string(line.quantity))
          .Raw(" × ")
          .Text(ordered ? ordered->title : "line " + std::to_string(line.order_line_id))
          .Raw(" (")
          .Text(DispositionName(line.disposition))
          .Raw(")</li>");
    }
    html.Raw("</ul>");
    if (item.refund_amount) html.Raw("<p>Refunded: ").Text(MoneyText(item.refund_amount, order.currency)).Raw("</p>");
    if (manage) {
      switch (item.status) {
        case orders::ReturnStatus::kRequested:
          ButtonForm(html, request, base + "/approve", "Approve return");
          ButtonForm(html, request, base + "/reject", "Reject return", "secondary");
          break;
        case orders::ReturnStatus::kApproved: {
          html.Raw("<form method=\"post\" class=\"admin-form\" action=\"")
              .Text(base)
              .Raw("/receive\">")
              .Fragment(CsrfField(request.staff))
              .Raw("<fieldset><legend>Received goods</legend>");
          for (const auto& line : item.lines) {
            const orders::OrderLine* ordered = LineOf(order, line.order_line_id);
            const std::string name =
                "disposition_" + std::to_string(item.id) + "_" + std::to_string(line.order_line_id);
            html.Fragment(Select(ordered ? ordered->title : "Line " + std::to_string(line.order_line_id), name,
                                 "restock", {{"restock", "Put back in stock"}, {"write_off", "Write off"}}, errors));
          }
          html.Raw("<div class=\"field\"><label for=\"f-location_id-")
              .Text(std::to_string(item.id))
              .Raw("\">Restock at</label><select name=\"location_id\" id=\"f-location_id-")
              .Text(std::to_string(item.id))
              .Raw("\">");
          if (locations.ok()) {
            for (const auto& location : *locations) {
              html.Raw("<option value=\"")
                  .Text(std::to_string(location.id))
                  .Raw("\">")
                  .Text(location.name)
                  .Raw("</option>");
            }
          }
          html.Raw("</select></div></fieldset><button type=\"submit\">Receive return</button></form>");
          break;
        }
        case orders::ReturnStatus::kReceived:
          html.Raw("<form method=\"post\" class=\"admin-form inline-form\" action=\"")
              .Text(base)
              .Raw("/refund\">")
              .Fragment(CsrfField(request.staff))
              .Fragment(Input("Amount to refund (" + order.currency + ")", "return_amount_" + std::to_string(item.id),
                              "", errors,
                              {.hint = "Leave empty to refund the returned items' share of the payment.",
                               .attributes = "inputmode=\"decimal\""}))
              .Raw("<button type=\"submit\">Refund return</button></form>");
          break;
        case orders::ReturnStatus::kRejected:
        case orders::ReturnStatus::kRefunded:
          break;
      }
    }
    html.Raw("</section>");
  }
}

http::Response OrderPage(const PageServices& services, const AdminRequest& request, std::int64_t order_id,
                         const FormErrors& errors, int status) {
  auto found = services.orders.GetOrder(request.shop.id, order_id);
  if (!found.ok()) return OrderNotFound(request);
  const Order& order = *found;
  const bool manage = identity::Holds(request.staff, Permission::kOrdersManage);
  const std::string base = "/admin/orders/" + std::to_string(order.id);
  const auto money = [&](std::int64_t minor) { return MoneyText(minor, order.currency); };

  HtmlWriter html;
  html.Raw("<p><a href=\"/admin/orders\">All orders</a></p>")
      .Fragment(ErrorBox(errors.summary))
      .Raw("<p>Status: <strong class=\"status\">")
      .Text(StatusLabel(order.status))
      .Raw("</strong> · ")
      .Text(order.email)
      .Raw("</p>");

  html.Raw(
      "<table><caption>Lines</caption><thead><tr><th scope=\"col\">Item</th><th scope=\"col\">SKU</th>"
      "<th scope=\"col\" class=\"num\">Quantity</th><th scope=\"col\" class=\"num\">Unit price</th>"
      "<th scope=\"col\" class=\"num\">Discount</th><th scope=\"col\" class=\"num\">Total</th>"
      "<th scope=\"col\" class=\"num\">Shipped</th><th scope=\"col\" class=\"num\">Returned</th></tr></thead><tbody>");
  for (const auto& line : order.lines) {
    html.Raw("<tr><td>")
        .Text(line.title)
        .Raw("</td><td>")
        .Text(line.sku)
        .Raw("</td><td class=\"num\">")
        .Text(std::to_string(line.quantity))
        .Raw("</td><td class=\"num\">")
        .Text(money(line.unit_price))
        .Raw("</td><td class=\"num\">")
        .Text(line.discount ? money(line.discount) : "")
        .Raw("</td><td class=\"num\">")
        .Text(money(line.total))
        .Raw("</td><td class=\"num\">")
        .Text(std::to_string(line.fulfilled_quantity))
        .Raw("</td><td class=\"num\">")
        .Text(std::to_string(line.returned_quantity))
        .Raw("</td></tr>");
  }
  html.Raw("</tbody></table><h2>Totals</h2><dl class=\"facts totals\"><dt>Subtotal</dt><dd>")
      .Text(money(order.subtotal))
      .Raw("</dd><dt>Discounts</dt><dd>")
      .Text(money(order.discount_total))
      .Raw("</dd><dt>Shipping</dt><dd>")
      .Text(money(order.shipping_total))
      .Raw("</dd><dt>")
      .Raw(order.prices_include_tax ? "Tax included" : "Tax")
      .Raw("</dt><dd>")
      .Text(money(order.tax_total))
      .Raw("</dd><dt>Total</dt><dd><strong>")
      .Text(money(order.total))
      .Raw("</strong></dd><dt>Refunded</dt><dd>")
      .Text(money(order.refunded_total))
      .Raw("</dd></dl>");

  html.Raw("<h2>Payment</h2>");
  // A bank transfer or cash on delivery waits for staff to record the money.
  bool awaits_manual_payment = false;
  if (order.payment_id) {
    auto payment = services.payments.Get(request.shop.id, *order.payment_id);
    if (payment.ok()) {
      awaits_manual_payment =
          payment->provider == payments::kManualProviderName && payment->status == payments::PaymentStatus::kPending;
      html.Raw("<dl class=\"facts\"><dt>Method</dt><dd>").Text(payment->method);
      if (!payment->card_last4.empty())
        html.Raw(" · ").Text(payment->card_brand).Raw(" ending ").Text(payment->card_last4);
      html.Raw("</dd><dt>Authorised</dt><dd>")
          .Text(MoneyText(payment->amount_minor, payment->currency))
          .Raw("</dd><dt>Captured</dt><dd>")
          .Text(MoneyText(payment->captured_minor, payment->currency))
          .Raw("</dd><dt>Refunded</dt><dd>")
          .Text(MoneyText(payment->refunded_minor, payment->currency))
          .Raw("</dd></dl>");
    }
  } else {
    html.Raw("<p>No payment recorded.</p>");
  }

  html.Raw("<h2>Delivery</h2><p>")
      .Text(order.shipping.name)
      .Raw(order.shipping.promise_text.empty() ? "" : " — ")
      .Text(order.shipping.promise_text)
      .Raw("</p><address>")
      .Text(order.shipping_address.name)
      .Raw("<br>")
      .Text(order.shipping_address.line1)
      .Raw(order.shipping_address.line2.empty() ? "" : "<br>")
      .Text(order.shipping_address.line2)
      .Raw("<br>")
      .Text(order.shipping_address.postal_code)
      .Raw(" ")
      .Text(order.shipping_address.city)
      .Raw("<br>")
      .Text(order.shipping_address.country)
      .Raw("</address>");
  Timeline(html, order);
  Attribution(html, order.attribution);

  if (manage) {
    html.Raw("<h2>Actions</h2><div class=\"actions\">");
    const bool open = order.status != OrderStatus::kCancelled;
    if (order.status == OrderStatus::kPlaced && awaits_manual_payment) {
      ButtonForm(html, request, base + "/mark-paid", "Mark as paid");
    } else if (order.status == OrderStatus::kPlaced && order.payment_id) {
      ButtonForm(html, request, base + "/capture", "Capture payment");
    }
    if (order.status == OrderStatus::kFulfilled) ButtonForm(html, request, base + "/delivered", "Mark as delivered");
    if (order.status == OrderStatus::kPlaced || order.status == OrderStatus::kPaid) {
      ButtonForm(html, request, base + "/cancel", "Cancel order and restock", "danger");
    }
    html.Raw("</div>");

    bool unshipped = false;
    for (const auto& line : order.lines) unshipped = unshipped || line.fulfilled_quantity < line.quantity;
    if (open && unshipped && order.status != OrderStatus::kDelivered) {
      html.Raw("<h3>Fulfil</h3>");
      ButtonForm(html, request, base + "/fulfil", "Fulfil all items");
      html.Raw("<form method=\"post\" class=\"admin-form\" action=\"")
          .Text(base)
          .Raw("/fulfil\">")
          .Fragment(CsrfField(request.staff))
          .Raw("<input type=\"hidden\" name=\"per_line\" value=\"1\"><fieldset><legend>Fulfil some items</legend>");
      for (const auto& line : order.lines) {
        const std::int64_t left = line.quantity - line.fulfilled_quantity;
        if (left <= 0) continue;
        html.Fragment(Input(line.title + ": units to ship (" + std::to_string(left) + " not shipped yet)",
                            "ship_" + std::to_string(line.id), request.Field("ship_" + std::to_string(line.id)), errors,
                            {.type = "number", .attributes = "min=\"0\""}));
      }
      html.Raw("</fieldset><button type=\"submit\">Fulfil selected</button></form>");
    }

    if (order.payment_id && order.refunded_total < order.total) {
      const bool cancellable = order.status == OrderStatus::kPlaced || order.status == OrderStatus::kPaid;
      html.Raw("<h3>Refund</h3><form method=\"post\" class=\"admin-form\" action=\"")
          .Text(base)
          .Raw("/refund\">")
          .Fragment(CsrfField(request.staff))
          .Fragment(Input(
              "Amount to refund (" + order.currency + ")", "amount", request.Field("amount"), errors,
              {.hint = "Leave empty to refund everything not yet refunded.", .attributes = "inputmode=\"decimal\""}));
      if (cancellable) {
        html.Raw(
            "<div class=\"check\"><input type=\"checkbox\" id=\"f-restock\" name=\"restock\" value=\"1\" "
            "aria-describedby=\"f-restock-hint\"><label for=\"f-restock\">Cancel the order and put its items back in "
            "stock</label><span class=\"hint\" id=\"f-restock-hint\">Refunds the whole payment.</span></div>");
      }
      html.Raw("<button type=\"submit\">Refund</button></form>");
    }
  }
  Returns(html, services, request, order, manage, errors);
  return AdminPage(request, "Order #" + std::to_string(order.id), {html.Take()}, status);
}

// Runs an order action; on success redirects with `notice`, else shows the order with
// the error next to `field` (or on top).
http::Handler OrderAction(const PageServices& services, std::string_view notice,
                          std::function<Status(const AdminRequest&, const Order&, FormErrors&)> action) {
  return AdminRoute(services, Permission::kOrdersManage,
                    [&services, notice = std::string(notice), action = std::move(action)](AdminRequest& request) {
                      const auto id = PositiveId(request.http.PathParam("id"));
                      if (!id) return OrderNotFound(request);
                      auto order = services.orders.GetOrder(request.shop.id, *id);
                      if (!order.ok()) return OrderNotFound(request);
                      FormErrors errors;
                      const Status status = action(request, *order, errors);
                      if (!status.ok()) errors.Add(status.error(), request.form);
                      if (!errors.empty()) return OrderPage(services, request, *id, errors, 422);
                      return http::Response::Redirect("/admin/orders/" + std::to_string(*id) + "?notice=" + notice);
                    });
}

template <typename T>
Status StatusOf(const Result<T>& result) {
  return result.ok() ? Ok() : Status(result.error());
}

// An optional amount field in the order's currency; nullopt when left empty.
Result<std::optional<std::int64_t>> OptionalAmount(const AdminRequest& request, std::string_view field,
                                                   const std::string& currency) {
  const std::string text = request.Field(field);
  if (text.empty()) return std::optional<std::int64_t>();
  PLAZA_ASSIGN_OR_RETURN(std::int64_t amount, ParseAmountField(text, currency, "/" + std::string(field)));
  return std::optional<std::int64_t>(amount);
}

// A return action: the return must belong to the order of the path, which belongs to
// the staff member's shop.
http::Handler ReturnAction(const PageServices& services, std::string_view notice,
                           std::function<Status(const AdminRequest&, const Order&, std::int64_t)> action) {
  return OrderAction(
      services, notice,
      [&services, action = std::move(action)](const AdminRequest& request, const Order& order, FormErrors&) -> Status {
        const auto return_id = PositiveId(request.http.PathParam("return_id"));
        if (!return_id) return Error::NotFound("No such return.");
        auto item = services.orders.GetReturn(request.shop.id, *return_id);
        if (!item.ok() || item->order_id != order.id) {
          return Error::NotFound("This order has no such return.");
        }
        return action(request, order, *return_id);
      });
}

}  // namespace

void RegisterOrderPages(http::Router& router, const PageServices& services) {
  router.Get("/admin/orders", AdminRoute(services, Permission::kOrdersRead,
                                         [&services](AdminRequest& request) { return OrderList(services, request); }));
  router.Get("/admin/orders/{id}", AdminRoute(services, Permission::kOrdersRead, [&services](AdminRequest& request) {
               const auto id = PositiveId(request.http.PathParam("id"));
               if (!id) return OrderNotFound(request);
               return OrderPage(services, request, *id, {}, 200);
             }));
  router.Post(
      "/admin/orders/{id}/capture",
      OrderAction(services, "captured", [&services](const AdminRequest& request, const Order& order, FormErrors&) {
        return StatusOf(services.orders.CapturePayment(request.shop.id, order.id));
      }));
  router.Post("/admin/orders/{id}/mark-paid",
              OrderAction(services, "paid", [&services](const AdminRequest& request, const Order& order, FormErrors&) {
                return StatusOf(services.orders.MarkPaid(request.shop.id, order.id));
              }));
  router.Post("/admin/orders/{id}/fulfil",
              OrderAction(services, "fulfilled",
                          [&services](const AdminRequest& request, const Order& order, FormErrors& errors) -> Status {
                            std::vector<orders::FulfilmentLine> lines;
                            for (const auto& line : order.lines) {
                              const std::int64_t left = line.quantity - line.fulfilled_quantity;
                              if (left <= 0) continue;
                              if (request.Field("per_line").empty()) {
                                lines.push_back({.order_line_id = line.id, .quantity = left});
                                continue;
                              }
                              const std::string name = "ship_" + std::to_string(line.id);
                              const std::string text = request.Field(name);
                              if (text.empty()) continue;
                              const auto quantity = ParseCount(text);
                              if (!quantity || *quantity > left) {
                                errors.fields.emplace(name,
                                                      "Enter a whole number from 0 to " + std::to_string(left) + ".");
                              } else if (*quantity > 0) {
                                lines.push_back({.order_line_id = line.id, .quantity = *quantity});
                              }
                            }
                            if (!errors.empty()) return Ok();
                            if (lines.empty()) {
                              errors.summary = "Enter how many of at least one item shipped.";
                              return Ok();
                            }
                            return StatusOf(services.orders.Fulfil(request.shop.id, order.id, lines));
                          }));
  router.Post(
      "/admin/orders/{id}/delivered",
      OrderAction(services, "delivered", [&services](const AdminRequest& request, const Order& order, FormErrors&) {
        return StatusOf(services.orders.MarkDelivered(request.shop.id, order.id));
      }));
  router.Post(
      "/admin/orders/{id}/cancel",
      OrderAction(services, "cancelled", [&services](const AdminRequest& request, const Order& order, FormErrors&) {
        return StatusOf(services.orders.Cancel(request.shop.id, order.id));
      }));
  router.Post("/admin/orders/{id}/refund",
              OrderAction(services, "refunded",
                          [&services](const AdminRequest& request, const Order& order, FormErrors& errors) -> Status {
                            auto amount = OptionalAmount(request, "amount", order.currency);
                            if (!amount.ok()) return amount.error();
                            if (!request.Field("restock").empty()) {
                              if (*amount && *amount != order.total - order.refunded_total) {
                                errors.fields.emplace(
                                    "amount",
                                    "Cancelling refunds the whole payment; leave the amount empty to cancel.");
                                return Ok();
                              }
                              return StatusOf(services.orders.Cancel(request.shop.id, order.id));
                            }
                            return StatusOf(services.orders.Refund(request.shop.id, order.id, *amount));
                          }));
  router.Post("/admin/orders/{id}/returns/{return_id}/approve",
              ReturnAction(services, "saved", [&services](const AdminRequest& request, const Order&, std::int64_t id) {
                return StatusOf(services.orders.ApproveReturn(request.shop.id, id));
              }));
  router.Post("/admin/orders/{id}/returns/{return_id}/reject",
              ReturnAction(services, "saved", [&services](const AdminRequest& request, const Order&, std::int64_t id) {
                return StatusOf(services.orders.RejectReturn(request.shop.id, id));
              }));
  router.Post("/admin/orders/{id}/returns/{return_id}/receive",
              ReturnAction(services, "received",
                           [&services](const AdminRequest& request, const Order&, std::int64_t id) -> Status {
                             auto item = services.orders.GetReturn(request.shop.id, id);
                             if (!item.ok()) return item.error();
                             orders::ReceiveReturnInput input;
                             for (const auto& line : item->lines) {
                               const bool write_off = request.Field("disposition_" + std::to_string(id) + "_" +
                                                                    std::to_string(line.order_line_id)) == "write_off";
                               input.lines.push_back({.order_line_id = line.order_line_id,
                                                      .disposition = write_off ? orders::Disposition::kWriteOff
                                                                               : orders::Disposition::kRestock});
                             }
                             input.location_id = PositiveId(request.Field("location_id"));
                             return StatusOf(services.orders.ReceiveReturn(request.shop.id, id, input));
                           }));
  router.Post("/admin/orders/{id}/returns/{return_id}/refund",
              ReturnAction(services, "refunded",
                           [&services](const AdminRequest& request, const Order& order, std::int64_t id) -> Status {
                             auto amount =
                                 OptionalAmount(request, "return_amount_" + std::to_string(id), order.currency);
                             if (!amount.ok()) return amount.error();
                             return StatusOf(services.orders.RefundReturn(request.shop.id, id, *amount));
                           }));
}

}  // namespace plaza::web::admin
