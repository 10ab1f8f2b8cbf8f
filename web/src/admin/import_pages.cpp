#include "routes.h"

namespace plaza::web::admin {

void RegisterImportPages(http::Router& /*router*/, const PageServices& /*services*/) {}

}  // namespace plaza::web::admin
