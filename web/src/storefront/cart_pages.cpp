#include "routes.h"

namespace plaza::web::storefront {

void RegisterCartPages(http::Router& /*router*/, const PageServices& /*services*/) {}

}  // namespace plaza::web::storefront
