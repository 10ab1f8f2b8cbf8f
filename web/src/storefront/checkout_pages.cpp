#include "routes.h"

namespace plaza::web::storefront {

void RegisterCheckoutPages(http::Router& /*router*/, const PageServices& /*services*/) {}

}  // namespace plaza::web::storefront
