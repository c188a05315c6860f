# Fuzz targets (tests/fuzz/README.md). Included from tests/CMakeLists.txt.
#
# Normal build (any compiler): each target fuzz_<name>.c is linked with the
# plain-C driver (driver.c) into fuzz_<name>, and ctest runs it (label `fuzz`)
# over its seed corpus and crash regressions plus a fixed number of seeded
# mutations: deterministic, short, and under the asan preset with ASan+UBSan.
#
# -DSRTUNE_FUZZ=ON (clang only; tools/fuzz configures it with SRTUNE_SANITIZE):
# the whole project is also compiled with -fsanitize=fuzzer-no-link (coverage
# for libFuzzer) and each target is linked with libFuzzer into
# libfuzzer_<name> for long coverage-guided runs.
option(SRTUNE_FUZZ "Build libFuzzer fuzz targets (clang)" OFF)

set(SRTUNE_FUZZ_DIR ${CMAKE_CURRENT_LIST_DIR})
# target name, library it tests, mutations in the suite (2-5 s each in
# release with /dev/shm; override with -DSRTUNE_FUZZ_ITERATIONS_<name>=N)
set(SRTUNE_FUZZ_TARGETS
  "config:srtune_config:80000"
  "journal:srtune_study:12000"
  "catalogue:srtune_data:80000"
  "csv:srtune_data:80000"
  "table:srtune_data:20000"
  "formula:srtune_data:1000000"
  "checkpoint:srtune_sr:40000"
  "pareto:srtune_sr:50000")

# The targets write each input to a temporary file (and the journal target
# fsyncs): in memory where the machine has /dev/shm.
set(SRTUNE_FUZZ_ENV ${SRTUNE_TEST_ENV})
if(IS_DIRECTORY /dev/shm)
  list(APPEND SRTUNE_FUZZ_ENV "TMPDIR=/dev/shm")
endif()

if(SRTUNE_FUZZ)
  if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "SRTUNE_FUZZ=ON needs clang (-DCMAKE_C_COMPILER=clang)")
  endif()
  target_compile_options(srtune_flags INTERFACE -fsanitize=fuzzer-no-link)
endif()

foreach(spec ${SRTUNE_FUZZ_TARGETS})
  string(REPLACE ":" ";" spec "${spec}")
  list(GET spec 0 name)
  list(GET spec 1 lib)
  list(GET spec 2 iterations)
  if(NOT DEFINED SRTUNE_FUZZ_ITERATIONS_${name})
    set(SRTUNE_FUZZ_ITERATIONS_${name} ${iterations})
  endif()

  add_executable(fuzz_${name} ${SRTUNE_FUZZ_DIR}/fuzz_${name}.c
    ${SRTUNE_FUZZ_DIR}/fuzz_common.c ${SRTUNE_FUZZ_DIR}/driver.c)
  target_include_directories(fuzz_${name} PRIVATE ${PROJECT_SOURCE_DIR}/src ${SRTUNE_FUZZ_DIR})
  target_link_libraries(fuzz_${name} PRIVATE ${lib} srtune_core srtune_flags)

  add_test(NAME fuzz.${name}
    COMMAND fuzz_${name} -n ${SRTUNE_FUZZ_ITERATIONS_${name}} -seed 1
      ${SRTUNE_FUZZ_DIR}/corpus/${name} ${SRTUNE_FUZZ_DIR}/regressions/${name}
    WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
  set_tests_properties(fuzz.${name} PROPERTIES TIMEOUT 600 LABELS fuzz
    ENVIRONMENT "${SRTUNE_FUZZ_ENV}")

  if(SRTUNE_FUZZ)
    add_executable(libfuzzer_${name} ${SRTUNE_FUZZ_DIR}/fuzz_${name}.c
      ${SRTUNE_FUZZ_DIR}/fuzz_common.c)
    target_include_directories(libfuzzer_${name} PRIVATE ${PROJECT_SOURCE_DIR}/src
      ${SRTUNE_FUZZ_DIR})
    target_link_libraries(libfuzzer_${name} PRIVATE ${lib} srtune_core srtune_flags)
    target_compile_options(libfuzzer_${name} PRIVATE -fsanitize=fuzzer)
    target_link_options(libfuzzer_${name} PRIVATE -fsanitize=fuzzer)
  endif()
endforeach()

# The valgrind end-to-end test (tests/e2e/valgrind_mpi.sh, registered with the
# other e2e scripts) skips with 77 for sanitizer builds or without valgrind.
if(TEST e2e.valgrind_mpi)
  set_tests_properties(e2e.valgrind_mpi PROPERTIES SKIP_RETURN_CODE 77 LABELS "e2e;valgrind")
endif()

# Sanitizer builds (the asan preset): every srtune process of the cli and e2e
# tests initialises Open MPI, which leaves memory unfreed at exit. Those leaks
# are suppressed by tests/lsan.supp (documented there), which needs full
# stacks (slow unwinding: Debian's libraries have no frame pointers) and the
# MCA plugins kept mapped so their frames have names. Unit and fuzz tests keep
# the fast settings of the preset: they never start MPI.
if(SRTUNE_SANITIZE)
  get_property(srtune_all_tests DIRECTORY PROPERTY TESTS)
  foreach(t ${srtune_all_tests})
    if(t MATCHES "^(cli|e2e)\\.")
      set_property(TEST ${t} APPEND PROPERTY ENVIRONMENT
        "ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:fast_unwind_on_malloc=0"
        "LSAN_OPTIONS=suppressions=${PROJECT_SOURCE_DIR}/tests/lsan.supp:print_suppressions=0"
        "OMPI_MCA_mca_base_component_disable_dlclose=1"
        "PMIX_MCA_mca_base_component_disable_dlclose=1")
    endif()
  endforeach()
endif()
