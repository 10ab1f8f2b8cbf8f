#include "admin_page.h"

#include <array>

#include "../form.h"

namespace plaza::web::admin {
namespace {

using http::Request;
using http::Response;

struct Section {
  std::string_view path;
  std::string_view label;
  std::optional<identity::Permission> permission;
};

// The navigation, in the order a merchant works through the day.
constexpr std::array kSections{
    Section{"/admin", "Dashboard", std::nullopt},
    Section{"/admin/orders", "Orders", identity::Permission::kOrdersRead},
    Section{"/admin/products", "Products", identity::Permission::kCatalogRead},
    Section{"/admin/inventory", "Inventory", identity::Permission::kInventoryManage},
    Section{"/admin/promotions", "Promotions", identity::Permission::kPromotionsWrite},
    Section{"/admin/import", "Import", identity::Permission::kCatalogWrite},
    Section{"/admin/moderation", "Moderation", identity::Permission::kModerationAct},
    Section{"/admin/reviews", "Reviews and questions", identity::Permission::kCareReply},
    Section{"/admin/ideas", "Ideas", identity::Permission::kCatalogRead},
    Section{"/admin/groups", "Groups", identity::Permission::kModerationAct},
    Section{"/admin/settings", "Markets and shipping", identity::Permission::kPricingWrite},
    Section{"/admin/team", "Staff", identity::Permission::kStaffManage},
    Section{"/admin/tokens", "API tokens", identity::Permission::kTokensManage},
    Section{"/admin/webhooks", "Webhooks", identity::Permission::kWebhooksManage},
};

Response PlainPage(std::string_view title, const Trusted& content, int status) {
  Response response = Response::Html(Layout(title, content), status);
  response.SetHeader("Cache-Control", "no-store");
  return response;
}

// The section a path belongs to: the longest matching prefix.
std::string_view CurrentSection(std::string_view path) {
  std::string_view best;
  for (const Section& section : kSections) {
    const bool match = path == section.path || (path.starts_with(section.path) && path.size() > section.path.size() &&
                                                path[section.path.size()] == '/');
    if (match && section.path.size() > best.size()) best = section.path;
  }
  return best;
}

}  // namespace

std::optional<identity::Principal> StaffSession(const PageServices& services, const Request& request) {
  const auto token = request.Cookie(kStaffCookie);
  if (!token) return std::nullopt;
  auto principal = services.identity.ResolveSession(*token, request.remote_address);
  if (!principal.ok() || principal->kind != identity::PrincipalKind::kStaff) return std::nullopt;
  return std::move(principal).value();
}

std::string NextStep(const identity::Principal& principal) {
  switch (principal.state) {
    case identity::AuthState::kSecondFactorPending:
      return "/admin/second-factor";
    case identity::AuthState::kEnrolmentRequired:
      return "/admin/enrol";
    case identity::AuthState::kActive:
      return "/admin";
  }
  return "/admin";
}

std::string AdminRequest::Field(std::string_view name) const {
  const auto found = form.find(name);
  return found == form.end() ? std::string() : found->second;
}

http::Handler AdminRoute(const PageServices& services, std::optional<identity::Permission> permission,
                         AdminHandler handler) {
  return [&services, permission, handler = std::move(handler)](Request& request) -> Response {
    const std::optional<identity::Principal> staff = StaffSession(services, request);
    if (!staff) return Response::Redirect("/admin/login");
    if (staff->state != identity::AuthState::kActive) return Response::Redirect(NextStep(*staff));
    auto shop = services.identity.GetShop(staff->shop_id);
    if (!shop.ok()) return PlainPage("Not available", ErrorBox(shop.error().detail), 503);
    AdminRequest admin{.http = request, .staff = *staff, .shop = std::move(shop).value(), .form = {}};
    if (permission && !identity::Holds(*staff, *permission)) {
      HtmlWriter html;
      html.Raw("<p>Your roles do not include <code>")
          .Text(identity::PermissionName(*permission))
          .Raw("</code>, which this page needs. An owner can grant it under Staff.</p>");
      return AdminPage(admin, "Not allowed", {html.Take()}, 403);
    }
    if (request.method == http::Method::kPost) {
      auto form = ReadForm(request);
      if (!form.ok()) return AdminPage(admin, "Form not accepted", ErrorBox(form.error().detail), 400);
      admin.form = std::move(form).value();
      if (!identity::CheckCsrf(*staff, admin.Field("csrf_token")).ok()) {
        return AdminPage(admin, "Form expired", ErrorBox("The form expired; reload the page and try again."), 403);
      }
    }
    return handler(admin);
  };
}

http::Response AdminPage(const AdminRequest& request, std::string_view title, const Trusted& content, int status) {
  const std::string_view current = CurrentSection(request.http.path);
  HtmlWriter html;
  html.Raw("<header class=\"admin-bar\"><p class=\"admin-shop\">")
      .Text(request.shop.name)
      .Raw("</p><nav aria-label=\"Admin\"><ul>");
  for (const Section& section : kSections) {
    if (section.permission && !identity::Holds(request.staff, *section.permission)) continue;
    html.Raw("<li><a href=\"").Text(section.path).Raw(section.path == current ? "\" aria-current=\"page\">" : "\">");
    html.Text(section.label).Raw("</a></li>");
  }
  html.Raw("</ul></nav><form method=\"post\" action=\"/admin/logout\">")
      .Fragment(CsrfField(request.staff))
      .Raw("<button type=\"submit\" class=\"secondary\">Log out</button></form></header><h1>")
      .Text(title)
      .Raw("</h1>")
      .Fragment(NoticeFrom(request.http))
      .Fragment(content);
  return PlainPage(title, {html.Take()}, status);
}

Trusted NoticeFrom(const http::Request& request) {
  // Only known codes are shown: echoing free text from a link would let anyone put
  // words in the shop's admin.
  static constexpr std::pair<std::string_view, std::string_view> kNotices[] = {
      {"saved", "Saved."},
      {"created", "Created."},
      {"deleted", "Deleted."},
      {"refunded", "Refund recorded."},
      {"cancelled", "Order cancelled; its stock is back."},
      {"fulfilled", "Fulfilment recorded."},
      {"imported", "Import finished."},
      {"revoked", "Revoked."},
      {"deactivated", "Deactivated."},
      {"requeued", "Requeued for delivery."},
      {"captured", "Payment captured."},
      {"paid", "Payment recorded."},
      {"delivered", "Marked as delivered."},
      {"received", "Return received."},
      {"accepted", "Idea accepted; its draft product is in the catalog."},
      {"declined", "Idea declined; the author sees the reason."},
      {"reevaluated", "Members re-evaluated against the VIP rule."},
  };
  const auto notice = request.Query("notice");
  if (!notice) return {};
  for (const auto& [code, message] : kNotices) {
    if (code == *notice) {
      HtmlWriter html;
      html.Raw("<p class=\"notice\" role=\"status\">").Text(message).Raw("</p>");
      return {html.Take()};
    }
  }
  return {};
}

}  // namespace plaza::web::admin
