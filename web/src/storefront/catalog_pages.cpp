#include "routes.h"

namespace plaza::web::storefront {

void RegisterCatalogPages(http::Router& /*router*/, const PageServices& /*services*/) {}

}  // namespace plaza::web::storefront
