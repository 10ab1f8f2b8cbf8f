// Promotions and their codes: the list with status, uses and validity; one form for
// automatic and code-based promotions of every kind; adding codes; deactivating. The
// rules (what a valid promotion is, how it applies) are the promotions module's; the
// form only turns what a merchant typed into a PromotionDefinition.

#include <charconv>

#include "plaza/core/money.h"
#include "plaza/core/text.h"
#include "plaza/promotions/promotions.h"
#include "routes.h"
#include "settings_fields.h"

namespace plaza::web::admin {
namespace {

namespace promo = promotions;
using http::Response;

// The form field each member of a definition is typed in, for the module's errors.
const std::map<std::string, std::string, std::less<>>& DefinitionPointers() {
  static const std::map<std::string, std::string, std::less<>> pointers{
      {"/title", "title"},
      {"/kind", "kind"},
      {"/percent_off", "percent_off"},
      {"/amount", "amount"},
      {"/currency", "currency"},
      {"/applies_to", "applies_product_ids"},
      {"/applies_to/collection_ids", "applies_collection_ids"},
      {"/buy_quantity", "buy_quantity"},
      {"/buy_items", "buy_product_ids"},
      {"/buy_items/collection_ids", "buy_collection_ids"},
      {"/get_quantity", "get_quantity"},
      {"/get_items", "get_product_ids"},
      {"/get_items/collection_ids", "get_collection_ids"},
      {"/minimum_subtotal", "minimum_subtotal"},
      {"/customer_tags", "customer_tags"},
      {"/usage_limit", "usage_limit"},
      {"/per_customer_limit", "per_customer_limit"},
      {"/starts_at", "starts_at"},
      {"/ends_at", "ends_at"},
      {"/priority", "priority"},
  };
  return pointers;
}

std::string JoinIds(const std::vector<std::int64_t>& ids) {
  std::string out;
  for (std::size_t i = 0; i < ids.size(); ++i) out += (i ? ", " : "") + std::to_string(ids[i]);
  return out;
}

// Percentages are typed as percent ("12.5") and stored as basis points (1250).
constexpr Currency kPercent{"%", 2};

std::string FormatPercent(std::int64_t basis_points) {
  std::string text = FormatDecimalAmount(basis_points, kPercent);
  if (text.ends_with(".00")) text.resize(text.size() - 3);
  return text;
}

FormFields FieldsFrom(const promo::PromotionDefinition& d) {
  FormFields f;
  f["title"] = d.title;
  f["kind"] = std::string(promo::PromotionKindName(d.kind));
  if (d.automatic) f["automatic"] = "on";
  if (d.active) f["active"] = "on";
  if (d.percent_off) f["percent_off"] = FormatPercent(d.percent_off);
  f["currency"] = d.currency;
  auto currency = FindCurrency(d.currency);
  if (d.amount && currency.ok()) f["amount"] = FormatDecimalAmount(d.amount, *currency);
  if (d.minimum_subtotal && currency.ok()) f["minimum_subtotal"] = FormatDecimalAmount(*d.minimum_subtotal, *currency);
  f["applies_product_ids"] = JoinIds(d.applies_to.product_ids);
  f["applies_collection_ids"] = JoinIds(d.applies_to.collection_ids);
  if (d.buy_quantity) f["buy_quantity"] = std::to_string(d.buy_quantity);
  if (d.get_quantity) f["get_quantity"] = std::to_string(d.get_quantity);
  f["buy_product_ids"] = JoinIds(d.buy_items.product_ids);
  f["buy_collection_ids"] = JoinIds(d.buy_items.collection_ids);
  f["get_product_ids"] = JoinIds(d.get_items.product_ids);
  f["get_collection_ids"] = JoinIds(d.get_items.collection_ids);
  f["customer_tags"] = JoinList(d.customer_tags);
  if (d.first_order_only) f["first_order_only"] = "on";
  if (d.usage_limit) f["usage_limit"] = std::to_string(*d.usage_limit);
  if (d.per_customer_limit) f["per_customer_limit"] = std::to_string(*d.per_customer_limit);
  if (d.starts_at) f["starts_at"] = DateTimeInputValue(*d.starts_at);
  if (d.ends_at) f["ends_at"] = DateTimeInputValue(*d.ends_at);
  if (d.combines_with_product) f["combines_product"] = "on";
  if (d.combines_with_order) f["combines_order"] = "on";
  if (d.combines_with_shipping) f["combines_shipping"] = "on";
  f["priority"] = std::to_string(d.priority);
  return f;
}

std::string Get(const FormFields& fields, std::string_view name) {
  const auto found = fields.find(name);
  return found == fields.end() ? std::string() : found->second;
}

// The typed form as a definition; nullopt when a field could not be read (its message
// is in `errors`). Whether the definition makes sense is ValidateDefinition's call.
std::optional<promo::PromotionDefinition> DefinitionFrom(const AdminRequest& request, FieldErrors& errors) {
  promo::PromotionDefinition d;
  d.title = std::string(text::TrimAscii(request.Field("title")));
  const auto kind = promo::ParsePromotionKind(request.Field("kind"));
  if (!kind) errors.Add("kind", "Choose what the promotion gives.");
  d.kind = kind.value_or(promo::PromotionKind::kPercentage);
  d.automatic = request.Field("automatic") == "on";
  d.active = request.Field("active") == "on";
  const std::vector<std::string> currency = SplitList(request.Field("currency"), true);
  d.currency = currency.empty() ? std::string() : currency.front();
  if (!d.currency.empty() && !FindCurrency(d.currency).ok()) {
    errors.Add("currency", "\"" + d.currency + "\" is not a currency code Plaza knows (ISO 4217, like EUR).");
  }
  const bool uses_percent = d.kind == promo::PromotionKind::kPercentage || d.kind == promo::PromotionKind::kBuyXGetY;
  if (uses_percent) {
    auto percent = ParseDecimalAmount(text::TrimAscii(request.Field("percent_off")), kPercent);
    if (!percent.ok() || *percent <= 0 || *percent > promo::kFullPercent) {
      errors.Add("percent_off", "The percentage must be more than 0 and at most 100, like 15 or 12.5.");
    } else {
      d.percent_off = *percent;
    }
  }
  if (d.kind == promo::PromotionKind::kFixedAmount && !errors.For("currency")) {
    if (d.currency.empty()) {
      errors.Add("currency", "A fixed amount needs the currency it is in.");
    } else if (auto amount = ParseAmount(request.Field("amount"), d.currency, "amount", errors)) {
      d.amount = *amount;
    }
  }
  if (const std::string minimum = request.Field("minimum_subtotal"); !text::TrimAscii(minimum).empty()) {
    if (d.currency.empty()) {
      errors.Add("currency", "A minimum subtotal needs the currency it is in.");
    } else if (!errors.For("currency")) {
      d.minimum_subtotal = ParseAmount(minimum, d.currency, "minimum_subtotal", errors);
    }
  }
  auto ids = [&](std::string_view field) {
    return ParseIdList(request.Field(field), field, errors).value_or(std::vector<std::int64_t>{});
  };
  if (d.kind == promo::PromotionKind::kPercentage || d.kind == promo::PromotionKind::kFixedAmount) {
    d.applies_to.product_ids = ids("applies_product_ids");
    d.applies_to.collection_ids = ids("applies_collection_ids");
  }
  if (d.kind == promo::PromotionKind::kBuyXGetY) {
    if (auto n = ParseInteger(request.Field("buy_quantity"), "buy_quantity", "The quantity to buy", errors, 1,
                              promo::kMaxLineQuantity)) {
      d.buy_quantity = *n;
    }
    if (auto n = ParseInteger(request.Field("get_quantity"), "get_quantity", "The quantity given", errors, 1,
                              promo::kMaxLineQuantity)) {
      d.get_quantity = *n;
    }
    d.buy_items.product_ids = ids("buy_product_ids");
    d.buy_items.collection_ids = ids("buy_collection_ids");
    d.get_items.product_ids = ids("get_product_ids");
    d.get_items.collection_ids = ids("get_collection_ids");
  }
  for (std::string& tag : SplitList(request.Field("customer_tags"), false)) d.customer_tags.push_back(std::move(tag));
  d.first_order_only = request.Field("first_order_only") == "on";
  auto optional_count = [&](std::string_view field, std::string_view what) -> std::optional<std::int64_t> {
    if (text::TrimAscii(request.Field(field)).empty()) return std::nullopt;
    return ParseInteger(request.Field(field), field, what, errors, 1, INT64_MAX);
  };
  d.usage_limit = optional_count("usage_limit", "The total number of uses");
  d.per_customer_limit = optional_count("per_customer_limit", "The uses per customer");
  if (!text::TrimAscii(request.Field("starts_at")).empty()) {
    d.starts_at = ParseDateTime(request.Field("starts_at"), "starts_at", errors);
  }
  if (!text::TrimAscii(request.Field("ends_at")).empty()) {
    d.ends_at = ParseDateTime(request.Field("ends_at"), "ends_at", errors);
  }
  d.combines_with_product = request.Field("combines_product") == "on";
  d.combines_with_order = request.Field("combines_order") == "on";
  d.combines_with_shipping = request.Field("combines_shipping") == "on";
  if (auto priority = ParseInteger(request.Field("priority").empty() ? "0" : request.Field("priority"), "priority",
                                   "The priority", errors, -1000, 1000)) {
    d.priority = static_cast<int>(*priority);
  }
  if (!errors.empty()) return std::nullopt;
  if (Status valid = promo::ValidateDefinition(d); !valid.ok()) {
    errors.Add(valid.error(), DefinitionPointers());
    return std::nullopt;
  }
  return d;
}

Trusted DefinitionForm(const AdminRequest& request, std::string_view action, std::string_view button,
                       const FormFields& f, const FieldErrors& errors) {
  auto input = [&](std::string_view name, std::string_view label, std::string_view type = "text",
                   std::string_view hint = {}) {
    return Input({.name = name, .label = label, .value = Get(f, name), .type = type, .hint = hint}, errors);
  };
  auto check = [&](std::string_view name, std::string_view label) {
    return Checkbox(name, label, Get(f, name) == "on");
  };
  std::vector<std::pair<std::string, std::string>> kinds{{"percentage", "Percentage off"},
                                                         {"fixed_amount", "Fixed amount off"},
                                                         {"free_shipping", "Free shipping"},
                                                         {"buy_x_get_y", "Buy X, get Y"}};
  HtmlWriter html;
  html.Raw("<form method=\"post\" class=\"admin-form\" action=\"")
      .Text(action)
      .Raw("\" novalidate>")
      .Fragment(CsrfField(request.staff))
      .Fragment(FormErrorBox(errors))
      .Raw("<fieldset><legend>What it gives</legend>")
      .Fragment(Input(
          {.name = "title", .label = "Title (customers see it)", .value = Get(f, "title"), .required = true}, errors))
      .Fragment(Select("kind", "Kind", kinds, Get(f, "kind"), errors))
      .Fragment(input("percent_off", "Percentage off (percentage, buy X get Y)", "text", "12.5 means 12.5 %."))
      .Fragment(input("amount", "Amount off (fixed amount)", "text", "In the currency below, like 10.00."))
      .Fragment(input("currency", "Currency", "text", "ISO code such as EUR; needed for a fixed amount or a minimum."))
      .Fragment(input("applies_product_ids", "Only these product ids", "text", "Empty: the whole order."))
      .Fragment(input("applies_collection_ids", "Only these collection ids"))
      .Raw("</fieldset><fieldset><legend>Buy X, get Y</legend>")
      .Fragment(input("buy_quantity", "Buy quantity", "number"))
      .Fragment(input("buy_product_ids", "Buy: product ids"))
      .Fragment(input("buy_collection_ids", "Buy: collection ids"))
      .Fragment(input("get_quantity", "Get quantity", "number"))
      .Fragment(input("get_product_ids", "Get: product ids"))
      .Fragment(input("get_collection_ids", "Get: collection ids"))
      .Raw("</fieldset><fieldset><legend>Conditions and limits</legend>")
      .Fragment(input("minimum_subtotal", "Minimum subtotal", "text", "In the currency above; empty: none."))
      .Fragment(input("customer_tags", "Customer tags", "text", "The customer must carry one; empty: anyone."))
      .Fragment(check("first_order_only", "First order only"))
      .Fragment(input("usage_limit", "Total uses", "number", "Empty: unlimited."))
      .Fragment(input("per_customer_limit", "Uses per customer", "number", "Empty: unlimited."))
      .Fragment(input("starts_at", "Starts (UTC)", "datetime-local", "Empty: at once."))
      .Fragment(input("ends_at", "Ends (UTC)", "datetime-local", "Empty: no end."))
      .Raw("</fieldset><fieldset><legend>How it applies</legend>")
      .Fragment(check("automatic", "Automatic (no code needed)"))
      .Fragment(check("active", "Active"))
      .Fragment(check("combines_product", "Combines with product discounts"))
      .Fragment(check("combines_order", "Combines with order discounts"))
      .Fragment(check("combines_shipping", "Combines with shipping discounts"))
      .Fragment(input("priority", "Priority", "number", "-1000 to 1000; lower wins among conflicting promotions."))
      .Raw("</fieldset><button type=\"submit\">")
      .Text(button)
      .Raw("</button></form>");
  return {html.Take()};
}

std::string Validity(const promo::PromotionDefinition& d) {
  if (!d.starts_at && !d.ends_at) return "always";
  return (d.starts_at ? FormatRfc3339(*d.starts_at) : std::string("now")) + " – " +
         (d.ends_at ? FormatRfc3339(*d.ends_at) : std::string("no end"));
}

std::string StatusLabel(const promo::Promotion& p, TimePoint now) {
  const auto& d = p.definition;
  if (!d.active) return "inactive";
  if (d.starts_at && now < *d.starts_at) return "scheduled";
  if (d.ends_at && now >= *d.ends_at) return "expired";
  if (d.usage_limit && p.uses >= *d.usage_limit) return "used up";
  return "active";
}

Response ListPage(const PageServices& services, const AdminRequest& request) {
  auto list = services.promotions.List(request.shop.id);
  if (!list.ok()) return AdminPage(request, "Promotions", ErrorBox(list.error().detail), 503);
  const TimePoint now = services.clock.Now();
  HtmlWriter html;
  html.Raw("<p><a class=\"button\" href=\"/admin/promotions/new\">New promotion</a></p>");
  if (list->empty()) {
    html.Raw("<p class=\"muted\">No promotions yet.</p>");
  } else {
    html.Raw(
        "<table><thead><tr><th scope=\"col\">Title</th><th scope=\"col\">Kind</th><th scope=\"col\">How</th>"
        "<th scope=\"col\">Status</th><th scope=\"col\">Uses</th><th scope=\"col\">Valid "
        "(UTC)</th></tr></thead><tbody>");
    for (const promo::Promotion& p : *list) {
      html.Raw("<tr><td><a href=\"/admin/promotions/")
          .Text(std::to_string(p.id))
          .Raw("\">")
          .Text(p.definition.title)
          .Raw("</a></td><td>")
          .Text(promo::PromotionKindName(p.definition.kind))
          .Raw("</td><td>")
          .Raw(p.definition.automatic ? "automatic" : "code")
          .Raw("</td><td>")
          .Text(StatusLabel(p, now))
          .Raw("</td><td>")
          .Text(std::to_string(p.uses));
      if (p.definition.usage_limit) html.Raw(" of ").Text(std::to_string(*p.definition.usage_limit));
      html.Raw("</td><td>").Text(Validity(p.definition)).Raw("</td></tr>");
    }
    html.Raw("</tbody></table>");
  }
  return AdminPage(request, "Promotions", {html.Take()});
}

Response NewPage(const AdminRequest& request, const FormFields& fields, const FieldErrors& errors, int status) {
  return AdminPage(request, "New promotion",
                   DefinitionForm(request, "/admin/promotions", "Create promotion", fields, errors), status);
}

FormFields Defaults() {
  promo::PromotionDefinition d;
  return FieldsFrom(d);
}

Response EditPage(const PageServices& services, const AdminRequest& request, const promo::Promotion& promotion,
                  const FormFields& fields, const FieldErrors& definition_errors, const FormFields& code_fields,
                  const FieldErrors& code_errors, int status) {
  const std::string base = "/admin/promotions/" + std::to_string(promotion.id);
  HtmlWriter html;
  html.Raw("<p>Uses: <strong>").Text(std::to_string(promotion.uses)).Raw("</strong>");
  if (promotion.definition.usage_limit) html.Raw(" of ").Text(std::to_string(*promotion.definition.usage_limit));
  html.Raw(" · status: ").Text(StatusLabel(promotion, services.clock.Now())).Raw("</p>");
  if (promotion.definition.active) html.Fragment(ActionButton(request, base + "/deactivate", "Deactivate"));
  html.Fragment(DefinitionForm(request, base, "Save promotion", fields, definition_errors));
  if (!promotion.definition.automatic) {
    html.Raw("<h2>Codes</h2>");
    auto codes = services.promotions.ListCodes(request.shop.id, promotion.id);
    if (!codes.ok()) {
      html.Fragment(ErrorBox(codes.error().detail));
    } else if (codes->empty()) {
      html.Raw("<p class=\"muted\">No codes yet: customers cannot use this promotion until it has one.</p>");
    } else {
      html.Raw(
          "<table><thead><tr><th scope=\"col\">Code</th><th scope=\"col\">Creator</th><th scope=\"col\">Uses</th>"
          "</tr></thead><tbody>");
      for (const promo::PromotionCode& code : *codes) {
        html.Raw("<tr><td><code>")
            .Text(code.code)
            .Raw("</code></td><td>")
            .Text(code.creator)
            .Raw("</td><td>")
            .Text(std::to_string(code.uses))
            .Raw("</td></tr>");
      }
      html.Raw("</tbody></table>");
    }
    html.Raw("<h3>Add a code</h3><form method=\"post\" class=\"admin-form\" action=\"")
        .Text(base)
        .Raw("/codes\" novalidate>")
        .Fragment(CsrfField(request.staff))
        .Fragment(FormErrorBox(code_errors))
        .Fragment(Input({.name = "code",
                         .label = "Code",
                         .value = Get(code_fields, "code"),
                         .hint = "3 to 64 letters, digits, - or _; matched ignoring case.",
                         .required = true},
                        code_errors))
        .Fragment(Input({.name = "creator",
                         .label = "Creator or affiliate (optional)",
                         .value = Get(code_fields, "creator"),
                         .hint = "Their uses are counted per code."},
                        code_errors))
        .Raw("<button type=\"submit\">Add code</button></form>");
  }
  return AdminPage(request, promotion.definition.title, {html.Take()}, status);
}

std::optional<std::int64_t> IdOf(const AdminRequest& request) {
  const std::string_view text = request.http.PathParam("id");
  std::int64_t id = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

Response NotFound(const AdminRequest& request) {
  return AdminPage(request, "Promotion not found", ErrorBox("No such promotion in this shop."), 404);
}

}  // namespace

void RegisterPromotionPages(http::Router& router, const PageServices& services) {
  constexpr auto kWrite = identity::Permission::kPromotionsWrite;
  router.Get("/admin/promotions",
             AdminRoute(services, kWrite, [&services](AdminRequest& request) { return ListPage(services, request); }));
  router.Get("/admin/promotions/new",
             AdminRoute(services, kWrite, [](AdminRequest& request) { return NewPage(request, Defaults(), {}, 200); }));
  router.Post("/admin/promotions", AdminRoute(services, kWrite, [&services](AdminRequest& request) {
                FieldErrors errors;
                auto definition = DefinitionFrom(request, errors);
                if (!definition) return NewPage(request, request.form, errors, 422);
                auto created = services.promotions.Create(request.shop.id, *definition);
                if (!created.ok()) {
                  errors.Add(created.error(), DefinitionPointers());
                  return NewPage(request, request.form, errors, 422);
                }
                return RedirectWithNotice("/admin/promotions/" + std::to_string(created->id), "created");
              }));
  router.Get("/admin/promotions/{id}", AdminRoute(services, kWrite, [&services](AdminRequest& request) {
               const auto id = IdOf(request);
               auto promotion = id ? services.promotions.Get(request.shop.id, *id) : Error::NotFound("promotion");
               if (!promotion.ok()) return NotFound(request);
               return EditPage(services, request, *promotion, FieldsFrom(promotion->definition), {}, {}, {}, 200);
             }));
  router.Post("/admin/promotions/{id}", AdminRoute(services, kWrite, [&services](AdminRequest& request) {
                const auto id = IdOf(request);
                auto promotion = id ? services.promotions.Get(request.shop.id, *id) : Error::NotFound("promotion");
                if (!promotion.ok()) return NotFound(request);
                FieldErrors errors;
                auto definition = DefinitionFrom(request, errors);
                if (definition) {
                  auto updated = services.promotions.Update(request.shop.id, *id, *definition);
                  if (updated.ok()) return RedirectWithNotice("/admin/promotions/" + std::to_string(*id), "saved");
                  errors.Add(updated.error(), DefinitionPointers());
                }
                return EditPage(services, request, *promotion, request.form, errors, {}, {}, 422);
              }));
  router.Post("/admin/promotions/{id}/deactivate", AdminRoute(services, kWrite, [&services](AdminRequest& request) {
                const auto id = IdOf(request);
                auto promotion = id ? services.promotions.Get(request.shop.id, *id) : Error::NotFound("promotion");
                if (!promotion.ok()) return NotFound(request);
                promo::PromotionDefinition definition = promotion->definition;
                definition.active = false;
                auto updated = services.promotions.Update(request.shop.id, *id, definition);
                if (!updated.ok()) {
                  return EditPage(
                      services, request, *promotion, FieldsFrom(promotion->definition),
                      [&] {
                        FieldErrors e;
                        e.AddGeneral(updated.error().detail);
                        return e;
                      }(),
                      {}, {}, 409);
                }
                return RedirectWithNotice("/admin/promotions/" + std::to_string(*id), "deactivated");
              }));
  router.Post("/admin/promotions/{id}/codes", AdminRoute(services, kWrite, [&services](AdminRequest& request) {
                const auto id = IdOf(request);
                auto promotion = id ? services.promotions.Get(request.shop.id, *id) : Error::NotFound("promotion");
                if (!promotion.ok()) return NotFound(request);
                FieldErrors errors;
                const promo::NewCode code{.code = std::string(text::TrimAscii(request.Field("code"))),
                                          .creator = std::string(text::TrimAscii(request.Field("creator")))};
                auto added = services.promotions.AddCode(request.shop.id, *id, code);
                if (added.ok()) return RedirectWithNotice("/admin/promotions/" + std::to_string(*id), "created");
                errors.Add(added.error(), {{"/code", "code"}, {"/creator", "creator"}});
                if (errors.general() == added.error().detail) {
                  // Module errors about the code itself often carry no pointer.
                  errors = FieldErrors();
                  errors.Add("code", added.error().detail);
                }
                return EditPage(services, request, *promotion, FieldsFrom(promotion->definition), {}, request.form,
                                errors, 422);
              }));
}

}  // namespace plaza::web::admin
