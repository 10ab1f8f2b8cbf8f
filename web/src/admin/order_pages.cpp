#include "routes.h"

namespace plaza::web::admin {

void RegisterOrderPages(http::Router& /*router*/, const PageServices& /*services*/) {}

}  // namespace plaza::web::admin
