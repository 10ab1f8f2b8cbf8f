#include "routes.h"

namespace plaza::web::admin {

void RegisterTeamPages(http::Router& /*router*/, const PageServices& /*services*/) {}

}  // namespace plaza::web::admin
