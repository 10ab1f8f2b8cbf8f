#include "routes.h"

namespace plaza::web::admin {

void RegisterProductPages(http::Router& /*router*/, const PageServices& /*services*/) {}

}  // namespace plaza::web::admin
