#include "routes.h"

namespace plaza::web::admin {

void RegisterInventoryPages(http::Router& /*router*/, const PageServices& /*services*/) {}

}  // namespace plaza::web::admin
