#include "routes.h"

namespace plaza::web::storefront {

void RegisterSeoFiles(http::Router& /*router*/, const PageServices& /*services*/) {}

}  // namespace plaza::web::storefront
