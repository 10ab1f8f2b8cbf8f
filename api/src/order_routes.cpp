// Orders and returns: the signed-in customer's history, returns and addresses, and the
// staff's order desk (list, fulfil, deliver, cancel, refund, returns).

#include <limits>

#include "order_encode.h"
#include "plaza/orders/order_service.h"
#include "plaza/orders/totals.h"
#include "routes.h"

namespace plaza::api {
namespace {

using http::Request;
using http::Response;
using identity::Permission;

constexpr std::int64_t kAnyInt = std::numeric_limits<std::int64_t>::max();

std::int64_t CustomerOf(const Request& request) {
  return Caller(request).user_id;
}

Result<Response> OrderResponse(Result<orders::Order> order) {
  if (!order.ok()) return std::move(order).error();
  return Response::Json(EncodeOrder(*order));
}

Result<Response> ReturnResponse(Result<orders::Return> item, int status = 200) {
  if (!item.ok()) return std::move(item).error();
  return Response::Json(EncodeReturn(*item), status);
}

Result<Response> OrderList(const Result<std::vector<orders::Order>>& list) {
  if (!list.ok()) return list.error();
  boost::json::array items;
  for (const orders::Order& order : *list) items.emplace_back(EncodeOrder(order));
  return Response::Json({{"orders", std::move(items)}});
}

Result<std::vector<orders::FulfilmentLine>> ReadLines(const http::JsonReader& reader) {
  PLAZA_ASSIGN_OR_RETURN(const boost::json::array* array, reader.RequiredArray("lines", orders::kMaxCartLines));
  std::vector<orders::FulfilmentLine> lines;
  for (std::size_t i = 0; i < array->size(); ++i) {
    const std::string pointer = reader.PointerTo("lines") + "/" + std::to_string(i);
    if (!(*array)[i].is_object()) return Error::Invalid("validation/type", "expected an object", pointer);
    const http::JsonReader line((*array)[i].as_object(), pointer);
    PLAZA_TRY(line.AllowOnly({"order_line_id", "quantity"}));
    PLAZA_ASSIGN_OR_RETURN(std::int64_t id, line.RequiredInt64("order_line_id", 1, kAnyInt));
    PLAZA_ASSIGN_OR_RETURN(std::int64_t quantity, line.RequiredInt64("quantity", -kAnyInt, kAnyInt));
    lines.push_back({id, quantity});
  }
  return lines;
}

Result<std::optional<std::int64_t>> ReadAmount(const Request& request) {
  if (request.body.empty()) return std::optional<std::int64_t>();
  PLAZA_ASSIGN_OR_RETURN(const boost::json::object body, http::ParseJsonObject(request));
  const http::JsonReader reader(body);
  PLAZA_TRY(reader.AllowOnly({"amount"}));
  return reader.OptionalInt64("amount", -kAnyInt, kAnyInt);
}

}  // namespace

void RegisterCustomerOrderRoutes(http::RouteGroup customer, const ApiServices& services) {
  orders::OrderService& orders = services.orders;
  customer.Get("/customer/orders", Handle([&orders](Request& request) -> Result<Response> {
                 return OrderList(orders.ListOrders(ShopOf(request), {.customer_id = CustomerOf(request)}));
               }));
  customer.Get("/customer/orders/{id}", Handle([&orders](Request& request) -> Result<Response> {
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
                 PLAZA_ASSIGN_OR_RETURN(orders::Order order, orders.GetOrder(ShopOf(request), id));
                 if (order.customer_id != CustomerOf(request)) return Error::NotFound("no such order");
                 return Response::Json(EncodeOrder(order));
               }));
  customer.Post("/customer/orders/{id}/returns", Handle([&orders](Request& request) -> Result<Response> {
                  PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
                  PLAZA_ASSIGN_OR_RETURN(const boost::json::object body, http::ParseJsonObject(request));
                  const http::JsonReader reader(body);
                  PLAZA_TRY(reader.AllowOnly({"lines", "reason"}));
                  orders::ReturnRequestInput input;
                  PLAZA_ASSIGN_OR_RETURN(input.lines, ReadLines(reader));
                  PLAZA_ASSIGN_OR_RETURN(input.reason,
                                         reader.RequiredString("reason", {.max_length = 1000, .multiline = true}));
                  return ReturnResponse(orders.RequestReturn(ShopOf(request), CustomerOf(request), id, input), 201);
                }));
  customer.Post("/customer/carts/merge", Handle([&orders](Request& request) -> Result<Response> {
                  PLAZA_ASSIGN_OR_RETURN(const boost::json::object body, http::ParseJsonObject(request));
                  const http::JsonReader reader(body);
                  PLAZA_TRY(reader.AllowOnly({"token"}));
                  PLAZA_ASSIGN_OR_RETURN(std::string token, reader.RequiredString("token", {.max_length = 100}));
                  PLAZA_ASSIGN_OR_RETURN(const orders::Cart cart,
                                         orders.MergeOnLogin(ShopOf(request), token, CustomerOf(request)));
                  return Response::Json(EncodeCart(cart));
                }));
  customer.Get("/customer/addresses", Handle([&orders](Request& request) -> Result<Response> {
                 PLAZA_ASSIGN_OR_RETURN(auto list, orders.ListAddresses(ShopOf(request), CustomerOf(request)));
                 boost::json::array items;
                 for (const orders::SavedAddress& saved : list) items.emplace_back(EncodeSavedAddress(saved));
                 return Response::Json({{"addresses", std::move(items)}});
               }));
  customer.Post("/customer/addresses", Handle([&orders](Request& request) -> Result<Response> {
                  PLAZA_ASSIGN_OR_RETURN(const orders::Address address, ReadAddressBody(request));
                  PLAZA_ASSIGN_OR_RETURN(auto saved, orders.AddAddress(ShopOf(request), CustomerOf(request), address));
                  return Response::Json(EncodeSavedAddress(saved), 201);
                }));
  customer.Put("/customer/addresses/{id}", Handle([&orders](Request& request) -> Result<Response> {
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
                 PLAZA_ASSIGN_OR_RETURN(const orders::Address address, ReadAddressBody(request));
                 PLAZA_ASSIGN_OR_RETURN(auto saved,
                                        orders.UpdateAddress(ShopOf(request), CustomerOf(request), id, address));
                 return Response::Json(EncodeSavedAddress(saved));
               }));
  customer.Delete("/customer/addresses/{id}", Handle([&orders](Request& request) -> Result<Response> {
                    PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
                    PLAZA_TRY(orders.DeleteAddress(ShopOf(request), CustomerOf(request), id));
                    return Response::NoContent();
                  }));
}

void RegisterOrderRoutes(http::RouteGroup admin, const ApiServices& services) {
  orders::OrderService& orders = services.orders;
  admin.Get("/orders", Handle([&orders](Request& request) -> Result<Response> {
              PLAZA_TRY(identity::Authorize(Caller(request), ShopOf(request), Permission::kOrdersRead));
              orders::OrderQuery query;
              if (auto status = request.Query("status")) {
                query.status = orders::ParseOrderStatus(*status);
                if (!query.status) return Error::Invalid("validation/format", "unknown order status", "status");
              }
              if (auto text = request.Query("before_id")) {
                try {
                  query.before_id = std::stoll(std::string(*text));
                } catch (const std::exception&) {
                  return Error::Invalid("validation/format", "not an integer", "before_id");
                }
              }
              if (auto text = request.Query("customer_id")) {
                try {
                  query.customer_id = std::stoll(std::string(*text));
                } catch (const std::exception&) {
                  return Error::Invalid("validation/format", "not an integer", "customer_id");
                }
              }
              if (auto text = request.Query("limit")) {
                try {
                  query.limit = std::stoi(std::string(*text));
                } catch (const std::exception&) {
                  return Error::Invalid("validation/format", "not an integer", "limit");
                }
              }
              return OrderList(orders.ListOrders(ShopOf(request), query));
            }));
  admin.Get("/orders/{id}", Handle([&orders](Request& request) -> Result<Response> {
              PLAZA_TRY(identity::Authorize(Caller(request), ShopOf(request), Permission::kOrdersRead));
              PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
              return OrderResponse(orders.GetOrder(ShopOf(request), id));
            }));
  admin.Post("/orders/{id}/capture", Handle([&orders](Request& request) -> Result<Response> {
               PLAZA_TRY(identity::Authorize(Caller(request), ShopOf(request), Permission::kOrdersManage));
               PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
               return OrderResponse(orders.CapturePayment(ShopOf(request), id));
             }));
  admin.Post("/orders/{id}/mark-paid", Handle([&orders](Request& request) -> Result<Response> {
               PLAZA_TRY(identity::Authorize(Caller(request), ShopOf(request), Permission::kOrdersManage));
               PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
               return OrderResponse(orders.MarkPaid(ShopOf(request), id));
             }));
  admin.Post("/orders/{id}/fulfilments", Handle([&orders](Request& request) -> Result<Response> {
               PLAZA_TRY(identity::Authorize(Caller(request), ShopOf(request), Permission::kOrdersManage));
               PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
               // Another shop's order is not found, whatever the body says.
               PLAZA_ASSIGN_OR_RETURN(const orders::Order existing, orders.GetOrder(ShopOf(request), id));
               (void)existing;
               PLAZA_ASSIGN_OR_RETURN(const boost::json::object body, http::ParseJsonObject(request));
               const http::JsonReader reader(body);
               PLAZA_TRY(reader.AllowOnly({"lines"}));
               PLAZA_ASSIGN_OR_RETURN(auto lines, ReadLines(reader));
               return OrderResponse(orders.Fulfil(ShopOf(request), id, lines));
             }));
  admin.Post("/orders/{id}/delivered", Handle([&orders](Request& request) -> Result<Response> {
               PLAZA_TRY(identity::Authorize(Caller(request), ShopOf(request), Permission::kOrdersManage));
               PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
               return OrderResponse(orders.MarkDelivered(ShopOf(request), id));
             }));
  admin.Post("/orders/{id}/cancel", Handle([&orders](Request& request) -> Result<Response> {
               PLAZA_TRY(identity::Authorize(Caller(request), ShopOf(request), Permission::kOrdersManage));
               PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
               return OrderResponse(orders.Cancel(ShopOf(request), id));
             }));
  admin.Post("/orders/{id}/refunds", Handle([&orders](Request& request) -> Result<Response> {
               PLAZA_TRY(identity::Authorize(Caller(request), ShopOf(request), Permission::kOrdersManage));
               PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
               PLAZA_ASSIGN_OR_RETURN(auto amount, ReadAmount(request));
               return OrderResponse(orders.Refund(ShopOf(request), id, amount));
             }));
  admin.Get("/returns", Handle([&orders](Request& request) -> Result<Response> {
              PLAZA_TRY(identity::Authorize(Caller(request), ShopOf(request), Permission::kOrdersRead));
              std::optional<std::int64_t> order_id;
              if (auto text = request.Query("order_id")) {
                try {
                  order_id = std::stoll(std::string(*text));
                } catch (const std::exception&) {
                  return Error::Invalid("validation/format", "not an integer", "order_id");
                }
              }
              PLAZA_ASSIGN_OR_RETURN(auto list, orders.ListReturns(ShopOf(request), order_id));
              boost::json::array items;
              for (const orders::Return& item : list) items.emplace_back(EncodeReturn(item));
              return Response::Json({{"returns", std::move(items)}});
            }));
  admin.Get("/returns/{id}", Handle([&orders](Request& request) -> Result<Response> {
              PLAZA_TRY(identity::Authorize(Caller(request), ShopOf(request), Permission::kOrdersRead));
              PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
              return ReturnResponse(orders.GetReturn(ShopOf(request), id));
            }));
  admin.Post("/returns/{id}/approve", Handle([&orders](Request& request) -> Result<Response> {
               PLAZA_TRY(identity::Authorize(Caller(request), ShopOf(request), Permission::kOrdersManage));
               PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
               return ReturnResponse(orders.ApproveReturn(ShopOf(request), id));
             }));
  admin.Post("/returns/{id}/reject", Handle([&orders](Request& request) -> Result<Response> {
               PLAZA_TRY(identity::Authorize(Caller(request), ShopOf(request), Permission::kOrdersManage));
               PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
               return ReturnResponse(orders.RejectReturn(ShopOf(request), id));
             }));
  admin.Post("/returns/{id}/receive", Handle([&orders](Request& request) -> Result<Response> {
               PLAZA_TRY(identity::Authorize(Caller(request), ShopOf(request), Permission::kOrdersManage));
               PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
               PLAZA_ASSIGN_OR_RETURN(const orders::Return existing, orders.GetReturn(ShopOf(request), id));
               (void)existing;
               PLAZA_ASSIGN_OR_RETURN(const boost::json::object body, http::ParseJsonObject(request));
               const http::JsonReader reader(body);
               PLAZA_TRY(reader.AllowOnly({"location_id", "write_off_line_ids"}));
               orders::ReceiveReturnInput input;
               PLAZA_ASSIGN_OR_RETURN(input.location_id, reader.OptionalInt64("location_id", 1, kAnyInt));
               PLAZA_ASSIGN_OR_RETURN(auto write_offs,
                                      reader.RequiredArray("write_off_line_ids", orders::kMaxCartLines));
               for (std::size_t i = 0; i < write_offs->size(); ++i) {
                 if (!(*write_offs)[i].is_int64())
                   return Error::Invalid("validation/type", "expected an order line id",
                                         "/write_off_line_ids/" + std::to_string(i));
                 input.lines.push_back(orders::ReceivedLine{.order_line_id = (*write_offs)[i].as_int64(),
                                                            .disposition = orders::Disposition::kWriteOff});
               }
               return ReturnResponse(orders.ReceiveReturn(ShopOf(request), id, input));
             }));
  admin.Post("/returns/{id}/refund", Handle([&orders](Request& request) -> Result<Response> {
               PLAZA_TRY(identity::Authorize(Caller(request), ShopOf(request), Permission::kOrdersManage));
               PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
               PLAZA_ASSIGN_OR_RETURN(auto amount, ReadAmount(request));
               return ReturnResponse(orders.RefundReturn(ShopOf(request), id, amount));
             }));
  admin.Put("/order-settings", Handle([&orders](Request& request) -> Result<Response> {
              PLAZA_TRY(identity::Authorize(Caller(request), ShopOf(request), Permission::kOrdersManage));
              PLAZA_ASSIGN_OR_RETURN(const boost::json::object body, http::ParseJsonObject(request));
              const http::JsonReader reader(body);
              PLAZA_TRY(reader.AllowOnly({"return_window_days"}));
              PLAZA_ASSIGN_OR_RETURN(std::int64_t days, reader.RequiredInt64("return_window_days", 1, 365));
              PLAZA_TRY(orders.SetReturnWindow(ShopOf(request), static_cast<int>(days)));
              return Response::Json({{"return_window_days", days}});
            }));
}

}  // namespace plaza::api
