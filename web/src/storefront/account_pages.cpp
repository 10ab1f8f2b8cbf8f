#include "routes.h"

namespace plaza::web::storefront {

void RegisterAccountPages(http::Router& /*router*/, const PageServices& /*services*/) {}

}  // namespace plaza::web::storefront
