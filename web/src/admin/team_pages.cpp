// Staff, API tokens and webhooks: who may do what in the shop, and what talks to it
// from outside. Every change goes through IdentityService or WebhookService with the
// staff member as the actor, so the permission checks and the audit log stay there.

#include <charconv>

#include "plaza/core/text.h"
#include "plaza/store/outbox_dispatcher.h"
#include "routes.h"
#include "settings_fields.h"

namespace plaza::web::admin {
namespace {

using http::Response;
using identity::Permission;

std::optional<std::int64_t> IdParam(const AdminRequest& request) {
  const std::string_view text = request.http.PathParam("id");
  std::int64_t id = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

std::string RoleField(identity::Role role) {
  return "role_" + std::string(identity::RoleName(role));
}

std::vector<identity::Role> RolesFrom(const AdminRequest& request) {
  std::vector<identity::Role> roles;
  for (const identity::Role role : identity::AllRoles()) {
    if (request.Field(RoleField(role)) == "on") roles.push_back(role);
  }
  return roles;
}

Trusted RoleChecks(const std::vector<identity::Role>& held, std::string_view id_prefix = {}) {
  HtmlWriter html;
  for (const identity::Role role : identity::AllRoles()) {
    const bool checked = std::find(held.begin(), held.end(), role) != held.end();
    const std::string id = "f-" + std::string(id_prefix) + RoleField(role);
    html.Raw("<span class=\"check\"><input type=\"checkbox\" id=\"")
        .Text(id)
        .Raw("\" name=\"")
        .Text(RoleField(role))
        .Raw(checked ? "\" value=\"on\" checked><label for=\"" : "\" value=\"on\"><label for=\"")
        .Text(id)
        .Raw("\">")
        .Text(identity::RoleName(role))
        .Raw("</label></span> ");
  }
  return {html.Take()};
}

// ---- Staff ----

struct InviteState {
  FormFields fields;
  FieldErrors errors;
  std::optional<std::string> invitation_link;  // shown once, right after inviting
  std::string invited_email;
};

Response TeamPage(const PageServices& services, const AdminRequest& request, const InviteState& state, int status) {
  auto staff = services.identity.ListStaff(request.staff, request.shop.id);
  if (!staff.ok()) return AdminPage(request, "Staff", ErrorBox(staff.error().detail), 503);
  HtmlWriter html;
  if (state.invitation_link) {
    html.Raw("<div class=\"secret\" role=\"status\"><p>Invitation created for <strong>")
        .Text(state.invited_email)
        .Raw("</strong>. Send them this link; it is shown only now and works once, within three days:</p><p><code>")
        .Text(*state.invitation_link)
        .Raw("</code></p></div>");
  }
  if (state.invitation_link == std::nullopt && !state.errors.general().empty() && state.fields.empty()) {
    html.Fragment(ErrorBox(state.errors.general()));
  }
  html.Raw(
      "<table><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">E-mail</th><th scope=\"col\">Roles</th>"
      "<th scope=\"col\">2FA</th><th scope=\"col\">Status</th><th scope=\"col\"><span class=\"visually-hidden\">"
      "Actions</span></th></tr></thead><tbody>");
  for (const identity::StaffMember& member : *staff) {
    const std::string base = "/admin/team/" + std::to_string(member.id);
    html.Raw("<tr><td>")
        .Text(member.name)
        .Raw("</td><td>")
        .Text(member.email)
        .Raw("</td><td><form method=\"post\" class=\"inline\" action=\"")
        .Text(base)
        .Raw("/roles\">")
        .Fragment(CsrfField(request.staff))
        .Raw("<fieldset><legend class=\"visually-hidden\">Roles of ")
        .Text(member.name)
        .Raw("</legend>")
        .Fragment(RoleChecks(member.roles, std::to_string(member.id) + "-"))
        .Raw("</fieldset><button type=\"submit\" class=\"secondary\">Save roles</button></form></td><td>")
        .Raw(member.totp_enabled ? "on" : "off")
        .Raw("</td><td>")
        .Raw(member.disabled ? "disabled" : (member.has_password ? "active" : "invited"))
        .Raw("</td><td>");
    if (!member.disabled && member.id != request.staff.user_id) {
      html.Fragment(ActionButton(request, base + "/disable", "Disable"));
    }
    if (member.totp_enabled) html.Fragment(ActionButton(request, base + "/reset-2fa", "Reset 2FA"));
    html.Raw("</td></tr>");
  }
  html.Raw("</tbody></table>");

  auto value = [&](std::string_view name) {
    const auto found = state.fields.find(name);
    return found == state.fields.end() ? std::string() : found->second;
  };
  std::vector<identity::Role> invited_roles;
  for (const identity::Role role : identity::AllRoles()) {
    if (value(RoleField(role)) == "on") invited_roles.push_back(role);
  }
  html.Raw("<h2>Invite staff</h2><form method=\"post\" class=\"admin-form\" action=\"/admin/team\" novalidate>")
      .Fragment(CsrfField(request.staff))
      .Fragment(state.fields.empty() ? Trusted{} : FormErrorBox(state.errors))
      .Fragment(Input({.name = "name", .label = "Name", .value = value("name"), .required = true}, state.errors))
      .Fragment(Input({.name = "email", .label = "E-mail", .value = value("email"), .type = "email", .required = true},
                      state.errors))
      .Raw("<fieldset><legend>Roles</legend>")
      .Fragment(RoleChecks(invited_roles, "invite-"));
  if (const std::string* error = state.errors.For("roles")) {
    html.Raw("<p class=\"field-error\" role=\"alert\">").Text(*error).Raw("</p>");
  }
  html.Raw("</fieldset><button type=\"submit\">Invite</button></form>");

  if (identity::Holds(request.staff, Permission::kShopManage)) {
    html.Raw("<h2>Security</h2><form method=\"post\" class=\"admin-form\" action=\"/admin/team/security\">")
        .Fragment(CsrfField(request.staff))
        .Fragment(Checkbox("require_2fa", "Require a second factor (2FA) for all staff",
                           request.shop.settings.require_staff_2fa))
        .Raw("<button type=\"submit\">Save</button></form>");
  }
  return AdminPage(request, "Staff", {html.Take()}, status);
}

Response Invite(const PageServices& services, const AdminRequest& request) {
  InviteState state{.fields = request.form, .errors = {}, .invitation_link = {}, .invited_email = {}};
  state.fields.erase("csrf_token");
  identity::NewStaff invite{.email = std::string(text::TrimAscii(request.Field("email"))),
                            .name = std::string(text::TrimAscii(request.Field("name"))),
                            .roles = RolesFrom(request),
                            .password = {}};
  if (invite.name.empty()) state.errors.Add("name", "Write the person's name.");
  if (invite.email.find('@') == std::string::npos)
    state.errors.Add("email", "Write an e-mail address like ana@example.com.");
  if (invite.roles.empty()) state.errors.Add("roles", "Give at least one role.");
  if (state.errors.empty()) {
    auto created = services.identity.CreateStaff(request.staff, request.shop.id, invite);
    if (created.ok()) {
      state = InviteState{};
      state.invited_email = created->staff.email;
      state.invitation_link =
          services.public_base_url + "/admin/invitation?token=" + created->invitation_token.value_or("");
      return TeamPage(services, request, state, 201);
    }
    state.errors.Add(created.error(), {{"/email", "email"}, {"/name", "name"}, {"/roles", "roles"}});
    if (created.error().type == "identity/email-taken" && !state.errors.For("email")) {
      state.errors = FieldErrors();
      state.errors.Add("email", created.error().detail);
    }
  }
  return TeamPage(services, request, state, 422);
}

Response AfterStaffAction(const PageServices& services, const AdminRequest& request, const Status& status,
                          std::string_view notice) {
  if (status.ok()) return RedirectWithNotice("/admin/team", notice);
  InviteState state;
  state.errors.AddGeneral(status.error().detail);
  const int code = status.error().code == ErrorCode::kNotFound           ? 404
                   : status.error().code == ErrorCode::kPermissionDenied ? 403
                                                                         : 409;
  return TeamPage(services, request, state, code);
}

// ---- API tokens ----

Response TokensPage(const PageServices& services, const AdminRequest& request, const FormFields& fields,
                    const FieldErrors& errors, const std::optional<identity::CreatedApiToken>& created, int status) {
  auto tokens = services.identity.ListApiTokens(request.staff, request.shop.id);
  if (!tokens.ok()) return AdminPage(request, "API tokens", ErrorBox(tokens.error().detail), 503);
  HtmlWriter html;
  if (created) {
    html.Raw("<div class=\"secret\" role=\"status\"><p>Token <strong>")
        .Text(created->info.name)
        .Raw("</strong> created. Copy it now: it is shown only once.</p><p><code class=\"token\">")
        .Text(created->token)
        .Raw("</code></p></div>");
  }
  if (fields.empty() && !errors.general().empty()) html.Fragment(ErrorBox(errors.general()));
  if (tokens->empty()) {
    html.Raw("<p class=\"muted\">No API tokens.</p>");
  } else {
    html.Raw(
        "<table><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Starts with</th><th scope=\"col\">Scopes</th>"
        "<th scope=\"col\">Created (UTC)</th><th scope=\"col\">Last used (UTC)</th><th scope=\"col\">Status</th>"
        "</tr></thead><tbody>");
    for (const identity::ApiTokenInfo& token : *tokens) {
      html.Raw("<tr><td>")
          .Text(token.name)
          .Raw("</td><td><code>")
          .Text(token.prefix)
          .Raw("…</code></td><td>")
          .Text(JoinList(token.scopes))
          .Raw("</td><td>")
          .Text(FormatRfc3339(token.created_at))
          .Raw("</td><td>")
          .Text(token.last_used_at ? FormatRfc3339(*token.last_used_at) : std::string("never"))
          .Raw("</td><td>");
      if (token.revoked) {
        html.Raw("revoked");
      } else {
        html.Fragment(ActionButton(request, "/admin/tokens/" + std::to_string(token.id) + "/revoke", "Revoke"));
      }
      html.Raw("</td></tr>");
    }
    html.Raw("</tbody></table>");
  }
  auto value = [&](std::string_view name) {
    const auto found = fields.find(name);
    return found == fields.end() ? std::string() : found->second;
  };
  html.Raw("<h2>Create a token</h2><form method=\"post\" class=\"admin-form\" action=\"/admin/tokens\" novalidate>")
      .Fragment(CsrfField(request.staff))
      .Fragment(fields.empty() ? Trusted{} : FormErrorBox(errors))
      .Fragment(Input({.name = "name",
                       .label = "Name",
                       .value = value("name"),
                       .hint = "What uses it, like ERP sync.",
                       .required = true},
                      errors))
      .Raw("<fieldset><legend>Scopes</legend>");
  for (const std::string_view scope : identity::AllScopes()) {
    const std::string name = "scope_" + std::string(scope);
    html.Fragment(Checkbox(name, scope, value(name) == "on"));
  }
  if (const std::string* error = errors.For("scopes")) {
    html.Raw("<p class=\"field-error\" role=\"alert\">").Text(*error).Raw("</p>");
  }
  html.Raw("</fieldset><button type=\"submit\">Create token</button></form>");
  return AdminPage(request, "API tokens", {html.Take()}, status);
}

Response CreateToken(const PageServices& services, const AdminRequest& request) {
  FormFields fields = request.form;
  fields.erase("csrf_token");
  FieldErrors errors;
  identity::NewApiToken token{.name = std::string(text::TrimAscii(request.Field("name"))), .scopes = {}};
  for (const std::string_view scope : identity::AllScopes()) {
    if (request.Field("scope_" + std::string(scope)) == "on") token.scopes.emplace_back(scope);
  }
  if (token.name.empty()) errors.Add("name", "Name the token after what uses it.");
  if (token.scopes.empty()) errors.Add("scopes", "Choose at least one scope.");
  if (errors.empty()) {
    auto created = services.identity.CreateApiToken(request.staff, request.shop.id, token);
    if (created.ok()) return TokensPage(services, request, {}, {}, *created, 201);
    errors.Add(created.error(), {{"/name", "name"}, {"/scopes", "scopes"}});
    if (created.error().code == ErrorCode::kPermissionDenied && !errors.For("scopes")) {
      errors = FieldErrors();
      errors.Add("scopes", created.error().detail);
    }
  }
  return TokensPage(services, request, fields, errors, std::nullopt, 422);
}

// ---- Webhooks ----

Response WebhooksPage(const PageServices& services, const AdminRequest& request, const FormFields& fields,
                      const FieldErrors& errors, const std::optional<channels::SubscriptionWithSecret>& created,
                      int status) {
  const std::int64_t shop = request.shop.id;
  auto subscriptions = services.webhooks.List(shop);
  auto dead = store::ListDeadLetters(services.db, {.shop_id = shop, .limit = store::kMaxDeadLetterPage});
  if (!subscriptions.ok() || !dead.ok()) {
    return AdminPage(request, "Webhooks", ErrorBox("The webhooks could not be read; try again."), 503);
  }
  HtmlWriter html;
  if (created) {
    html.Raw(
            "<div class=\"secret\" role=\"status\"><p>Subscription created. Its signing secret is shown only now:</p>"
            "<p><code>")
        .Text(created->secret)
        .Raw("</code></p></div>");
  }
  if (fields.empty() && !errors.general().empty()) html.Fragment(ErrorBox(errors.general()));
  html.Raw("<h2>Subscriptions</h2>");
  if (subscriptions->empty()) {
    html.Raw("<p class=\"muted\">No subscriptions.</p>");
  } else {
    html.Raw(
        "<table><thead><tr><th scope=\"col\">URL</th><th scope=\"col\">Events</th><th scope=\"col\">Status</th>"
        "</tr></thead><tbody>");
    for (const channels::WebhookSubscription& subscription : *subscriptions) {
      html.Raw("<tr><td><code>")
          .Text(subscription.url)
          .Raw("</code></td><td>")
          .Text(JoinList(subscription.event_types))
          .Raw("</td><td>");
      if (subscription.active) {
        html.Raw("active ").Fragment(
            ActionButton(request, "/admin/webhooks/" + std::to_string(subscription.id) + "/deactivate", "Deactivate"));
      } else {
        html.Raw("inactive");
        if (!subscription.deactivated_reason.empty()) html.Raw(": ").Text(subscription.deactivated_reason);
      }
      html.Raw("</td></tr>");
    }
    html.Raw("</tbody></table>");
  }
  auto value = [&](std::string_view name) {
    const auto found = fields.find(name);
    return found == fields.end() ? std::string() : found->second;
  };
  html.Raw(
          "<h2>Add a subscription</h2><form method=\"post\" class=\"admin-form\" action=\"/admin/webhooks\" "
          "novalidate>")
      .Fragment(CsrfField(request.staff))
      .Fragment(fields.empty() ? Trusted{} : FormErrorBox(errors))
      .Fragment(Input({.name = "url", .label = "Receiver URL", .value = value("url"), .type = "url", .required = true},
                      errors))
      .Fragment(Input({.name = "event_types",
                       .label = "Event types",
                       .value = value("event_types"),
                       .hint = "Comma separated, like order.created, product.updated; * for every event.",
                       .required = true},
                      errors))
      .Raw("<button type=\"submit\">Add subscription</button></form>");

  html.Raw("<h2 id=\"dead-letters\">Dead-lettered deliveries</h2>");
  if (dead->empty()) {
    html.Raw("<p class=\"muted\">None: every event was delivered or is still being retried.</p>");
  } else {
    html.Raw(
        "<table><thead><tr><th scope=\"col\">Event</th><th scope=\"col\">Consumer</th><th scope=\"col\">Attempts</th>"
        "<th scope=\"col\">Last error</th><th scope=\"col\">Since (UTC)</th><th scope=\"col\"><span "
        "class=\"visually-hidden\">Actions</span></th></tr></thead><tbody>");
    for (const store::DeadLetter& letter : *dead) {
      html.Raw("<tr><td>")
          .Text(letter.event.event_type)
          .Raw(" #")
          .Text(std::to_string(letter.event.id))
          .Raw("</td><td>")
          .Text(letter.consumer)
          .Raw("</td><td>")
          .Text(std::to_string(letter.attempts))
          .Raw("</td><td>")
          .Text(letter.last_error)
          .Raw("</td><td>")
          .Text(FormatRfc3339(letter.dead_at))
          .Raw("</td><td>")
          .Fragment(ActionButton(request, "/admin/webhooks/dead-letters/requeue", "Requeue",
                                 {{"consumer", letter.consumer}, {"event_id", std::to_string(letter.event.id)}}))
          .Raw("</td></tr>");
    }
    html.Raw("</tbody></table>");
  }
  return AdminPage(request, "Webhooks", {html.Take()}, status);
}

Response CreateWebhook(const PageServices& services, const AdminRequest& request) {
  FormFields fields = request.form;
  fields.erase("csrf_token");
  FieldErrors errors;
  channels::NewSubscription subscription{.url = std::string(text::TrimAscii(request.Field("url"))),
                                         .event_types = SplitList(request.Field("event_types"), false),
                                         .active = true};
  if (subscription.event_types.empty()) errors.Add("event_types", "List at least one event type, or * for all.");
  if (errors.empty()) {
    auto created = services.webhooks.Create(request.shop.id, subscription);
    if (created.ok()) return WebhooksPage(services, request, {}, {}, *created, 201);
    errors.Add(created.error(), {{"/url", "url"}, {"/event_types", "event_types"}});
  }
  return WebhooksPage(services, request, fields, errors, std::nullopt, 422);
}

Response AfterWebhookAction(const PageServices& services, const AdminRequest& request, const Status& status,
                            std::string_view notice) {
  if (status.ok()) return RedirectWithNotice("/admin/webhooks", notice);
  FieldErrors errors;
  errors.AddGeneral(status.error().detail);
  return WebhooksPage(services, request, {}, errors, std::nullopt,
                      status.error().code == ErrorCode::kNotFound ? 404 : 409);
}

}  // namespace

void RegisterTeamPages(http::Router& router, const PageServices& services) {
  router.Get("/admin/team", AdminRoute(services, Permission::kStaffManage, [&services](AdminRequest& request) {
               return TeamPage(services, request, {}, 200);
             }));
  router.Post("/admin/team", AdminRoute(services, Permission::kStaffManage,
                                        [&services](AdminRequest& request) { return Invite(services, request); }));
  router.Post(
      "/admin/team/{id}/roles", AdminRoute(services, Permission::kStaffManage, [&services](AdminRequest& request) {
        const auto id = IdParam(request);
        Status status = Error::NotFound("staff member");
        if (id) {
          auto updated = services.identity.UpdateStaffRoles(request.staff, request.shop.id, *id, RolesFrom(request));
          status = updated.ok() ? Ok() : Status(updated.error());
        }
        return AfterStaffAction(services, request, status, "saved");
      }));
  router.Post(
      "/admin/team/{id}/disable", AdminRoute(services, Permission::kStaffManage, [&services](AdminRequest& request) {
        const auto id = IdParam(request);
        return AfterStaffAction(
            services, request,
            id ? services.identity.DisableStaff(request.staff, request.shop.id, *id) : Error::NotFound("staff member"),
            "saved");
      }));
  router.Post("/admin/team/{id}/reset-2fa",
              AdminRoute(services, Permission::kStaffManage, [&services](AdminRequest& request) {
                const auto id = IdParam(request);
                return AfterStaffAction(services, request,
                                        id ? services.identity.ResetStaffTotp(request.staff, request.shop.id, *id)
                                           : Error::NotFound("staff member"),
                                        "saved");
              }));
  router.Post("/admin/team/security", AdminRoute(services, Permission::kShopManage, [&services](AdminRequest& request) {
                identity::ShopSettings settings = request.shop.settings;
                settings.require_staff_2fa = request.Field("require_2fa") == "on";
                auto updated = services.identity.UpdateShopSettings(request.staff, request.shop.id, settings);
                return AfterStaffAction(services, request, updated.ok() ? Ok() : Status(updated.error()), "saved");
              }));

  router.Get("/admin/tokens", AdminRoute(services, Permission::kTokensManage, [&services](AdminRequest& request) {
               return TokensPage(services, request, {}, {}, std::nullopt, 200);
             }));
  router.Post("/admin/tokens", AdminRoute(services, Permission::kTokensManage, [&services](AdminRequest& request) {
                return CreateToken(services, request);
              }));
  router.Post(
      "/admin/tokens/{id}/revoke", AdminRoute(services, Permission::kTokensManage, [&services](AdminRequest& request) {
        const auto id = IdParam(request);
        Status status =
            id ? services.identity.RevokeApiToken(request.staff, request.shop.id, *id) : Error::NotFound("token");
        if (status.ok()) return RedirectWithNotice("/admin/tokens", "revoked");
        FieldErrors errors;
        errors.AddGeneral(status.error().detail);
        return TokensPage(services, request, {}, errors, std::nullopt, 404);
      }));

  router.Get("/admin/webhooks", AdminRoute(services, Permission::kWebhooksManage, [&services](AdminRequest& request) {
               return WebhooksPage(services, request, {}, {}, std::nullopt, 200);
             }));
  router.Post("/admin/webhooks", AdminRoute(services, Permission::kWebhooksManage, [&services](AdminRequest& request) {
                return CreateWebhook(services, request);
              }));
  router.Post("/admin/webhooks/{id}/deactivate",
              AdminRoute(services, Permission::kWebhooksManage, [&services](AdminRequest& request) {
                const auto id = IdParam(request);
                Status status = Error::NotFound("subscription");
                if (id) {
                  auto updated = services.webhooks.Update(request.shop.id, *id, {.active = false});
                  status = updated.ok() ? Ok() : Status(updated.error());
                }
                return AfterWebhookAction(services, request, status, "deactivated");
              }));
  router.Post("/admin/webhooks/dead-letters/requeue",
              AdminRoute(services, Permission::kWebhooksManage, [&services](AdminRequest& request) {
                std::int64_t event_id = 0;
                const std::string text = request.Field("event_id");
                const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), event_id);
                Status status = ec != std::errc() || end != text.data() + text.size()
                                    ? Status(Error::NotFound("dead letter"))
                                    : store::RequeueDeadLetter(services.db, request.shop.id, request.Field("consumer"),
                                                               event_id, services.clock.Now());
                return AfterWebhookAction(services, request, status, "requeued");
              }));
}

}  // namespace plaza::web::admin
