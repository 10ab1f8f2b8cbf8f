#include "plaza/app/demo.h"

#include <array>
#include <string_view>
#include <vector>

#include "demo_catalog.h"
#include "demo_community.h"
#include "plaza/catalog/catalog.h"
#include "plaza/catalog/import_sink.h"
#include "plaza/identity/identity_service.h"
#include "plaza/identity/permissions.h"
#include "plaza/inventory/inventory.h"
#include "plaza/pricing/pricing.h"
#include "plaza/promotions/promotions.h"
#include "plaza/shipping/shipping_service.h"

namespace plaza::app {
namespace {

constexpr std::string_view kActor = "system:seed-demo";

struct Services {
  store::Database& db;
  const Clock& clock;
  identity::IdentityService identity;
  catalog::CatalogService catalog;
  inventory::InventoryService inventory;
  pricing::PricingService pricing;
  promotions::PromotionService promotions;
  shipping::ShippingService shipping;

  Services(store::Database& database, const Clock& c)
      : db(database),
        clock(c),
        identity(database, c),
        catalog(database, c),
        inventory(database, c),
        pricing(database, c),
        promotions(database, c),
        shipping(database, c) {}
};

struct DemoMarkets {
  pricing::Market eu;
  pricing::Market uk;
  pricing::Market us;
};

struct DemoLocations {
  inventory::Location warehouse;
  inventory::Location boutique;
};

Result<identity::CreatedShop> CreateShopAndTeam(Services& services) {
  const DemoCredentials login = DemoLogin();
  PLAZA_ASSIGN_OR_RETURN(identity::CreatedShop created,
                         services.identity.CreateShop({.handle = login.shop_handle,
                                                       .name = "Aurelle Skincare",
                                                       .owner_email = login.staff_email,
                                                       .owner_name = "Maëlle Laurent",
                                                       .owner_password = login.staff_password}));
  // The owner acts for the seed, so the extra staff appear in the audit log as hers.
  identity::Principal owner;
  owner.kind = identity::PrincipalKind::kStaff;
  owner.shop_id = created.shop.id;
  owner.user_id = created.owner.id;
  owner.roles = {identity::Role::kOwner};
  owner.ip = "127.0.0.1";
  struct DemoStaff {
    const char* email;
    const char* name;
    identity::Role role;
  };
  const DemoStaff team[] = {
      {"care@aurelle.example", "Jonas Weber", identity::Role::kSupportAgent},
      {"growth@aurelle.example", "Priya Shah", identity::Role::kMarketer},
      {"community@aurelle.example", "Tomás Ruiz", identity::Role::kModerator},
  };
  for (const DemoStaff& member : team) {
    PLAZA_TRY(
        services.identity.CreateStaff(owner, created.shop.id,
                                      {.email = member.email,
                                       .name = member.name,
                                       .roles = {member.role},
                                       .password = "aurelle-demo-" + std::string(identity::RoleName(member.role))}));
  }
  return created;
}

// VAT and sales tax as they stand in 2026 for the destinations the demo sells to.
struct DemoTax {
  std::string_view region;
  std::int64_t basis_points;
  std::string_view name;
};
constexpr std::array kEuVat = std::to_array<DemoTax>({
    {"AT", 2000, "USt"},
    {"BE", 2100, "TVA"},
    {"DE", 1900, "MwSt"},
    {"ES", 2100, "IVA"},
    {"FI", 2550, "ALV"},
    {"FR", 2000, "TVA"},
    {"IE", 2300, "VAT"},
    {"IT", 2200, "IVA"},
    {"LU", 1700, "TVA"},
    {"NL", 2100, "BTW"},
    {"PT", 2300, "IVA"},
});
constexpr std::array kUsSalesTax = std::to_array<DemoTax>({
    {"US-CA", 725, "California sales tax"},
    {"US-NY", 400, "New York sales tax"},
    {"US-TX", 625, "Texas sales tax"},
    {"US-WA", 650, "Washington sales tax"},
});

Result<DemoMarkets> CreateMarkets(Services& services, std::int64_t shop_id) {
  std::vector<std::string> eu_countries;
  eu_countries.reserve(std::size(kEuVat));
  for (const DemoTax& vat : kEuVat) eu_countries.emplace_back(vat.region);
  DemoMarkets markets;
  PLAZA_ASSIGN_OR_RETURN(markets.eu, services.pricing.CreateMarket(shop_id, {.handle = "eu",
                                                                             .name = "European Union",
                                                                             .countries = eu_countries,
                                                                             .currency = "EUR",
                                                                             .prices_include_tax = true,
                                                                             .is_default = true}));
  PLAZA_ASSIGN_OR_RETURN(markets.uk, services.pricing.CreateMarket(shop_id, {.handle = "uk",
                                                                             .name = "United Kingdom",
                                                                             .countries = {"GB"},
                                                                             .currency = "GBP",
                                                                             .prices_include_tax = true,
                                                                             .is_default = false}));
  PLAZA_ASSIGN_OR_RETURN(markets.us, services.pricing.CreateMarket(shop_id, {.handle = "us",
                                                                             .name = "United States",
                                                                             .countries = {"US"},
                                                                             .currency = "USD",
                                                                             .prices_include_tax = false,
                                                                             .is_default = false}));
  for (const DemoTax& vat : kEuVat) {
    PLAZA_TRY(services.pricing.SetTaxRate(shop_id, markets.eu.id,
                                          {.region = std::string(vat.region),
                                           .tax_class = "standard",
                                           .rate = pricing::TaxRate::BasisPoints(vat.basis_points),
                                           .name = std::string(vat.name)}));
  }
  PLAZA_TRY(services.pricing.SetTaxRate(
      shop_id, markets.uk.id,
      {.region = "GB", .tax_class = "standard", .rate = pricing::TaxRate::BasisPoints(2000), .name = "VAT"}));
  for (const DemoTax& tax : kUsSalesTax) {
    PLAZA_TRY(services.pricing.SetTaxRate(shop_id, markets.us.id,
                                          {.region = std::string(tax.region),
                                           .tax_class = "standard",
                                           .rate = pricing::TaxRate::BasisPoints(tax.basis_points),
                                           .name = std::string(tax.name)}));
  }
  return markets;
}

// A merchant's local price: the EUR price times `rate_percent`, rounded to a whole unit
// and ending in .99 style (minus one minor unit), as price lists are written by hand.
Result<std::int64_t> LocalPrice(std::int64_t eur_minor, std::int64_t rate_percent) {
  PLAZA_ASSIGN_OR_RETURN(std::int64_t converted, MulDiv(eur_minor, rate_percent, 100, Rounding::kHalfUp));
  PLAZA_ASSIGN_OR_RETURN(std::int64_t whole, MulDiv(converted, 1, 100, Rounding::kHalfUp));
  return whole <= 0 ? converted : whole * 100 - 1;
}

// GBP (VAT included) and USD (before sales tax) price lists derived from the EUR one.
Status PriceOtherMarkets(Services& services, std::int64_t shop_id, const DemoMarkets& markets,
                         std::span<const catalog::ImportedPrice> eur_prices) {
  std::vector<pricing::PriceInput> gbp;
  std::vector<pricing::PriceInput> usd;
  for (const catalog::ImportedPrice& price : eur_prices) {
    PLAZA_ASSIGN_OR_RETURN(std::int64_t gbp_amount, LocalPrice(price.amount, 87));
    PLAZA_ASSIGN_OR_RETURN(std::int64_t usd_amount, LocalPrice(price.amount, 95));
    gbp.push_back({.variant_id = price.variant_id,
                   .amount = gbp_amount,
                   .compare_at_amount = {},
                   .sale_amount = {},
                   .sale_starts_at = {},
                   .sale_ends_at = {}});
    usd.push_back({.variant_id = price.variant_id,
                   .amount = usd_amount,
                   .compare_at_amount = {},
                   .sale_amount = {},
                   .sale_starts_at = {},
                   .sale_ends_at = {}});
  }
  for (std::size_t start = 0; start < gbp.size(); start += pricing::kMaxVariantsPerRequest) {
    const std::size_t count = std::min(pricing::kMaxVariantsPerRequest, gbp.size() - start);
    PLAZA_TRY(services.pricing.SetPrices(shop_id, markets.uk.id, std::span(gbp).subspan(start, count)));
    PLAZA_TRY(services.pricing.SetPrices(shop_id, markets.us.id, std::span(usd).subspan(start, count)));
  }
  return Ok();
}

Result<std::int64_t> VariantOf(Services& services, std::int64_t shop_id, std::string_view handle,
                               std::size_t index = 0) {
  PLAZA_ASSIGN_OR_RETURN(catalog::Product product, services.catalog.GetProductByHandle(shop_id, handle));
  if (index >= product.variants.size()) return Error::Internal("demo product " + std::string(handle) + " changed");
  return product.variants[index].id;
}

// Kits, a drop with a per-order limit, a pre-order, a social-channel buffer and stock in
// the boutique: the inventory features a merchant looks for first.
Status ShapeInventory(Services& services, std::int64_t shop_id, const DemoLocations& locations) {
  inventory::InventoryService& inventory = services.inventory;
  const auto item_of = [&](std::string_view handle, std::size_t index = 0) -> Result<inventory::Item> {
    PLAZA_ASSIGN_OR_RETURN(std::int64_t variant, VariantOf(services, shop_id, handle, index));
    return inventory.EnsureVariantItem(shop_id, variant);
  };
  struct Kit {
    std::string_view handle;
    std::size_t variant;
    std::array<std::string_view, 3> contents;
  };
  const Kit kits[] = {
      {"starter-routine-kit", 0, {"mini-cleanser", "hyaluronic-serum", "daily-moisturiser"}},
      {"starter-routine-kit", 1, {"mini-cleanser", "niacinamide-serum", "gel-cream"}},
      {"glow-duo", 0, {"vitamin-c-serum", "spf-50-fluid", ""}},
      {"night-repair-set", 0, {"retinal-night-serum", "rich-night-cream", ""}},
  };
  for (const Kit& kit : kits) {
    std::vector<inventory::Component> components;
    for (std::string_view content : kit.contents) {
      if (content.empty()) continue;
      PLAZA_ASSIGN_OR_RETURN(inventory::Item item, item_of(content));
      components.push_back({.item_id = item.id, .quantity = 1});
    }
    PLAZA_ASSIGN_OR_RETURN(std::int64_t variant, VariantOf(services, shop_id, kit.handle, kit.variant));
    PLAZA_TRY(inventory.SetVariantComponents(shop_id, variant, components));
  }

  PLAZA_ASSIGN_OR_RETURN(std::int64_t drop, VariantOf(services, shop_id, "limited-berry-serum"));
  PLAZA_TRY(inventory.SetMaxPerOrder(shop_id, drop, 1));

  PLAZA_ASSIGN_OR_RETURN(inventory::Item advent, item_of("holiday-advent-calendar"));
  PLAZA_TRY(inventory.SetPreorder(
      shop_id, advent.id,
      inventory::PreorderSettings{.arrival = services.clock.Now() + std::chrono::days(12), .cap = 300}));

  PLAZA_ASSIGN_OR_RETURN(inventory::Item vitamin_c, item_of("vitamin-c-serum"));
  PLAZA_TRY(
      inventory.CreateBuffer(shop_id, {.item_id = vitamin_c.id,
                                       .channels = {inventory::SalesChannel::kMeta, inventory::SalesChannel::kTiktok,
                                                    inventory::SalesChannel::kPinterest},
                                       .quantity = 5}));

  for (std::string_view handle :
       {"vitamin-c-serum", "hyaluronic-serum", "spf-50-fluid", "daily-moisturiser", "lip-balm", "hand-cream"}) {
    PLAZA_ASSIGN_OR_RETURN(inventory::Item item, item_of(handle));
    PLAZA_TRY(inventory.Receive(shop_id, {.item_id = item.id,
                                          .location_id = locations.boutique.id,
                                          .quantity = 12,
                                          .reason = "Opening stock for the boutique",
                                          .actor = std::string(kActor)}));
  }
  return Ok();
}

Status CreateShipping(Services& services, std::int64_t shop_id) {
  shipping::ShippingService& shipping = services.shipping;
  PLAZA_TRY(shipping.PutSettings(shop_id, {.time_zone = "Europe/Paris",
                                           .processing_days = 1,
                                           .cutoff_minute = 14 * 60,
                                           .working_days = {true, true, true, true, true, false, false}}));
  const auto zone = [&](std::string name, const std::vector<std::string_view>& countries) -> Result<shipping::Zone> {
    shipping::ZoneInput input{.name = std::move(name), .destinations = {}};
    for (std::string_view country : countries) input.destinations.push_back({std::string(country), ""});
    return shipping.CreateZone(shop_id, input);
  };
  using shipping::RateKind;
  const auto rate = [&](std::int64_t zone_id, std::string name, RateKind kind, std::string currency, std::int64_t price,
                        std::int64_t min_value, std::optional<std::int64_t> max_value, int transit_min,
                        int transit_max) -> Status {
    PLAZA_TRY(shipping.CreateRate(shop_id, zone_id,
                                  {.name = std::move(name),
                                   .kind = kind,
                                   .currency = std::move(currency),
                                   .price_minor = price,
                                   .min_value = min_value,
                                   .max_value = max_value,
                                   .transit_min_days = transit_min,
                                   .transit_max_days = transit_max}));
    return Ok();
  };
  PLAZA_ASSIGN_OR_RETURN(shipping::Zone france, zone("France", {"FR"}));
  PLAZA_TRY(rate(france.id, "Colissimo", RateKind::kFreeOver, "EUR", 490, 4900, {}, 1, 2));
  PLAZA_TRY(rate(france.id, "Express", RateKind::kFlat, "EUR", 990, 0, {}, 1, 1));
  PLAZA_ASSIGN_OR_RETURN(shipping::Zone europe,
                         zone("Europe", {"AT", "BE", "DE", "ES", "FI", "IE", "IT", "LU", "NL", "PT"}));
  PLAZA_TRY(rate(europe.id, "Standard", RateKind::kFreeOver, "EUR", 790, 6900, {}, 2, 5));
  PLAZA_TRY(rate(europe.id, "Express", RateKind::kFlat, "EUR", 1490, 0, {}, 1, 2));
  PLAZA_ASSIGN_OR_RETURN(shipping::Zone uk, zone("United Kingdom", {"GB"}));
  PLAZA_TRY(rate(uk.id, "Tracked", RateKind::kFreeOver, "GBP", 695, 6000, {}, 3, 6));
  PLAZA_ASSIGN_OR_RETURN(shipping::Zone us, zone("United States", {"US"}));
  PLAZA_TRY(rate(us.id, "Standard", RateKind::kWeight, "USD", 1200, 0, 500, 5, 9));
  PLAZA_TRY(rate(us.id, "Standard", RateKind::kWeight, "USD", 1800, 500, 2000, 5, 9));
  PLAZA_TRY(rate(us.id, "Standard", RateKind::kWeight, "USD", 2900, 2000, {}, 5, 9));
  PLAZA_TRY(rate(us.id, "Express", RateKind::kFlat, "USD", 3500, 0, {}, 2, 4));

  // French public holidays: the warehouse does not ship on them.
  struct DemoHoliday {
    const char* date;
    const char* name;
  };
  const DemoHoliday holidays[] = {
      {"2026-12-25", "Noël"},
      {"2027-01-01", "Jour de l'an"},
      {"2027-03-29", "Lundi de Pâques"},
      {"2027-05-01", "Fête du Travail"},
      {"2027-05-06", "Ascension"},
      {"2027-05-08", "Victoire 1945"},
      {"2027-05-17", "Lundi de Pentecôte"},
      {"2027-07-14", "Fête nationale"},
      {"2027-08-15", "Assomption"},
      {"2027-11-01", "Toussaint"},
      {"2027-11-11", "Armistice"},
      {"2027-12-25", "Noël"},
  };
  for (const DemoHoliday& holiday : holidays) {
    PLAZA_TRY(shipping.AddHoliday(shop_id, {.date = holiday.date, .country = "", .name = holiday.name}));
  }
  // A carrier holiday: Boxing Day in the UK.
  PLAZA_TRY(shipping.AddHoliday(shop_id, {.date = "2026-12-26", .country = "GB", .name = "Boxing Day"}));
  return Ok();
}

Status CreateCollections(Services& services, std::int64_t shop_id) {
  using catalog::RuleField;
  using catalog::RuleRelation;
  struct RuleCollection {
    const char* handle;
    const char* title;
    const char* description;
    RuleField field;
    const char* value;
  };
  const RuleCollection collections[] = {
      {"bestsellers", "Bestsellers", "<p>What our community reorders most.</p>", RuleField::kTag, "bestseller"},
      {"serums", "Serums", "<p>Concentrated actives for one concern at a time.</p>", RuleField::kProductType, "Serum"},
      {"sun-care", "Sun care", "<p>Daily SPF that feels like nothing.</p>", RuleField::kProductType, "Sun care"},
      {"kits-and-gifts", "Kits and gifts", "<p>Routines and sets, ready to give.</p>", RuleField::kTag, "kit"},
      {"minis", "Minis", "<p>Travel sizes of the formulas you love.</p>", RuleField::kTag, "mini"},
      {"sensitive-skin", "For sensitive skin", "<p>Fragrance-free and gentle.</p>", RuleField::kTag, "sensitive skin"},
  };
  for (const RuleCollection& collection : collections) {
    PLAZA_TRY(services.catalog.CreateCollection(shop_id,
                                                {.handle = collection.handle,
                                                 .title = collection.title,
                                                 .description_html = collection.description,
                                                 .rule_based = true,
                                                 .match_all = true,
                                                 .rules = {{collection.field, RuleRelation::kEquals, collection.value}},
                                                 .product_ids = {},
                                                 .published = true}));
  }
  std::vector<std::int64_t> new_in;
  for (std::string_view handle :
       {"limited-berry-serum", "holiday-advent-calendar", "peptide-firming-serum", "lip-oil", "cream-blush"}) {
    PLAZA_ASSIGN_OR_RETURN(catalog::Product product, services.catalog.GetProductByHandle(shop_id, handle));
    new_in.push_back(product.id);
  }
  PLAZA_TRY(services.catalog.CreateCollection(shop_id, {.handle = "new-in",
                                                        .title = "New in",
                                                        .description_html = "<p>Just landed.</p>",
                                                        .rule_based = false,
                                                        .match_all = true,
                                                        .rules = {},
                                                        .product_ids = new_in,
                                                        .published = true}));
  return Ok();
}

Status PublishEverywhere(Services& services, std::int64_t shop_id) {
  using catalog::Channel;
  catalog::ProductListQuery query;
  query.status = catalog::ProductStatus::kActive;
  query.limit = 100;
  do {
    PLAZA_ASSIGN_OR_RETURN(catalog::ProductPage page, services.catalog.ListProducts(shop_id, query));
    for (const catalog::Product& product : page.products) {
      PLAZA_TRY(services.catalog.SetChannels(
          shop_id, product.id,
          {Channel::kOnlineStore, Channel::kMeta, Channel::kTiktok, Channel::kPinterest, Channel::kGoogle}));
    }
    query.cursor = page.next_cursor;
  } while (!query.cursor.empty());
  return Ok();
}

Status CreatePromotions(Services& services, std::int64_t shop_id, const DemoMarkets& markets) {
  using promotions::PromotionKind;
  promotions::PromotionService& promotions = services.promotions;
  const TimePoint now = services.clock.Now();

  promotions::PromotionDefinition welcome;
  welcome.title = "10% off your first order";
  welcome.kind = PromotionKind::kPercentage;
  welcome.percent_off = 1000;
  welcome.first_order_only = true;
  welcome.per_customer_limit = 1;
  PLAZA_ASSIGN_OR_RETURN(promotions::Promotion first_order, promotions.Create(shop_id, welcome));
  PLAZA_TRY(promotions.AddCode(shop_id, first_order.id, {.code = "WELCOME10", .creator = ""}));

  promotions::PromotionDefinition creator;
  creator.title = "15% off with Maya";
  creator.kind = PromotionKind::kPercentage;
  creator.percent_off = 1500;
  creator.usage_limit = 500;
  creator.per_customer_limit = 1;
  PLAZA_ASSIGN_OR_RETURN(promotions::Promotion maya, promotions.Create(shop_id, creator));
  PLAZA_TRY(promotions.AddCode(shop_id, maya.id, {.code = "MAYA15", .creator = "maya.glows"}));

  PLAZA_ASSIGN_OR_RETURN(catalog::Collection minis, services.catalog.GetCollectionByHandle(shop_id, "minis"));
  promotions::PromotionDefinition three_for_two;
  three_for_two.title = "Minis: 3 for 2";
  three_for_two.kind = PromotionKind::kBuyXGetY;
  three_for_two.automatic = true;
  three_for_two.buy_quantity = 2;
  three_for_two.buy_items.collection_ids = {minis.id};
  three_for_two.get_quantity = 1;
  three_for_two.get_items.collection_ids = {minis.id};
  three_for_two.percent_off = promotions::kFullPercent;
  three_for_two.combines_with_shipping = true;
  PLAZA_TRY(promotions.Create(shop_id, three_for_two));

  PLAZA_ASSIGN_OR_RETURN(catalog::Collection kits, services.catalog.GetCollectionByHandle(shop_id, "kits-and-gifts"));
  promotions::PromotionDefinition gifting;
  gifting.title = "Gifting season: 20% off kits";
  gifting.kind = PromotionKind::kPercentage;
  gifting.automatic = true;
  gifting.percent_off = 2000;
  gifting.applies_to.collection_ids = {kits.id};
  gifting.starts_at = now;
  gifting.ends_at = now + std::chrono::days(30);
  PLAZA_TRY(promotions.Create(shop_id, gifting));

  promotions::PromotionDefinition us_shipping;
  us_shipping.title = "Free US shipping over $75";
  us_shipping.kind = PromotionKind::kFreeShipping;
  us_shipping.automatic = true;
  us_shipping.currency = "USD";
  us_shipping.minimum_subtotal = 7500;
  us_shipping.market_ids = {markets.us.id};
  PLAZA_TRY(promotions.Create(shop_id, us_shipping));
  return Ok();
}

Result<DemoLocations> CreateLocations(Services& services, std::int64_t shop_id) {
  DemoLocations locations;
  PLAZA_ASSIGN_OR_RETURN(locations.warehouse, services.inventory.CreateLocation(
                                                  shop_id, {.name = "Lyon warehouse", .priority = 0, .active = true}));
  PLAZA_ASSIGN_OR_RETURN(locations.boutique, services.inventory.CreateLocation(
                                                 shop_id, {.name = "Paris boutique", .priority = 1, .active = true}));
  return locations;
}

Result<catalog::ImportResult> Import(Services& services, std::int64_t shop_id, std::string_view csv,
                                     const DemoMarkets& markets, std::int64_t location_id,
                                     const std::function<void(std::size_t, std::size_t)>& progress) {
  catalog::CatalogImportSink sink(services.pricing, services.inventory, markets.eu.id, location_id,
                                  std::string(kActor));
  catalog::ImportOptions options;
  options.currency = "EUR";
  options.progress = progress;
  PLAZA_ASSIGN_OR_RETURN(catalog::ImportResult result, services.catalog.ImportShopifyCsv(shop_id, csv, options, &sink));
  if (result.issues_total > 0) {
    const catalog::ImportIssue& first = result.issues.front();
    return Error::Internal("demo catalog row " + std::to_string(first.row) + " (" + first.column +
                           ") was rejected: " + first.reason);
  }
  PLAZA_TRY(PriceOtherMarkets(services, shop_id, markets, result.prices));
  return result;
}

Result<DemoMarkets> ExistingMarkets(Services& services, std::int64_t shop_id) {
  PLAZA_ASSIGN_OR_RETURN(std::vector<pricing::Market> all, services.pricing.ListMarkets(shop_id));
  DemoMarkets markets;
  int found = 0;
  for (pricing::Market& market : all) {
    if (market.handle == "eu") markets.eu = market, ++found;
    if (market.handle == "uk") markets.uk = market, ++found;
    if (market.handle == "us") markets.us = market, ++found;
  }
  if (found != 3) return Error::Conflict("demo/changed", "the demo shop's markets eu, uk and us are not all there");
  return markets;
}

}  // namespace

DemoCredentials DemoLogin() {
  return {"aurelle", "owner@aurelle.example", "aurelle-demo-owner"};
}

DemoShopper DemoShopperLogin() {
  return {"camille@customers.aurelle.example", "aurelle-demo-customer", "camille.m"};
}

Result<DemoSummary> SeedDemo(store::Database& db, const Clock& clock, const DemoOptions& options) {
  Services services(db, clock);
  PLAZA_ASSIGN_OR_RETURN(auto any_shop,
                         db.Read([](store::Transaction& tx) { return tx.QueryOne("SELECT id FROM shops LIMIT 1"); }));
  if (any_shop && options.if_empty) return DemoSummary{};
  if (options.media_dir.empty()) {
    return Error::Invalid("demo/no-media-dir", "the demo community's photos need a media directory", "media_dir");
  }

  DemoSummary summary;
  Result<identity::Shop> existing = services.identity.GetShopByHandle(DemoLogin().shop_handle);
  DemoMarkets markets;
  std::int64_t warehouse_id = 0;
  if (existing.ok()) {
    summary.shop_id = existing->id;
    PLAZA_ASSIGN_OR_RETURN(markets, ExistingMarkets(services, summary.shop_id));
    PLAZA_ASSIGN_OR_RETURN(std::vector<inventory::Location> locations,
                           services.inventory.ListLocations(summary.shop_id));
    if (locations.empty()) return Error::Conflict("demo/changed", "the demo shop has no stock location");
    warehouse_id = locations.front().id;
  } else {
    PLAZA_ASSIGN_OR_RETURN(identity::CreatedShop created, CreateShopAndTeam(services));
    summary.created_shop = true;
    summary.shop_id = created.shop.id;
    PLAZA_ASSIGN_OR_RETURN(markets, CreateMarkets(services, summary.shop_id));
    PLAZA_ASSIGN_OR_RETURN(DemoLocations locations, CreateLocations(services, summary.shop_id));
    warehouse_id = locations.warehouse.id;
    PLAZA_ASSIGN_OR_RETURN(catalog::ImportResult imported,
                           Import(services, summary.shop_id, DemoCatalogCsv(), markets, warehouse_id, {}));
    summary.products += static_cast<std::int64_t>(imported.products_created);
    PLAZA_TRY(ShapeInventory(services, summary.shop_id, locations));
    PLAZA_TRY(CreateCollections(services, summary.shop_id));
    PLAZA_TRY(PublishEverywhere(services, summary.shop_id));
    PLAZA_TRY(CreateShipping(services, summary.shop_id));
    PLAZA_TRY(CreatePromotions(services, summary.shop_id, markets));
  }
  if (options.generated_products > 0) {
    PLAZA_ASSIGN_OR_RETURN(std::int64_t first, NextGeneratedNumber(services.catalog, summary.shop_id));
    const std::string csv = GeneratedCatalogCsv(first, options.generated_products);
    PLAZA_ASSIGN_OR_RETURN(catalog::ImportResult imported,
                           Import(services, summary.shop_id, csv, markets, warehouse_id, options.progress));
    summary.products += static_cast<std::int64_t>(imported.products_created);
  }
  // After the catalog, whose products the posts tag; skipped once the community is there.
  PLAZA_ASSIGN_OR_RETURN(summary.posts, SeedDemoCommunity(db, clock, summary.shop_id, options.media_dir));
  return summary;
}

}  // namespace plaza::app
