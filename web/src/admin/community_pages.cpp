// The community's admin pages.
//
// /admin/ideas (catalog.read to look, catalog.write to decide): the ideas that reached the
// support threshold first, the other states by filter, one idea with its text and the
// accept and decline forms, and the threshold setting. Accepting creates the draft
// product crediting the author; the idea page links to it.
//
// /admin/groups (moderation.act): every group of the shop, invite-only ones included; a
// new group owned by one of the shop's brand or creator profiles; one group with its VIP
// rule (customers.manage, since it decides who carries a customer tag), the
// re-evaluation of its members and the member-only promotion its member tag enables.
//
// Who may do what, the validation and the audit log are community::IdeaService's and
// community::GroupService's; the pages turn forms into their calls and their errors into
// words beside the fields.

#include <cctype>
#include <charconv>

#include "../form.h"
#include "plaza/community/groups.h"
#include "plaza/community/ideas.h"
#include "routes.h"
#include "settings_fields.h"

namespace plaza::web::admin {
namespace {

using http::Response;
using identity::Permission;
namespace community = plaza::community;

std::optional<std::int64_t> PathId(const AdminRequest& request) {
  const std::string_view text = request.http.PathParam("id");
  std::int64_t id = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (error != std::errc() || end != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

// Module details are lower-case clauses; on a page they read as sentences.
Error AsSentence(Error error) {
  if (!error.detail.empty()) {
    error.detail[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(error.detail[0])));
    if (error.detail.back() != '.') error.detail += '.';
  }
  return error;
}

std::string ProfileHandle(const PageServices& services, std::int64_t shop_id, std::int64_t profile_id) {
  auto profile = services.profiles.GetProfile(shop_id, profile_id);
  return profile.ok() ? "@" + profile->handle : "profile #" + std::to_string(profile_id);
}

// ---- ideas ----

std::string_view IdeaStatusLabel(community::IdeaStatus status) {
  switch (status) {
    case community::IdeaStatus::kOpen:
      return "Gathering support";
    case community::IdeaStatus::kReview:
      return "Waiting for a decision";
    case community::IdeaStatus::kAccepted:
      return "Accepted";
    case community::IdeaStatus::kDeclined:
      return "Declined";
  }
  return "";
}

std::string IdeaPath(std::int64_t id) {
  return "/admin/ideas/" + std::to_string(id);
}

Trusted ThresholdForm(const AdminRequest& request, std::string_view value, const FieldErrors& errors) {
  HtmlWriter html;
  html.Raw("<section aria-labelledby=\"threshold-title\"><h2 id=\"threshold-title\">Support threshold</h2>")
      .Raw("<form method=\"post\" class=\"admin-form\" action=\"/admin/ideas/settings\" novalidate>")
      .Fragment(CsrfField(request.staff))
      .Fragment(FormErrorBox(errors))
      .Fragment(Input({.name = "support_threshold",
                       .label = "Supporters an idea needs before the shop reviews it",
                       .value = value,
                       .type = "number",
                       .hint = "Lowering it sends open ideas that already have this many supporters to review.",
                       .required = true,
                       .extra = "min=\"1\" max=\"1000000\""},
                      errors))
      .Raw("<button type=\"submit\">Save the threshold</button></form></section>");
  return {html.Take()};
}

Response IdeasPage(const PageServices& services, AdminRequest& request, std::string_view threshold_value,
                   const FieldErrors& errors, int status) {
  // The queue is what needs a merchant: ideas at the threshold come first by default.
  const std::string filter(request.http.Query("status").value_or("review"));
  community::IdeaQuery query{.status = community::ParseIdeaStatus(filter), .limit = 50};
  if (auto cursor = request.http.Query("cursor"); cursor && IsCursor(*cursor)) query.cursor = std::string(*cursor);
  auto page = services.ideas.ListForStaff(request.staff, request.shop.id, query);
  if (!page.ok() && !query.cursor.empty()) {
    query.cursor.clear();
    page = services.ideas.ListForStaff(request.staff, request.shop.id, query);
  }
  HtmlWriter html;
  html.Raw("<nav aria-label=\"Filter ideas\"><p>");
  const std::pair<std::string_view, std::string_view> filters[] = {{"review", "Waiting for a decision"},
                                                                   {"open", "Gathering support"},
                                                                   {"accepted", "Accepted"},
                                                                   {"declined", "Declined"},
                                                                   {"all", "All"}};
  bool first = true;
  for (const auto& [code, label] : filters) {
    if (!first) html.Raw(" · ");
    first = false;
    html.Raw("<a href=\"/admin/ideas?status=").Text(code).Raw("\"");
    if (code == filter) html.Raw(" aria-current=\"page\"");
    html.Raw(">").Text(label).Raw("</a>");
  }
  html.Raw("</p></nav>");
  if (!page.ok()) {
    html.Fragment(ErrorBox(AsSentence(page.error()).detail));
  } else if (page->ideas.empty()) {
    html.Raw("<p>No ideas here.</p>");
  } else {
    html.Raw(
        "<table><thead><tr><th scope=\"col\">Idea</th><th scope=\"col\">Author</th><th scope=\"col\">Supporters</th>"
        "<th scope=\"col\">Status</th><th scope=\"col\">Visibility</th><th scope=\"col\">Submitted</th></tr>"
        "</thead><tbody>");
    for (const community::Idea& idea : page->ideas) {
      html.Raw("<tr><td><a href=\"")
          .Text(IdeaPath(idea.id))
          .Raw("\">")
          .Text(idea.title)
          .Raw("</a></td><td>")
          .Text(ProfileHandle(services, request.shop.id, idea.author_profile_id))
          .Raw("</td><td>")
          .Text(std::to_string(idea.supports_count))
          .Raw("</td><td>")
          .Text(IdeaStatusLabel(idea.status))
          .Raw("</td><td>")
          .Text(community::ContentVisibilityName(idea.visibility))
          .Raw("</td><td>")
          .Text(FormatRfc3339(idea.created_at))
          .Raw("</td></tr>");
    }
    html.Raw("</tbody></table>");
    if (!page->next_cursor.empty()) {
      html.Raw("<p><a href=\"/admin/ideas?status=")
          .Text(filter)
          .Raw("&amp;cursor=")
          .Text(page->next_cursor)
          .Raw("\">More ideas</a></p>");
    }
  }
  std::string current;
  if (threshold_value.empty()) {
    auto settings = services.ideas.GetSettings(request.shop.id);
    if (settings.ok()) current = std::to_string(settings->support_threshold);
    threshold_value = current;
  }
  html.Fragment(ThresholdForm(request, threshold_value, errors));
  return AdminPage(request, "Ideas", {html.Take()}, status);
}

Response SaveThreshold(const PageServices& services, AdminRequest& request) {
  FieldErrors errors;
  const std::string typed = request.Field("support_threshold");
  if (auto threshold =
          ParseInteger(typed, "support_threshold", "The threshold", errors, 1, community::kMaxSupportThreshold)) {
    auto saved = services.ideas.UpdateSettings(request.staff, request.shop.id, {.support_threshold = *threshold});
    if (saved.ok()) return RedirectWithNotice("/admin/ideas", "saved");
    errors.Add(AsSentence(saved.error()), {{"/support_threshold", "support_threshold"}});
  }
  return IdeasPage(services, request, typed, errors, 422);
}

Response IdeaPage(const PageServices& services, AdminRequest& request, std::int64_t idea_id, const FieldErrors& errors,
                  int status) {
  auto idea = services.ideas.GetForStaff(request.staff, request.shop.id, idea_id);
  if (!idea.ok()) {
    const bool missing = idea.error().code == ErrorCode::kNotFound;
    return AdminPage(request, "Idea", ErrorBox(missing ? "No such idea." : AsSentence(idea.error()).detail),
                     missing ? 404 : 503);
  }
  const std::int64_t threshold = [&] {
    auto settings = services.ideas.GetSettings(request.shop.id);
    return settings.ok() ? settings->support_threshold : community::kDefaultSupportThreshold;
  }();
  HtmlWriter html;
  html.Raw("<p><a href=\"/admin/ideas\">Back to the ideas</a></p><dl>")
      .Raw("<dt>Title</dt><dd>")
      .Text(idea->title)
      .Raw("</dd><dt>Author</dt><dd>")
      .Text(ProfileHandle(services, request.shop.id, idea->author_profile_id))
      .Raw("</dd><dt>Status</dt><dd>")
      .Text(IdeaStatusLabel(idea->status))
      .Raw("</dd><dt>Supporters</dt><dd>")
      .Text(std::to_string(idea->supports_count) + " of " + std::to_string(threshold))
      .Raw("</dd><dt>Visibility</dt><dd>")
      .Text(community::ContentVisibilityName(idea->visibility))
      .Raw("</dd><dt>Submitted</dt><dd>")
      .Text(FormatRfc3339(idea->created_at))
      .Raw("</dd>");
  if (idea->review_at)
    html.Raw("<dt>Reached the threshold</dt><dd>").Text(FormatRfc3339(*idea->review_at)).Raw("</dd>");
  if (idea->decided_at) html.Raw("<dt>Decided</dt><dd>").Text(FormatRfc3339(*idea->decided_at)).Raw("</dd>");
  if (idea->decline_reason) html.Raw("<dt>Reason given</dt><dd>").Text(*idea->decline_reason).Raw("</dd>");
  if (idea->product_id) {
    html.Raw("<dt>Product</dt><dd><a href=\"/admin/products/")
        .Text(std::to_string(*idea->product_id))
        .Raw("\">Open the draft product</a></dd>");
  }
  html.Raw("</dl><h2>Description</h2><div class=\"idea-text\">");
  for (std::string_view rest = idea->description; !rest.empty();) {
    const auto end = rest.find('\n');
    html.Raw("<p>").Text(rest.substr(0, end)).Raw("</p>");
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
  }
  html.Raw("</div>");
  const bool undecided = idea->status == community::IdeaStatus::kOpen || idea->status == community::IdeaStatus::kReview;
  if (idea->status == community::IdeaStatus::kReview) {
    html.Raw("<h2>Accept</h2><p>Accepting creates a draft product titled like the idea, crediting its author, and ")
        .Raw("tells the author.</p>")
        .Fragment(ActionButton(request, IdeaPath(idea_id) + "/accept", "Accept and create the draft product"));
  }
  if (undecided) {
    html.Raw("<h2>Decline</h2><form method=\"post\" class=\"admin-form\" action=\"")
        .Text(IdeaPath(idea_id))
        .Raw("/decline\" novalidate>")
        .Fragment(CsrfField(request.staff))
        .Fragment(FormErrorBox(errors))
        .Fragment(TextArea("reason", "Reason", request.Field("reason"), errors,
                           "Shown to the author and on the idea's page.", 4))
        .Raw("<button type=\"submit\" class=\"secondary\">Decline the idea</button></form>");
  }
  return AdminPage(request, "Idea: " + idea->title, {html.Take()}, status);
}

Response Decide(const PageServices& services, AdminRequest& request, std::int64_t idea_id, bool accept) {
  auto decided = accept ? services.ideas.Accept(request.staff, request.shop.id, idea_id)
                        : services.ideas.Decline(request.staff, request.shop.id, idea_id, request.Field("reason"));
  if (decided.ok()) return RedirectWithNotice(IdeaPath(idea_id), accept ? "accepted" : "declined");
  FieldErrors errors;
  if (decided.error().code == ErrorCode::kNotFound) return IdeaPage(services, request, idea_id, errors, 404);
  if (!accept && decided.error().field == "/reason") {
    errors.Add("reason", request.Field("reason").empty()
                             ? "Give the author a reason."
                             : "Keep the reason under 1000 characters, without invisible characters.");
  } else {
    errors.AddGeneral(AsSentence(decided.error()).detail);
  }
  return IdeaPage(services, request, idea_id, errors, decided.error().code == ErrorCode::kConflict ? 409 : 422);
}

// ---- groups ----

std::string_view AccessLabel(community::GroupAccess access) {
  switch (access) {
    case community::GroupAccess::kPublic:
      return "Public";
    case community::GroupAccess::kPrivate:
      return "Private (join by request)";
    case community::GroupAccess::kInviteOnly:
      return "Invite only (hidden)";
  }
  return "";
}

std::string VipLabel(const community::Group& group) {
  if (!group.vip) return "";
  std::string label = group.vip->customer_tag
                          ? "Customers tagged \"" + *group.vip->customer_tag + "\""
                          : "At least " + std::to_string(group.vip->min_paid_orders.value_or(0)) + " paid orders";
  if (group.vip->member_tag) label += "; members get the tag \"" + *group.vip->member_tag + "\"";
  return label;
}

const std::map<std::string, std::string, std::less<>> kGroupPointers{{"/handle", "handle"},
                                                                     {"/name", "name"},
                                                                     {"/description", "description"},
                                                                     {"/rules", "rules"},
                                                                     {"/owner", "owner"}};

Trusted NewGroupForm(const AdminRequest& request, const FieldErrors& errors) {
  const std::vector<std::pair<std::string, std::string>> access{
      {"public", "Public: anyone reads, any member of the community joins"},
      {"private", "Private: listed, content for members, join by request"},
      {"invite_only", "Invite only: hidden from everyone but members and invitees"}};
  HtmlWriter html;
  html.Raw("<section aria-labelledby=\"new-group-title\"><h2 id=\"new-group-title\">New group</h2>")
      .Raw("<form method=\"post\" class=\"admin-form\" action=\"/admin/groups\" novalidate>")
      .Fragment(CsrfField(request.staff))
      .Fragment(FormErrorBox(errors))
      .Fragment(Input({.name = "handle",
                       .label = "Handle",
                       .value = request.Field("handle"),
                       .hint = "The group's address: /groups/<handle>. Letters a-z, digits, \"_\" and \".\".",
                       .required = true},
                      errors))
      .Fragment(Input({.name = "name", .label = "Name", .value = request.Field("name"), .required = true}, errors))
      .Fragment(TextArea("description", "Description", request.Field("description"), errors, {}, 3))
      .Fragment(TextArea("rules", "Rules", request.Field("rules"), errors, {}, 4))
      .Fragment(Select("access", "Who may see and join it", access,
                       request.Field("access").empty() ? "public" : request.Field("access"), errors))
      .Fragment(Input({.name = "owner",
                       .label = "Owner profile",
                       .value = request.Field("owner"),
                       .hint = "The handle of one of the shop's brand or creator profiles; it owns and moderates the "
                               "group.",
                       .required = true},
                      errors))
      .Raw("<button type=\"submit\">Create the group</button></form></section>");
  return {html.Take()};
}

Response GroupsPage(const PageServices& services, AdminRequest& request, const FieldErrors& errors, int status) {
  community::PageQuery query{.limit = community::kMaxGroupPage};
  if (auto cursor = request.http.Query("cursor"); cursor && IsCursor(*cursor)) query.cursor = std::string(*cursor);
  auto page = services.groups.ListAllGroups(request.staff, request.shop.id, query);
  HtmlWriter html;
  if (!page.ok()) {
    html.Fragment(ErrorBox(AsSentence(page.error()).detail));
  } else if (page->groups.empty()) {
    html.Raw("<p>The shop has no groups yet.</p>");
  } else {
    html.Raw(
        "<table><thead><tr><th scope=\"col\">Group</th><th scope=\"col\">Handle</th><th scope=\"col\">Access</th>"
        "<th scope=\"col\">Members</th><th scope=\"col\">VIP rule</th></tr></thead><tbody>");
    for (const community::Group& group : page->groups) {
      html.Raw("<tr><td><a href=\"/admin/groups/")
          .Text(std::to_string(group.id))
          .Raw("\">")
          .Text(group.name)
          .Raw("</a></td><td>")
          .Text(group.handle)
          .Raw("</td><td>")
          .Text(AccessLabel(group.access))
          .Raw("</td><td>")
          .Text(std::to_string(group.members_count))
          .Raw("</td><td>")
          .Text(group.vip ? VipLabel(group) : "—")
          .Raw("</td></tr>");
    }
    html.Raw("</tbody></table>");
    if (!page->next_cursor.empty()) {
      html.Raw("<p><a href=\"/admin/groups?cursor=").Text(page->next_cursor).Raw("\">More groups</a></p>");
    }
  }
  html.Fragment(NewGroupForm(request, errors));
  return AdminPage(request, "Groups", {html.Take()}, status);
}

Response CreateGroup(const PageServices& services, AdminRequest& request) {
  FieldErrors errors;
  const auto access = community::ParseGroupAccess(request.Field("access"));
  if (!access) errors.Add("access", "Choose who may see and join the group.");
  // Staff act through one of the shop's own profiles: a customer's profile would be made
  // the owner of a group it never asked for.
  std::optional<std::int64_t> owner;
  if (request.Field("owner").empty()) {
    errors.Add("owner", "Name the brand or creator profile that owns the group.");
  } else {
    auto profile = services.profiles.ViewProfile(request.shop.id, request.Field("owner"), std::nullopt);
    if (!profile.ok() || profile->profile.kind == social::ProfileKind::kCustomer) {
      errors.Add("owner", "No brand or creator profile of the shop has this handle.");
    } else {
      owner = profile->profile.id;
    }
  }
  if (errors.empty()) {
    auto created = services.groups.CreateGroup(request.shop.id, *owner,
                                               {.handle = request.Field("handle"),
                                                .name = request.Field("name"),
                                                .description = request.Field("description"),
                                                .rules = request.Field("rules"),
                                                .access = *access});
    if (created.ok()) return RedirectWithNotice("/admin/groups/" + std::to_string(created->id), "created");
    errors.Add(AsSentence(created.error()), kGroupPointers);
  }
  return GroupsPage(services, request, errors, 422);
}

Trusted VipForm(const AdminRequest& request, const community::Group& group, const FieldErrors& errors) {
  // Before the first submit the form shows the rule in force; after a refused one, what
  // was typed.
  const bool typed = request.http.method == http::Method::kPost;
  const auto value = [&](std::string_view name, const std::optional<std::string>& current) {
    return typed ? request.Field(name) : current.value_or("");
  };
  const std::optional<community::VipRule>& vip = group.vip;
  const std::string rule = typed ? request.Field("rule") : !vip ? "none" : vip->customer_tag ? "tag" : "orders";
  const std::vector<std::pair<std::string, std::string>> rules{{"none", "Not a VIP group"},
                                                               {"tag", "Customers who carry a tag"},
                                                               {"orders", "Customers with a number of paid orders"}};
  const std::string orders =
      typed ? request.Field("min_paid_orders")
            : (vip && vip->min_paid_orders ? std::to_string(*vip->min_paid_orders) : std::string());
  const std::string customer_tag = value("customer_tag", vip ? vip->customer_tag : std::nullopt);
  const std::string member_tag = value("member_tag", vip ? vip->member_tag : std::nullopt);
  HtmlWriter html;
  html.Raw("<section aria-labelledby=\"vip-title\"><h2 id=\"vip-title\">VIP membership</h2><p>In a VIP group ")
      .Raw("membership follows a rule: those who meet it join at once, members who stop meeting it leave at the ")
      .Raw("next re-evaluation (every hour, or now with the button below).</p>")
      .Raw("<form method=\"post\" class=\"admin-form\" action=\"/admin/groups/")
      .Text(std::to_string(group.id))
      .Raw("/vip\" novalidate>")
      .Fragment(CsrfField(request.staff))
      .Fragment(FormErrorBox(errors))
      .Fragment(Select("rule", "Who may join", rules, rule, errors))
      .Fragment(Input({.name = "customer_tag",
                       .label = "Customer tag",
                       .value = customer_tag,
                       .hint = "For \"Customers who carry a tag\"; case does not matter."},
                      errors))
      .Fragment(Input({.name = "min_paid_orders",
                       .label = "Paid orders",
                       .value = orders,
                       .type = "number",
                       .hint = "For \"Customers with a number of paid orders\"; cancelled orders do not count.",
                       .extra = "min=\"1\""},
                      errors))
      .Fragment(Input({.name = "member_tag",
                       .label = "Member tag (optional)",
                       .value = member_tag,
                       .hint = "Given to each member's customer while a member. A promotion that requires this "
                               "tag is the group's member-only offer."},
                      errors))
      .Raw("<button type=\"submit\">Save the VIP rule</button></form>");
  if (vip) {
    html.Fragment(ActionButton(request, "/admin/groups/" + std::to_string(group.id) + "/vip/reevaluate",
                               "Re-evaluate the members now"));
  }
  if (vip && vip->member_tag) {
    html.Raw("<h3>Member-only promotion</h3><p>Create a promotion with the customer tag <strong>")
        .Text(*vip->member_tag)
        .Raw("</strong>, the drop's products and its start and end: members get it in their cart and nobody ")
        .Raw("else does; leaving the group ends it. ")
        .Raw("<a href=\"/admin/promotions/new\">New promotion</a></p>");
  }
  html.Raw("</section>");
  return {html.Take()};
}

Response GroupPage(const PageServices& services, AdminRequest& request, std::int64_t group_id,
                   const FieldErrors& errors, int status) {
  auto group = services.groups.GetGroup(request.staff, request.shop.id, group_id);
  if (!group.ok()) {
    const bool missing = group.error().code == ErrorCode::kNotFound;
    return AdminPage(request, "Group", ErrorBox(missing ? "No such group." : AsSentence(group.error()).detail),
                     missing ? 404 : 503);
  }
  HtmlWriter html;
  html.Raw("<p><a href=\"/admin/groups\">Back to the groups</a>");
  if (group->access != community::GroupAccess::kInviteOnly) {
    html.Raw(" · <a href=\"/groups/").Text(group->handle).Raw("\">The group in the shop</a>");
  }
  html.Raw("</p><dl><dt>Handle</dt><dd>")
      .Text(group->handle)
      .Raw("</dd><dt>Access</dt><dd>")
      .Text(AccessLabel(group->access))
      .Raw("</dd><dt>Owner</dt><dd>")
      .Text(ProfileHandle(services, request.shop.id, group->owner_profile_id))
      .Raw("</dd><dt>Members</dt><dd>")
      .Text(std::to_string(group->members_count))
      .Raw("</dd><dt>Description</dt><dd>")
      .Text(group->description.empty() ? "—" : group->description)
      .Raw("</dd><dt>VIP rule</dt><dd>")
      .Text(group->vip ? VipLabel(*group) : "None")
      .Raw("</dd></dl>");
  if (group->access == community::GroupAccess::kInviteOnly) {
    html.Raw("<p>Invite-only groups cannot be VIP groups: their membership is by invitation.</p>");
  } else if (identity::Holds(request.staff, Permission::kCustomersManage)) {
    html.Fragment(VipForm(request, *group, errors));
  } else {
    html.Raw("<p>Setting a VIP rule needs <code>customers.manage</code>.</p>");
  }
  return AdminPage(request, "Group: " + group->name, {html.Take()}, status);
}

Response SaveVip(const PageServices& services, AdminRequest& request, std::int64_t group_id) {
  FieldErrors errors;
  std::optional<community::VipRule> rule;
  const std::string kind = request.Field("rule");
  if (kind == "tag" || kind == "orders") {
    rule.emplace();
    if (kind == "tag") {
      if (request.Field("customer_tag").empty()) errors.Add("customer_tag", "Name the tag that grants membership.");
      rule->customer_tag = request.Field("customer_tag");
    } else if (auto orders = ParseInteger(request.Field("min_paid_orders"), "min_paid_orders", "The number of orders",
                                          errors, 1, 1'000'000)) {
      rule->min_paid_orders = *orders;
    }
    if (!request.Field("member_tag").empty()) rule->member_tag = request.Field("member_tag");
  } else if (kind != "none") {
    errors.Add("rule", "Choose who may join.");
  }
  if (errors.empty()) {
    auto saved = services.groups.SetVipRule(request.staff, request.shop.id, group_id, rule);
    if (saved.ok()) return RedirectWithNotice("/admin/groups/" + std::to_string(group_id), "saved");
    if (saved.error().code == ErrorCode::kNotFound) return GroupPage(services, request, group_id, errors, 404);
    errors.Add(
        AsSentence(saved.error()),
        {{"/customer_tag", "customer_tag"}, {"/min_paid_orders", "min_paid_orders"}, {"/member_tag", "member_tag"}});
  }
  return GroupPage(services, request, group_id, errors, 422);
}

Response Reevaluate(const PageServices& services, AdminRequest& request, std::int64_t group_id) {
  auto sweep = services.groups.ReevaluateVip(request.staff, request.shop.id, group_id);
  if (sweep.ok()) return RedirectWithNotice("/admin/groups/" + std::to_string(group_id), "reevaluated");
  FieldErrors errors;
  if (sweep.error().code == ErrorCode::kNotFound) return GroupPage(services, request, group_id, errors, 404);
  errors.AddGeneral(AsSentence(sweep.error()).detail);
  return GroupPage(services, request, group_id, errors, 422);
}

// Wraps a handler of one idea or group, answering 404 for an id that is not a number.
AdminHandler WithId(std::string_view title, std::function<Response(AdminRequest&, std::int64_t)> handler) {
  return [title = std::string(title), handler = std::move(handler)](AdminRequest& request) -> Response {
    const auto id = PathId(request);
    if (!id) return AdminPage(request, title, ErrorBox("Nothing is at this address."), 404);
    return handler(request, *id);
  };
}

}  // namespace

void RegisterCommunityPages(http::Router& router, const PageServices& services) {
  const auto& s = services;
  router.Get("/admin/ideas", AdminRoute(s, Permission::kCatalogRead,
                                        [&s](AdminRequest& request) { return IdeasPage(s, request, {}, {}, 200); }));
  router.Post("/admin/ideas/settings", AdminRoute(s, Permission::kCatalogWrite,
                                                  [&s](AdminRequest& request) { return SaveThreshold(s, request); }));
  router.Get("/admin/ideas/{id}",
             AdminRoute(s, Permission::kCatalogRead, WithId("Idea", [&s](AdminRequest& request, std::int64_t id) {
                          return IdeaPage(s, request, id, {}, 200);
                        })));
  router.Post("/admin/ideas/{id}/accept",
              AdminRoute(s, Permission::kCatalogWrite, WithId("Idea", [&s](AdminRequest& request, std::int64_t id) {
                           return Decide(s, request, id, true);
                         })));
  router.Post("/admin/ideas/{id}/decline",
              AdminRoute(s, Permission::kCatalogWrite, WithId("Idea", [&s](AdminRequest& request, std::int64_t id) {
                           return Decide(s, request, id, false);
                         })));

  router.Get("/admin/groups", AdminRoute(s, Permission::kModerationAct,
                                         [&s](AdminRequest& request) { return GroupsPage(s, request, {}, 200); }));
  router.Post("/admin/groups", AdminRoute(s, Permission::kModerationAct,
                                          [&s](AdminRequest& request) { return CreateGroup(s, request); }));
  router.Get("/admin/groups/{id}",
             AdminRoute(s, Permission::kModerationAct, WithId("Group", [&s](AdminRequest& request, std::int64_t id) {
                          return GroupPage(s, request, id, {}, 200);
                        })));
  router.Post("/admin/groups/{id}/vip",
              AdminRoute(s, Permission::kCustomersManage, WithId("Group", [&s](AdminRequest& request, std::int64_t id) {
                           return SaveVip(s, request, id);
                         })));
  router.Post("/admin/groups/{id}/vip/reevaluate",
              AdminRoute(s, Permission::kCustomersManage, WithId("Group", [&s](AdminRequest& request, std::int64_t id) {
                           return Reevaluate(s, request, id);
                         })));
}

}  // namespace plaza::web::admin
