# plaza_library(NAME <target> [DEPS <targets...>])
#   A layer or module library: headers under include/ are PUBLIC, everything in src/ is
#   PRIVATE, so a dependent cannot reach another library's internals. Sources are every
#   src/*.cpp that is not a test.
function(plaza_library name)
  cmake_parse_arguments(ARG "" "" "DEPS;PRIVATE_DEPS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/src/*.cpp)
  list(FILTER sources EXCLUDE REGEX "_(test|pgtest)\\.cpp$")
  add_library(${name} STATIC ${sources})
  target_include_directories(${name} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include
                                     PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src)
  target_compile_options(${name} PRIVATE ${PLAZA_WARNINGS})
  target_link_libraries(${name} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
endfunction()

# plaza_tests(NAME <target> [DEPS <targets...>])
#   One test binary for the *_test.cpp files beside a library's sources. Tests may reach
#   the library's private headers, since they live beside them.
function(plaza_tests name)
  if(NOT PLAZA_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/src/*_test.cpp)
  if(NOT sources)
    return()
  endif()
  add_executable(${name} ${sources})
  target_include_directories(${name} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR}/tests/support)
  target_compile_options(${name} PRIVATE ${PLAZA_WARNINGS})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} plaza_test_support GTest::gtest GTest::gmock GTest::gtest_main)
  # Each test carries its binary's name as a label, so a run can pick a layer (e.g. the
  # storage tests) with `ctest -L`.
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 300 LABELS ${name})
endfunction()
