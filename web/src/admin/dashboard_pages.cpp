// The dashboard: what a merchant checks first each day — today's orders and revenue,
// the last 30 days as a chart, stock that needs attention, webhook deliveries that gave
// up, and recent activity. Every figure comes from one bounded query.

#include <algorithm>
#include <chrono>

#include "admin_page.h"
#include "plaza/inventory/alerts.h"
#include "plaza/orders/reports.h"
#include "plaza/store/outbox_dispatcher.h"
#include "product_form.h"
#include "routes.h"

namespace plaza::web::admin {
namespace {

using identity::Permission;

constexpr int kChartDays = 30;
constexpr int kStockAlertsShown = 20;
constexpr int kRecentEntries = 10;

std::string DayText(TimePoint day) {
  return FormatRfc3339(day).substr(0, 10);
}

// The currencies to report: the default market's first, then any other with sales.
std::vector<std::string> Currencies(const PageServices& services, std::int64_t shop_id,
                                    const std::vector<orders::DailySales>& sales) {
  std::vector<std::string> currencies;
  auto markets = services.pricing.ListMarkets(shop_id);
  if (markets.ok()) {
    for (const auto& market : *markets) {
      if (market.is_default) currencies.push_back(market.currency);
    }
  }
  for (const auto& day : sales) {
    if (std::ranges::find(currencies, day.currency) == currencies.end()) currencies.push_back(day.currency);
  }
  return currencies;
}

// A bar chart of revenue per day as inline SVG: readable without scripts or styles from
// outside the page, described for screen readers, with the figures in a table too.
Trusted RevenueChart(const std::string& currency, const std::vector<orders::DailySales>& sales, TimePoint today) {
  constexpr int kWidth = 600, kHeight = 200, kTop = 10, kBottom = 24;
  struct Day {
    TimePoint day;
    std::int64_t orders = 0;
    std::int64_t revenue = 0;
  };
  std::vector<Day> days;
  for (int i = kChartDays - 1; i >= 0; --i) days.push_back({today - std::chrono::days(i)});
  for (const auto& row : sales) {
    if (row.currency != currency) continue;
    for (Day& day : days) {
      if (day.day == row.day) {
        day.orders = row.orders;
        day.revenue = row.revenue;
      }
    }
  }
  std::int64_t peak = 0, total = 0;
  for (const Day& day : days) {
    peak = std::max(peak, day.revenue);
    total += day.revenue;
  }
  const std::string id = "revenue-" + currency;
  HtmlWriter html;
  html.Raw("<figure class=\"chart\"><svg role=\"img\" aria-labelledby=\"")
      .Text(id)
      .Raw("-title ")
      .Text(id)
      .Raw("-desc\" viewBox=\"0 0 ")
      .Text(std::to_string(kWidth))
      .Raw(" ")
      .Text(std::to_string(kHeight))
      .Raw("\" width=\"")
      .Text(std::to_string(kWidth))
      .Raw("\" height=\"")
      .Text(std::to_string(kHeight))
      .Raw("\"><title id=\"")
      .Text(id)
      .Raw("-title\">Revenue per day in ")
      .Text(currency)
      .Raw(", last 30 days</title><desc id=\"")
      .Text(id)
      .Raw("-desc\">")
      .Text("From " + DayText(days.front().day) + " to " + DayText(days.back().day) + ": " +
            MoneyText(total, currency) + " in total, at most " + MoneyText(peak, currency) + " on one day.")
      .Raw("</desc><line class=\"chart-axis\" x1=\"0\" x2=\"")
      .Text(std::to_string(kWidth))
      .Raw("\" y1=\"")
      .Text(std::to_string(kHeight - kBottom))
      .Raw("\" y2=\"")
      .Text(std::to_string(kHeight - kBottom))
      .Raw("\"/>");
  const int slot = kWidth / kChartDays;
  const int plot = kHeight - kTop - kBottom;
  for (std::size_t i = 0; i < days.size(); ++i) {
    const std::int64_t bar = peak > 0 ? days[i].revenue * plot / peak : 0;
    const std::int64_t x = static_cast<std::int64_t>(i) * slot + 2;
    html.Raw("<rect class=\"chart-bar\" x=\"")
        .Text(std::to_string(x))
        .Raw("\" y=\"")
        .Text(std::to_string(kHeight - kBottom - bar))
        .Raw("\" width=\"")
        .Text(std::to_string(slot - 4))
        .Raw("\" height=\"")
        .Text(std::to_string(bar))
        .Raw("\"/>");
    if (i % 7 == 0 || i + 1 == days.size()) {
      html.Raw("<text class=\"chart-label\" x=\"")
          .Text(std::to_string(x))
          .Raw("\" y=\"")
          .Text(std::to_string(kHeight - 6))
          .Raw("\">")
          .Text(DayText(days[i].day).substr(5))
          .Raw("</text>");
    }
  }
  html.Raw("</svg><figcaption>Revenue per day in ")
      .Text(currency)
      .Raw("</figcaption></figure><table class=\"visually-hidden\"><caption>Orders and revenue per day in ")
      .Text(currency)
      .Raw(
          "</caption><thead><tr><th scope=\"col\">Day</th><th scope=\"col\">Orders</th>"
          "<th scope=\"col\">Revenue</th></tr></thead><tbody>");
  for (const Day& day : days) {
    html.Raw("<tr><th scope=\"row\">")
        .Text(DayText(day.day))
        .Raw("</th><td>")
        .Text(std::to_string(day.orders))
        .Raw("</td><td>")
        .Text(MoneyText(day.revenue, currency))
        .Raw("</td></tr>");
  }
  html.Raw("</tbody></table>");
  return {html.Take()};
}

void Sales(HtmlWriter& html, const PageServices& services, const AdminRequest& request) {
  const TimePoint now = services.clock.Now();
  const TimePoint today = std::chrono::floor<std::chrono::days>(now);
  auto sales = orders::SalesByDay(services.db, request.shop.id, now, kChartDays);
  html.Raw("<section aria-labelledby=\"today\"><h2 id=\"today\">Today</h2>");
  if (!sales.ok()) {
    html.Fragment(ErrorBox(sales.error().detail)).Raw("</section>");
    return;
  }
  const std::vector<std::string> currencies = Currencies(services, request.shop.id, *sales);
  html.Raw("<dl class=\"stats\">");
  if (currencies.empty()) html.Raw("<div><dt>Orders today</dt><dd data-stat=\"orders-today\">0</dd></div>");
  for (const std::string& currency : currencies) {
    std::int64_t orders = 0, revenue = 0;
    for (const auto& day : *sales) {
      if (day.day == today && day.currency == currency) {
        orders = day.orders;
        revenue = day.revenue;
      }
    }
    html.Raw("<div><dt>Orders today")
        .Text(currencies.size() > 1 ? " (" + currency + ")" : "")
        .Raw("</dt><dd data-stat=\"orders-today\">")
        .Text(std::to_string(orders))
        .Raw("</dd></div><div><dt>Revenue today")
        .Text(currencies.size() > 1 ? " (" + currency + ")" : "")
        .Raw("</dt><dd data-stat=\"revenue-today\">")
        .Text(MoneyText(revenue, currency))
        .Raw("</dd></div>");
  }
  html.Raw("</dl></section><section aria-labelledby=\"last-30\"><h2 id=\"last-30\">Last 30 days</h2>");
  for (const std::string& currency : currencies) html.Fragment(RevenueChart(currency, *sales, today));
  if (currencies.empty()) html.Raw("<p>Revenue appears here once the shop has a market.</p>");
  html.Raw("<p><a href=\"/admin/orders\">All orders</a></p></section>");
}

void StockAlerts(HtmlWriter& html, const PageServices& services, const AdminRequest& request) {
  html.Raw("<section aria-labelledby=\"stock\"><h2 id=\"stock\">Stock alerts</h2>");
  auto alerts = inventory::ListStockAlerts(services.db, request.shop.id, kStockAlertsShown);
  if (!alerts.ok()) {
    html.Fragment(ErrorBox(alerts.error().detail)).Raw("</section>");
    return;
  }
  if (alerts->empty()) {
    html.Raw("<p>Nothing is low or sold out.</p></section>");
    return;
  }
  std::map<std::string, std::string> titles;
  (void)services.db.Read([&](store::Transaction& tx) -> Status {
    for (const auto& alert : *alerts) {
      if (alert.sku.empty()) continue;
      auto variant = catalog::GetVariantBySku(tx, request.shop.id, alert.sku);
      if (variant.ok()) titles[alert.sku] = variant->product_title;
    }
    return Ok();
  });
  html.Raw("<ul class=\"alerts\">");
  for (const auto& alert : *alerts) {
    const auto title = titles.find(alert.sku);
    std::string label = title != titles.end() ? title->second + " (" + alert.sku + ")"
                        : alert.sku.empty()   ? "Item " + std::to_string(alert.item_id)
                                              : alert.sku;
    const std::string_view state = alert.state == inventory::StockState::kLowStock   ? "Low stock"
                                   : alert.state == inventory::StockState::kPreorder ? "Selling on pre-order"
                                                                                     : "Out of stock";
    html.Raw("<li><a href=\"/admin/inventory/items/")
        .Text(std::to_string(alert.item_id))
        .Raw("\">")
        .Text(label)
        .Raw("</a>: ")
        .Text(state)
        .Raw("</li>");
  }
  html.Raw("</ul></section>");
}

void DeadLetters(HtmlWriter& html, const PageServices& services, const AdminRequest& request) {
  auto dead = store::ListDeadLetters(services.db, {.shop_id = request.shop.id, .limit = store::kMaxDeadLetterPage});
  if (!dead.ok()) return;
  html.Raw("<section aria-labelledby=\"webhooks\"><h2 id=\"webhooks\">Webhook deliveries</h2><p>");
  if (dead->empty()) {
    html.Raw("Every delivery went through.");
  } else {
    html.Raw("<strong>")
        .Text(std::to_string(dead->size()) + (dead->size() == store::kMaxDeadLetterPage ? " or more" : ""))
        .Raw("</strong> ")
        .Raw(dead->size() == 1 ? "delivery" : "deliveries")
        .Raw(" gave up after every retry. <a href=\"/admin/webhooks\">Review webhooks</a>");
  }
  html.Raw("</p></section>");
}

Trusted StaffTable(const std::vector<identity::StaffMember>& staff) {
  HtmlWriter html;
  html.Raw(
      "<table><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">E-mail</th><th scope=\"col\">Roles</th>"
      "<th scope=\"col\">2FA</th></tr></thead><tbody>");
  for (const auto& member : staff) {
    html.Raw("<tr><td>").Text(member.name).Raw("</td><td>").Text(member.email).Raw("</td><td>");
    for (std::size_t i = 0; i < member.roles.size(); ++i) {
      html.Raw(i ? ", " : "").Text(identity::RoleName(member.roles[i]));
    }
    html.Raw("</td><td>")
        .Raw(member.totp_enabled ? "on" : "off")
        .Raw(member.disabled ? " (disabled)" : "")
        .Raw("</td></tr>");
  }
  html.Raw("</tbody></table>");
  return {html.Take()};
}

void Team(HtmlWriter& html, const PageServices& services, const AdminRequest& request) {
  auto members = services.identity.ListStaff(request.staff, request.shop.id);
  html.Raw("<section aria-labelledby=\"team\"><h2 id=\"team\">Staff</h2>")
      .Fragment(members.ok() ? StaffTable(*members) : ErrorBox(members.error().detail))
      .Raw("</section>");
}

void RecentActivity(HtmlWriter& html, const PageServices& services, const AdminRequest& request) {
  auto audit = services.identity.ListAudit(request.staff, request.shop.id, std::nullopt, kRecentEntries);
  if (!audit.ok()) return;
  html.Raw("<section aria-labelledby=\"activity\"><h2 id=\"activity\">Recent activity</h2>");
  if (audit->entries.empty()) {
    html.Raw("<p>Nothing yet.</p></section>");
    return;
  }
  html.Raw(
      "<table><thead><tr><th scope=\"col\">When</th><th scope=\"col\">Who</th>"
      "<th scope=\"col\">What</th><th scope=\"col\">Target</th></tr></thead><tbody>");
  for (const auto& entry : audit->entries) {
    html.Raw("<tr><td>")
        .Text(TimeText(entry.at))
        .Raw("</td><td>")
        .Text(entry.actor)
        .Raw("</td><td>")
        .Text(entry.action)
        .Raw("</td><td>")
        .Text(entry.target)
        .Raw("</td></tr>");
  }
  html.Raw("</tbody></table></section>");
}

http::Response Dashboard(const PageServices& services, const AdminRequest& request) {
  const identity::Principal& staff = request.staff;
  HtmlWriter html;
  html.Raw("<p class=\"muted\">Shop handle <code>").Text(request.shop.handle).Raw("</code> · your roles: ");
  for (std::size_t i = 0; i < staff.roles.size(); ++i) html.Raw(i ? ", " : "").Text(identity::RoleName(staff.roles[i]));
  html.Raw("</p>");
  if (identity::Holds(staff, Permission::kOrdersRead)) Sales(html, services, request);
  if (identity::Holds(staff, Permission::kInventoryManage)) StockAlerts(html, services, request);
  if (identity::Holds(staff, Permission::kWebhooksManage)) DeadLetters(html, services, request);
  if (identity::Holds(staff, Permission::kAuditRead)) RecentActivity(html, services, request);
  if (identity::Holds(staff, Permission::kStaffManage)) Team(html, services, request);
  return AdminPage(request, "Dashboard", {html.Take()});
}

}  // namespace

void RegisterDashboardPages(http::Router& router, const PageServices& services) {
  router.Get("/admin", AdminRoute(services, std::nullopt,
                                  [&services](AdminRequest& request) { return Dashboard(services, request); }));
}

}  // namespace plaza::web::admin
