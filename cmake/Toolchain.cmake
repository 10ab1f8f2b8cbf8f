# Compiler caching, linker and warning settings shared by every Plaza target.

find_program(PLAZA_CCACHE ccache)
if(PLAZA_CCACHE)
  set(CMAKE_CXX_COMPILER_LAUNCHER "${PLAZA_CCACHE}")
endif()

find_program(PLAZA_MOLD mold)
if(PLAZA_MOLD)
  add_link_options("-fuse-ld=mold")
endif()

set(PLAZA_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
    -Wcast-align -Woverloaded-virtual -Wconversion -Wsign-conversion -Wnull-dereference
    -Wimplicit-fallthrough)
if(PLAZA_WERROR)
  list(APPEND PLAZA_WARNINGS -Werror)
endif()
# GCC 12 at -O2/-O3 reports -Wrestrict overlaps inside libstdc++ for plain
# `"text" + std::string(...)` (GCC bug 105651, fixed in 13), so optimised builds of
# ordinary string code failed; the warning finds nothing real in this codebase.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  list(APPEND PLAZA_WARNINGS -Wno-restrict)
endif()
# GCC 12 at -O3 also reports -Wmaybe-uninitialized inside std::variant's copy of its
# std::string alternative (every store::Param list that is copied or grown), in code
# that initialises every value. The dev build (-O1), which CI runs, keeps the warning.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13
   AND CMAKE_BUILD_TYPE STREQUAL "Release")
  list(APPEND PLAZA_WARNINGS -Wno-maybe-uninitialized)
endif()

if(PLAZA_SANITIZE)
  # GCC 12's -Wmaybe-uninitialized misfires on instrumented code (e.g. inside
  # std::regex and std::function); the dev build keeps the warning, so nothing is lost.
  list(APPEND PLAZA_WARNINGS -Wno-maybe-uninitialized)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

# Boost.Asio and Beast are compiled once, in http/src/asio_impl.cpp.
add_compile_definitions(BOOST_ASIO_SEPARATE_COMPILATION BOOST_BEAST_SEPARATE_COMPILATION
                        BOOST_ASIO_NO_DEPRECATED BOOST_BEAST_USE_STD_STRING_VIEW)
