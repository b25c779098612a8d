# SPDX-License-Identifier: Apache-2.0
#
# Defaults every Slipway target gets: warnings, -Werror in CI, sanitizers in the asan preset.

function(slipway_target_defaults target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
    -Wunused -Woverloaded-virtual -Wconversion -Wsign-conversion
    -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough)
  if(SLIPWAY_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(SLIPWAY_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
endfunction()

# slipway_library(<name> SOURCES ... [PUBLIC_DEPS ...] [PRIVATE_DEPS ...])
# One folder, one static library, aliased as slipway::<name>. The folder's parent is the
# include root, so headers are included as "engine/core/result.h" style paths.
function(slipway_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(slipway_${name} STATIC ${ARG_SOURCES})
  add_library(slipway::${name} ALIAS slipway_${name})
  target_include_directories(slipway_${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(slipway_${name} PUBLIC ${ARG_PUBLIC_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
  set_target_properties(slipway_${name} PROPERTIES POSITION_INDEPENDENT_CODE ON)
  slipway_target_defaults(slipway_${name})
endfunction()

# slipway_add_test(<name> SOURCES ... LABEL <unit|integration|gui|vm|bench> [LIBS ...]
#                  [TIMEOUT seconds] [ENVIRONMENT VAR=value ...])
# One QtTest binary, registered with CTest under <name> and the given label.
function(slipway_add_test name)
  cmake_parse_arguments(ARG "" "LABEL;TIMEOUT" "SOURCES;LIBS;ENVIRONMENT" ${ARGN})
  if(NOT ARG_LABEL MATCHES "^(unit|integration|gui|vm|bench)$")
    message(FATAL_ERROR "slipway_add_test(${name}): LABEL must be unit, integration, gui, vm or bench")
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE Qt6::Test ${ARG_LIBS})
  # Test data by absolute path: QFINDTESTDATA relies on __FILE__, which ccache's base_dir
  # (set by scripts/test for cache hits across clones) makes relative.
  target_compile_definitions(${name} PRIVATE
    SLIPWAY_TEST_DATA_DIR="${PROJECT_SOURCE_DIR}/tests/data")
  set_target_properties(${name} PROPERTIES
    AUTOMOC ON
    RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
  slipway_target_defaults(${name})
  add_test(NAME ${name} COMMAND ${name})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 120)
  endif()
  set_tests_properties(${name} PROPERTIES
    LABELS ${ARG_LABEL}
    TIMEOUT ${ARG_TIMEOUT}
    ENVIRONMENT "SLIPWAY_BIN_DIR=${CMAKE_BINARY_DIR}/bin;${ARG_ENVIRONMENT}")
endfunction()
