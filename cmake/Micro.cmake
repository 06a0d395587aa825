# smrbench micro and smrbench compare (included by CMakeLists.txt after the
# smrbench target):
#   Google Benchmark 1.7 (Debian libbenchmark-dev), reached from C through
#   harness/micro/gbench_shim.cc, the build's only C++ (C++17);
#   libjansson (Debian libjansson-dev, pkg-config jansson) to read results.
# Every scheme's primitives are compiled once per scheme, like a structure
# (harness/micro/micro_prims.c through smr_per_scheme), into
# smrmicro_prims_<variant>. Variant `planted` compiles ebr's with
# MICRO_PLANT, the regression gate's planted slowdown
# (harness/micro/micro_plant.h), for the test binary smrbench-planted only.

enable_language(CXX)
set(CMAKE_CXX_STANDARD 17)
set(CMAKE_CXX_STANDARD_REQUIRED ON)
set(CMAKE_CXX_EXTENSIONS OFF)

find_package(benchmark REQUIRED)
pkg_check_modules(JANSSON REQUIRED IMPORTED_TARGET jansson)

# Every scheme's primitives, each compiled for its scheme, and their table
# (harness/micro/micro_registry.c over the generated smr_schemes.def).
# PLANT SCHEME: that scheme's primitives get MICRO_PLANT.
function(smr_add_micro_prims variant)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "PLANT" "")
  add_library(smrmicro_prims_${variant} STATIC ${CMAKE_SOURCE_DIR}/harness/micro/micro_registry.c)
  target_include_directories(smrmicro_prims_${variant} PRIVATE ${CMAKE_BINARY_DIR}) # smr_schemes.def
  target_link_libraries(smrmicro_prims_${variant} PUBLIC smrcore_bench smrutil)
  foreach(s IN LISTS SMR_SCHEMES)
    set(defs "")
    if(s STREQUAL "${arg_PLANT}")
      set(defs MICRO_PLANT=1)
    endif()
    smr_per_scheme(smrmicro_${variant}_${s} OBJECT ${s}
                   SOURCES ${CMAKE_SOURCE_DIR}/harness/micro/micro_prims.c
                   INCLUDES ${CMAKE_SOURCE_DIR}/harness DEFINITIONS ${defs})
    target_sources(smrmicro_prims_${variant} PRIVATE $<TARGET_OBJECTS:smrmicro_${variant}_${s}>)
  endforeach()
endfunction()
smr_add_micro_prims(bench)
smr_add_micro_prims(planted PLANT ebr)

# The scheme-independent part. Link it before a smrmicro_prims_<variant>.
add_library(smrmicro STATIC
  harness/micro/gbench_shim.cc
  harness/micro/micro.c
  harness/micro/micro_cli.c
  harness/micro/micro_ops.c
  harness/compare/compare.c
  harness/compare/compare_load.c
  harness/compare/compare_report.c
  harness/compare/compare_set.c
  harness/compare/mwu.c
)
target_link_libraries(smrmicro PUBLIC smrcore_bench smrresults benchmark::benchmark
                      PkgConfig::JANSSON Threads::Threads m)

target_link_libraries(smrbench PRIVATE smrmicro smrmicro_prims_bench)

# Tests of the regression gate: `smrbench micro` with ebr's planted slowdown.
add_executable(smrbench-planted harness/micro/micro_planted.c harness/buildinfo.c harness/run/alloc.c)
target_link_libraries(smrbench-planted PRIVATE smrmicro smrmicro_prims_planted ${CMAKE_DL_LIBS})

# The deterministic half of the gate: instruction counts of the
# single-threaded primitives under callgrind (tests/gate/insn_count.c, run by
# scripts/insn.sh), the same batches smrbench micro times.
add_executable(insn_count tests/gate/insn_count.c)
target_include_directories(insn_count PRIVATE ${CMAKE_SOURCE_DIR}/harness/micro)
target_compile_definitions(insn_count PRIVATE "INSN_BUILD_TYPE=\"${CMAKE_BUILD_TYPE}\"")
target_link_libraries(insn_count PRIVATE smrmicro_prims_bench)
