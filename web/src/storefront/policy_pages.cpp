#include "routes.h"

namespace plaza::web::storefront {

void RegisterPolicyPages(http::Router& /*router*/, const PageServices& /*services*/) {}

}  // namespace plaza::web::storefront
