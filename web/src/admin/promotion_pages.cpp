#include "routes.h"

namespace plaza::web::admin {

void RegisterPromotionPages(http::Router& /*router*/, const PageServices& /*services*/) {}

}  // namespace plaza::web::admin
