// The dashboard: what a merchant checks first each day.

#include "admin_page.h"
#include "plaza/store/outbox_dispatcher.h"
#include "routes.h"

namespace plaza::web::admin {
namespace {

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

http::Response Dashboard(const PageServices& services, const AdminRequest& request) {
  const identity::Principal& staff = request.staff;
  const identity::Shop* shop = &request.shop;
  HtmlWriter html;
  html.Raw("<p class=\"muted\">Shop handle <code>")
      .Text(shop->handle)
      .Raw("</code> · your roles: ");
  for (std::size_t i = 0; i < staff.roles.size(); ++i) html.Raw(i ? ", " : "").Text(identity::RoleName(staff.roles[i]));
  html.Raw("</p>");

  if (identity::Holds(staff, identity::Permission::kStaffManage)) {
    html.Raw("<h2>Staff</h2>");
    auto members = services.identity.ListStaff(staff, staff.shop_id);
    html.Fragment(members.ok() ? StaffTable(*members) : ErrorBox(members.error().detail));
  }
  if (identity::Holds(staff, identity::Permission::kWebhooksManage)) {
    html.Raw("<h2>Webhooks</h2>");
    auto subscriptions = services.webhooks.List(staff.shop_id);
    if (!subscriptions.ok()) {
      html.Fragment(ErrorBox(subscriptions.error().detail));
    } else if (subscriptions->empty()) {
      html.Raw("<p class=\"muted\">No subscriptions yet. Create one with <code>POST /api/v1/shops/")
          .Text(shop->handle)
          .Raw("/webhooks</code>.</p>");
    } else {
      html.Raw(
          "<table><thead><tr><th scope=\"col\">URL</th><th scope=\"col\">Events</th><th scope=\"col\">Active</th>"
          "</tr></thead><tbody>");
      for (const auto& subscription : *subscriptions) {
        html.Raw("<tr><td><code>").Text(subscription.url).Raw("</code></td><td>");
        for (std::size_t i = 0; i < subscription.event_types.size(); ++i) {
          html.Raw(i ? ", " : "").Text(subscription.event_types[i]);
        }
        html.Raw("</td><td>").Raw(subscription.active ? "yes" : "no").Raw("</td></tr>");
      }
      html.Raw("</tbody></table>");
    }
    auto dead = store::ListDeadLetters(services.db, {.shop_id = staff.shop_id, .limit = store::kMaxDeadLetterPage});
    if (dead.ok()) {
      html.Raw("<p>Dead-lettered deliveries: <strong>").Text(std::to_string(dead->size())).Raw("</strong></p>");
    }
  }
  if (identity::Holds(staff, identity::Permission::kAuditRead)) {
    html.Raw("<h2>Recent activity</h2>");
    // The overview shows a glance; the API pages through the rest.
    constexpr int kRecentEntries = 10;
    auto audit = services.identity.ListAudit(staff, staff.shop_id, std::nullopt, kRecentEntries);
    if (audit.ok()) {
      html.Raw(
          "<table><thead><tr><th scope=\"col\">When (UTC)</th><th scope=\"col\">Who</th>"
          "<th scope=\"col\">What</th><th scope=\"col\">Target</th></tr></thead><tbody>");
      for (const auto& entry : audit->entries) {
        html.Raw("<tr><td>")
            .Text(FormatRfc3339(entry.at))
            .Raw("</td><td>")
            .Text(entry.actor)
            .Raw("</td><td>")
            .Text(entry.action)
            .Raw("</td><td>")
            .Text(entry.target)
            .Raw("</td></tr>");
      }
      html.Raw("</tbody></table>");
    }
  }
  return AdminPage(request, "Dashboard", {html.Take()});
}


}  // namespace

void RegisterDashboardPages(http::Router& router, const PageServices& services) {
  router.Get("/admin", AdminRoute(services, std::nullopt, [&services](AdminRequest& request) {
               return Dashboard(services, request);
             }));
}

}  // namespace plaza::web::admin
