// Payments: the test provider's webhook (authenticated by its signature, not by a
// session), which settles the payment and the order it pays for, and a payment's
// record for staff.

#include "plaza/payments/payment_service.h"
#include "routes.h"

namespace plaza::api {
namespace {

using http::Request;
using http::Response;

boost::json::object Encode(const payments::Payment& payment) {
  boost::json::array transactions;
  for (const auto& transaction : payment.transactions) {
    transactions.emplace_back(boost::json::object{{"id", transaction.id},
                                                  {"kind", payments::TransactionKindName(transaction.kind)},
                                                  {"status", transaction.status},
                                                  {"amount_minor", transaction.amount_minor},
                                                  {"currency", transaction.currency},
                                                  {"created_at", FormatRfc3339(transaction.created_at)}});
  }
  return {{"id", payment.id},
          {"order_reference", payment.order_reference},
          {"provider", payment.provider},
          {"method", payment.method},
          {"provider_reference", payment.provider_reference},
          {"status", payments::PaymentStatusName(payment.status)},
          {"currency", payment.currency},
          {"amount_minor", payment.amount_minor},
          {"captured_minor", payment.captured_minor},
          {"refunded_minor", payment.refunded_minor},
          {"decline_reason", payment.decline_reason},
          {"card", {{"brand", payment.card_brand}, {"last4", payment.card_last4}}},
          {"transactions", transactions},
          {"created_at", FormatRfc3339(payment.created_at)},
          {"updated_at", FormatRfc3339(payment.updated_at)}};
}

}  // namespace

void RegisterPaymentWebhookRoutes(http::RouteGroup shop, const ApiServices& services) {
  shop.Post(
      "/payments/test-provider/webhook", Handle([&services](Request& request) -> Result<Response> {
        const std::string_view signature =
            request.Header(payments::kTestProviderSignatureHeader).value_or(std::string_view());
        const std::int64_t shop_id = ShopOf(request);
        PLAZA_ASSIGN_OR_RETURN(const payments::TestProviderEvent event,
                               services.payments.VerifyTestProviderWebhook(shop_id, signature, request.body));
        // The payment's outcome and its order's follow-up are recorded in one transaction.
        PLAZA_ASSIGN_OR_RETURN(auto payment, services.orders.SettlePayment(shop_id, [&](store::Transaction& tx) {
          return services.payments.SettleTestProviderEvent(tx, shop_id, event);
        }));
        return Response::Json({{"received", true}, {"payment_status", payments::PaymentStatusName(payment.status)}});
      }));
}

void RegisterPaymentRoutes(http::RouteGroup admin, const ApiServices& services) {
  admin.Get("/payments/{id}", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_TRY(identity::Authorize(Caller(request), ShopOf(request), identity::Permission::kOrdersRead));
              PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
              PLAZA_ASSIGN_OR_RETURN(auto payment, services.payments.Get(ShopOf(request), id));
              return Response::Json(Encode(payment));
            }));
}

}  // namespace plaza::api
