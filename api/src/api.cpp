#include "plaza/api/api.h"

#include "idempotency.h"
#include "routes.h"

namespace plaza::api {

void RegisterApiRoutes(http::Router& router, const ApiServices& services) {
  router.Get("/api/openapi.json", [](http::Request&) { return http::Response::Json(OpenApiDocument()); });

  http::RouteGroup v1 = router.Group("/api/v1");
  http::RouteGroup shop = router.Group("/api/v1/shops/{shop}");
  shop.Use(ScopeToShop(services));
  shop.Use(IdempotentRequests(services));
  RegisterSessionRoutes(shop, v1, services);
  RegisterShippingStorefrontRoutes(shop, services);
  RegisterPaymentWebhookRoutes(shop, services);
  RegisterPricingStorefrontRoutes(shop, services);
  RegisterCartRoutes(shop, services);
  RegisterCatalogStorefrontRoutes(shop, services);
  RegisterSocialStorefrontRoutes(shop, services);
  RegisterGroupStorefrontRoutes(shop, services);
  RegisterIdeaStorefrontRoutes(shop, services);
  RegisterMediaStorefrontRoutes(shop, services);
  RegisterPostStorefrontRoutes(shop, services);
  RegisterFeedStorefrontRoutes(shop, services);
  RegisterReviewStorefrontRoutes(shop, services);
  RegisterQuestionStorefrontRoutes(shop, services);

  http::RouteGroup customer = shop;
  customer.Use(Authenticate(services, SessionKind::kCustomer, /*allow_api_tokens=*/false));
  RegisterCustomerOrderRoutes(customer, services);
  RegisterCustomerModerationRoutes(customer, services);
  RegisterCustomerSocialRoutes(customer, services);
  RegisterCustomerGroupRoutes(customer, services);
  RegisterCustomerIdeaRoutes(customer, services);
  RegisterCustomerMediaRoutes(customer, services);
  RegisterCustomerPostRoutes(customer, services);
  RegisterCustomerFeedRoutes(customer, services);
  RegisterCustomerReviewRoutes(customer, services);
  RegisterCustomerQuestionRoutes(customer, services);

  http::RouteGroup admin = shop;
  admin.Use(Authenticate(services, SessionKind::kStaff, /*allow_api_tokens=*/true));
  RegisterAccountRoutes(admin, services);
  RegisterModerationRoutes(admin, services);
  RegisterChannelRoutes(admin, services);
  RegisterInventoryRoutes(admin, services);
  RegisterShippingRoutes(admin, services);
  RegisterPaymentRoutes(admin, services);
  RegisterPricingRoutes(admin, services);
  RegisterPromotionRoutes(admin, services);
  RegisterOrderRoutes(admin, services);
  RegisterCatalogRoutes(admin, services);
  RegisterSocialRoutes(admin, services);
  RegisterGroupRoutes(admin, services);
  RegisterIdeaRoutes(admin, services);
  RegisterMediaRoutes(admin, services);
  RegisterReviewRoutes(admin, services);
  RegisterQuestionRoutes(admin, services);
}

}  // namespace plaza::api
