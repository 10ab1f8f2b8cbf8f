// The shipping and returns policies, rendered from the settings checkout and returns
// apply (shipping zones, rates, fulfilment settings and holidays; the orders module's
// return window), so the page never promises something else than checkout does.

#include "cart_view.h"
#include "plaza/orders/order_service.h"
#include "plaza/shipping/shipping_service.h"
#include "routes.h"
#include "shop_page.h"

namespace plaza::web::storefront {
namespace {

using http::Request;
using http::Response;

PageMeta PolicyMeta(std::string title, std::string path, std::string description) {
  PageMeta meta;
  meta.title = std::move(title);
  meta.path = std::move(path);
  meta.description = std::move(description);
  return meta;
}

std::string Days(int low, int high) {
  if (low == high) return std::to_string(low) + (low == 1 ? " day" : " days");
  return std::to_string(low) + "–" + std::to_string(high) + " days";
}

std::string RateCost(const shipping::Rate& rate) {
  std::string price = rate.price_minor == 0 ? "Free" : FormatAmount(rate.price_minor, rate.currency);
  const std::string upper = rate.max_value ? std::to_string(*rate.max_value) : std::string();
  switch (rate.kind) {
    case shipping::RateKind::kFlat:
      return price;
    case shipping::RateKind::kFreeOver:
      return price + ", free on orders from " + FormatAmount(rate.min_value, rate.currency);
    case shipping::RateKind::kWeight:
      return price + " for parcels from " + std::to_string(rate.min_value) + " g" +
             (rate.max_value ? " up to " + upper + " g" : std::string());
    case shipping::RateKind::kPrice:
      return price + " for orders from " + FormatAmount(rate.min_value, rate.currency) +
             (rate.max_value ? " below " + FormatAmount(*rate.max_value, rate.currency) : std::string());
  }
  return price;
}

std::string Clock(int minute_of_day) {
  const int hours = minute_of_day / 60;
  const int minutes = minute_of_day % 60;
  return (hours < 10 ? "0" : "") + std::to_string(hours) + ":" + (minutes < 10 ? "0" : "") + std::to_string(minutes);
}

Result<Trusted> ShippingPolicy(const PageServices& services, std::int64_t shop_id) {
  PLAZA_ASSIGN_OR_RETURN(const shipping::FulfilmentSettings settings, services.shipping.GetSettings(shop_id));
  PLAZA_ASSIGN_OR_RETURN(const std::vector<shipping::Zone> zones, services.shipping.ListZones(shop_id));
  PLAZA_ASSIGN_OR_RETURN(const std::vector<shipping::Holiday> holidays, services.shipping.ListHolidays(shop_id));
  HtmlWriter html;
  html.Raw("<h1>Shipping policy</h1><h2>When your order leaves</h2><p>Orders placed on a working day before <strong>")
      .Text(Clock(settings.cutoff_minute))
      .Raw("</strong> (")
      .Text(settings.time_zone)
      .Raw(" time) are processed from that day; later orders from the next working day. Processing takes <strong>")
      .Text(Days(settings.processing_days, settings.processing_days))
      .Raw("</strong>.</p><p>Working days: ");
  constexpr std::string_view kWeekdays[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                            "Friday", "Saturday", "Sunday"};
  bool first = true;
  for (std::size_t day = 0; day < settings.working_days.size(); ++day) {
    if (!settings.working_days[day]) continue;
    html.Raw(first ? "" : ", ").Text(kWeekdays[day]);
    first = false;
  }
  html.Raw(".</p><h2>Where we ship and what it costs</h2>");
  if (zones.empty()) html.Raw("<p>This shop has not set up shipping yet.</p>");
  for (const shipping::Zone& zone : zones) {
    PLAZA_ASSIGN_OR_RETURN(const std::vector<shipping::Rate> rates, services.shipping.ListRates(shop_id, zone.id));
    html.Raw("<h3>").Text(zone.name).Raw("</h3><p>Destinations: ");
    for (std::size_t i = 0; i < zone.destinations.size(); ++i) {
      const shipping::Destination& destination = zone.destinations[i];
      html.Raw(i == 0 ? "" : ", ").Text(destination.country);
      if (!destination.region.empty()) html.Raw("-").Text(destination.region);
    }
    html.Raw(".</p><table class=\"policy\"><caption class=\"visually-hidden\">Rates to ")
        .Text(zone.name)
        .Raw(
            "</caption><thead><tr><th scope=\"col\">Method</th><th scope=\"col\">Cost</th>"
            "<th scope=\"col\">Time in transit</th></tr></thead><tbody>");
    for (const shipping::Rate& rate : rates) {
      html.Raw("<tr><th scope=\"row\">")
          .Text(rate.name)
          .Raw("</th><td>")
          .Text(RateCost(rate))
          .Raw("</td><td>")
          .Text(Days(rate.transit_min_days, rate.transit_max_days))
          .Raw("</td></tr>");
    }
    html.Raw("</tbody></table>");
  }
  html.Raw("<h2>Holidays</h2>");
  if (holidays.empty()) {
    html.Raw("<p>No holidays are planned.</p>");
  } else {
    html.Raw("<p>No parcels are processed or carried on these days:</p><ul>");
    for (const shipping::Holiday& holiday : holidays) {
      html.Raw("<li>").Text(holiday.date).Raw(" · ").Text(holiday.name);
      if (!holiday.country.empty()) html.Raw(" (carriers to ").Text(holiday.country).Raw(")");
      html.Raw("</li>");
    }
    html.Raw("</ul>");
  }
  html.Raw("<p>Checkout shows the delivery dates for your address before you pay.</p>");
  return Trusted{html.Take()};
}

}  // namespace

void RegisterPolicyPages(http::Router& router, const PageServices& services) {
  router.Get("/policies/shipping", [&services](Request& request) -> Response {
    auto visit = BeginVisit(services, request);
    if (!visit.ok()) return Response::Problem(visit.error(), request.request_id);
    auto content = ShippingPolicy(services, visit->shop.id);
    if (!content.ok()) return MessagePage(services, *visit, "Shipping policy", Explain(content.error()), 503);
    return ShopPage(services, *visit,
                    PolicyMeta("Shipping policy", "/policies/shipping",
                               "Where " + visit->shop.name + " ships, what it costs and how long it takes."),
                    *content);
  });

  router.Get("/policies/returns", [&services](Request& request) -> Response {
    auto visit = BeginVisit(services, request);
    if (!visit.ok()) return Response::Problem(visit.error(), request.request_id);
    auto window = services.orders.GetReturnWindow(visit->shop.id);
    if (!window.ok()) return MessagePage(services, *visit, "Returns policy", Explain(window.error()), 503);
    HtmlWriter html;
    html.Raw("<h1>Returns policy</h1><p>You can return items within <strong>")
        .Text(std::to_string(*window))
        .Raw(
            " days</strong> of delivery (or of shipping, when delivery is not tracked).</p><ul>"
            "<li>Start a return from the order in <a href=\"/account\">your account</a>; you can send back some or "
            "all of the items that were shipped.</li>"
            "<li>Items that have not shipped yet cannot be returned; write to us to cancel them instead.</li>"
            "<li>Once we receive the parcel, we refund the returned items' share of what you paid to the original "
            "payment method.</li></ul>");
    return ShopPage(
        services, *visit,
        PolicyMeta("Returns policy", "/policies/returns",
                   "Return items to " + visit->shop.name + " within " + std::to_string(*window) + " days of delivery."),
        {html.Take()});
  });
}

}  // namespace plaza::web::storefront
