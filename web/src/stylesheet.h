#pragma once
// The pages' one stylesheet, served at /assets/plaza.css (a file of its own, so the
// Content-Security-Policy needs no inline styles).

#include <string_view>

namespace plaza::web {

std::string_view Stylesheet();

}  // namespace plaza::web
