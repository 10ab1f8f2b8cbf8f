#include "routes.h"

namespace plaza::web::admin {

void RegisterSettingsPages(http::Router& /*router*/, const PageServices& /*services*/) {}

}  // namespace plaza::web::admin
