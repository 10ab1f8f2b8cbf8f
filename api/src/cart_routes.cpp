// Storefront carts and checkout: public routes addressed by the cart's unguessable
// token, so guests need no account. Place-order requires an Idempotency-Key.

#include <limits>
#include <utility>

#include "order_encode.h"
#include "plaza/orders/order_service.h"
#include "routes.h"

namespace plaza::api {
namespace {

using http::Request;
using http::Response;

constexpr std::int64_t kAnyInt = std::numeric_limits<std::int64_t>::max();

Result<Response> CartResponse(Result<orders::Cart> cart, int status = 200) {
  if (!cart.ok()) return std::move(cart).error();
  return Response::Json(EncodeCart(*cart), status);
}

std::string Token(const Request& request) {
  return std::string(request.PathParam("token"));
}

template <std::size_t... kIdx>
Status AllowOnlyAddressFields(const http::JsonReader& reader, std::index_sequence<kIdx...>) {
  return reader.AllowOnly({orders::kAddressFields[kIdx].name...});
}

Result<orders::Address> ReadAddress(const http::JsonReader& reader) {
  PLAZA_TRY(AllowOnlyAddressFields(reader, std::make_index_sequence<orders::kAddressFields.size()>()));
  orders::Address address;
  for (const auto& [name, member] : orders::kAddressFields) {
    PLAZA_ASSIGN_OR_RETURN(auto value, reader.OptionalString(name, {.max_length = orders::kMaxAddressFieldLength}));
    if (value) address.*member = std::move(*value);
  }
  return address;
}

}  // namespace

Result<orders::Address> ReadAddressBody(const Request& request) {
  PLAZA_ASSIGN_OR_RETURN(const boost::json::object body, http::ParseJsonObject(request));
  return ReadAddress(http::JsonReader(body));
}

void RegisterCartRoutes(http::RouteGroup shop, const ApiServices& services) {
  orders::OrderService& orders = services.orders;
  shop.Post("/carts", Handle([&orders](Request& request) -> Result<Response> {
              PLAZA_ASSIGN_OR_RETURN(const boost::json::object body, http::ParseJsonObject(request));
              const http::JsonReader reader(body);
              PLAZA_TRY(reader.AllowOnly({"country", "currency"}));
              PLAZA_ASSIGN_OR_RETURN(std::string country, reader.RequiredString("country", {.max_length = 2}));
              PLAZA_ASSIGN_OR_RETURN(auto currency, reader.OptionalString("currency", {.max_length = 3}));
              return CartResponse(orders.CreateCart(ShopOf(request),
                                                    {.country = std::move(country), .currency = currency.value_or("")}),
                                  201);
            }));
  shop.Get("/carts/{token}", Handle([&orders](Request& request) -> Result<Response> {
             return CartResponse(orders.GetCart(ShopOf(request), Token(request)));
           }));
  shop.Post("/carts/{token}/lines", Handle([&orders](Request& request) -> Result<Response> {
              PLAZA_ASSIGN_OR_RETURN(const boost::json::object body, http::ParseJsonObject(request));
              const http::JsonReader reader(body);
              PLAZA_TRY(reader.AllowOnly({"variant_id", "quantity"}));
              PLAZA_ASSIGN_OR_RETURN(std::int64_t variant_id, reader.RequiredInt64("variant_id", -kAnyInt, kAnyInt));
              PLAZA_ASSIGN_OR_RETURN(std::int64_t quantity, reader.RequiredInt64("quantity", -kAnyInt, kAnyInt));
              return CartResponse(orders.AddLine(ShopOf(request), Token(request), {variant_id, quantity}));
            }));
  shop.Put("/carts/{token}/lines/{variant_id}", Handle([&orders](Request& request) -> Result<Response> {
             PLAZA_ASSIGN_OR_RETURN(std::int64_t variant_id, IdFromPath(request, "variant_id"));
             PLAZA_ASSIGN_OR_RETURN(const boost::json::object body, http::ParseJsonObject(request));
             const http::JsonReader reader(body);
             PLAZA_TRY(reader.AllowOnly({"quantity"}));
             PLAZA_ASSIGN_OR_RETURN(std::int64_t quantity, reader.RequiredInt64("quantity", -kAnyInt, kAnyInt));
             return CartResponse(orders.UpdateLine(ShopOf(request), Token(request), {variant_id, quantity}));
           }));
  shop.Delete("/carts/{token}/lines/{variant_id}", Handle([&orders](Request& request) -> Result<Response> {
                PLAZA_ASSIGN_OR_RETURN(std::int64_t variant_id, IdFromPath(request, "variant_id"));
                return CartResponse(orders.RemoveLine(ShopOf(request), Token(request), variant_id));
              }));
  shop.Put("/carts/{token}/codes", Handle([&orders](Request& request) -> Result<Response> {
             PLAZA_ASSIGN_OR_RETURN(const boost::json::object body, http::ParseJsonObject(request));
             const http::JsonReader reader(body);
             PLAZA_TRY(reader.AllowOnly({"codes"}));
             PLAZA_ASSIGN_OR_RETURN(auto codes, ReadStringArray(reader, "codes", 20));
             return CartResponse(orders.SetCodes(ShopOf(request), Token(request), codes));
           }));
  shop.Post("/carts/{token}/checkout", Handle([&orders](Request& request) -> Result<Response> {
              return CartResponse(orders.StartCheckout(ShopOf(request), Token(request)));
            }));
  shop.Delete("/carts/{token}/checkout", Handle([&orders](Request& request) -> Result<Response> {
                return CartResponse(orders.LeaveCheckout(ShopOf(request), Token(request)));
              }));
  shop.Put("/carts/{token}/contact", Handle([&orders](Request& request) -> Result<Response> {
             PLAZA_ASSIGN_OR_RETURN(const boost::json::object body, http::ParseJsonObject(request));
             const http::JsonReader reader(body);
             PLAZA_TRY(reader.AllowOnly({"email"}));
             PLAZA_ASSIGN_OR_RETURN(std::string email, reader.RequiredString("email", {.max_length = 254}));
             return CartResponse(orders.SetContact(ShopOf(request), Token(request), email));
           }));
  shop.Put("/carts/{token}/shipping-address", Handle([&orders](Request& request) -> Result<Response> {
             PLAZA_ASSIGN_OR_RETURN(const orders::Address address, ReadAddressBody(request));
             return CartResponse(orders.SetShippingAddress(ShopOf(request), Token(request), address));
           }));
  shop.Put("/carts/{token}/shipping-method", Handle([&orders](Request& request) -> Result<Response> {
             PLAZA_ASSIGN_OR_RETURN(const boost::json::object body, http::ParseJsonObject(request));
             const http::JsonReader reader(body);
             PLAZA_TRY(reader.AllowOnly({"rate_id"}));
             PLAZA_ASSIGN_OR_RETURN(std::int64_t rate_id, reader.RequiredInt64("rate_id", 1, kAnyInt));
             return CartResponse(orders.SelectShipping(ShopOf(request), Token(request), rate_id));
           }));
  shop.Post(
      "/carts/{token}/order", Handle([&orders](Request& request) -> Result<Response> {
        const auto key = request.Header("Idempotency-Key");
        if (!key)
          return Error{ErrorCode::kPreconditionFailed, "idempotency/key-required",
                       "placing an order needs an Idempotency-Key header", "Idempotency-Key"};
        PLAZA_ASSIGN_OR_RETURN(const boost::json::object body, http::ParseJsonObject(request));
        const http::JsonReader reader(body);
        PLAZA_TRY(reader.AllowOnly({"payment", "attribution"}));
        orders::PlaceOrderInput input{.idempotency_key = std::string(*key), .fingerprint = std::string(request.body)};
        PLAZA_ASSIGN_OR_RETURN(auto payment, reader.OptionalObject("payment"));
        if (payment) {
          PLAZA_TRY(payment->AllowOnly({"method", "card_number", "exp_month", "exp_year", "cvc"}));
          PLAZA_ASSIGN_OR_RETURN(auto method, payment->OptionalString("method", {.max_length = 40}));
          if (method) input.payment.method = std::move(*method);
          PLAZA_ASSIGN_OR_RETURN(input.payment.card_number, payment->OptionalString("card_number", {.max_length = 30}));
          PLAZA_ASSIGN_OR_RETURN(auto month, payment->OptionalInt64("exp_month", 1, 12));
          PLAZA_ASSIGN_OR_RETURN(auto year, payment->OptionalInt64("exp_year", 2000, 2200));
          PLAZA_ASSIGN_OR_RETURN(auto cvc, payment->OptionalString("cvc", {.max_length = 4}));
          input.payment.exp_month = static_cast<int>(month.value_or(0));
          input.payment.exp_year = static_cast<int>(year.value_or(0));
          input.payment.cvc = cvc.value_or("");
        }
        PLAZA_ASSIGN_OR_RETURN(auto attribution, reader.OptionalObject("attribution"));
        if (attribution) {
          orders::Attribution& a = input.attribution;
          const std::pair<std::string_view, std::string*> fields[] = {{"utm_source", &a.utm_source},
                                                                      {"utm_medium", &a.utm_medium},
                                                                      {"utm_campaign", &a.utm_campaign},
                                                                      {"utm_content", &a.utm_content},
                                                                      {"utm_term", &a.utm_term},
                                                                      {"fbclid", &a.fbclid},
                                                                      {"gclid", &a.gclid},
                                                                      {"ttclid", &a.ttclid}};
          PLAZA_TRY(attribution->AllowOnly(
              {"utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term", "fbclid", "gclid", "ttclid"}));
          for (const auto& [name, target] : fields) {
            PLAZA_ASSIGN_OR_RETURN(auto value,
                                   attribution->OptionalString(name, {.max_length = orders::kMaxAttributionLength}));
            if (value) *target = std::move(*value);
          }
        }
        PLAZA_ASSIGN_OR_RETURN(const orders::Order order, orders.PlaceOrder(ShopOf(request), Token(request), input));
        return Response::Json(EncodeOrder(order), 201);
      }));
}

}  // namespace plaza::api
