# harness/: smrbench's commands (run, plot, compare, micro, list) from the
# outside, their helpers (pinning, Zipf, the U test) from the inside, and
# the docs against --help (docs/testing.md).

add_executable(zipf_distribution ${CMAKE_CURRENT_LIST_DIR}/zipf_distribution.c)
target_link_libraries(zipf_distribution PRIVATE m)
add_test(NAME zipf_distribution COMMAND zipf_distribution)

# SMR_CORE_ONLY (the aarch64 cross build): no smrbench binary, so none of
# what follows.
if(SMR_CORE_ONLY)
  return()
endif()

add_executable(pin_policies ${CMAKE_CURRENT_LIST_DIR}/pin_policies.c ${CMAKE_SOURCE_DIR}/harness/run/pin.c)
target_include_directories(pin_policies PRIVATE ${CMAKE_SOURCE_DIR}/harness/run)
target_link_libraries(pin_policies PRIVATE PkgConfig::HWLOC)
add_test(NAME pin_policies COMMAND pin_policies)

add_test(NAME cli_bad_input_and_results COMMAND ${CMAKE_CURRENT_LIST_DIR}/cli_test.sh $<TARGET_FILE:smrbench>)

# Results a user can trust after anything (the "results" tests): each cell
# in its own process (a crash, an exit, a hang become failed rows; RSS is the
# cell's own); signals and kill -9 keep every finished cell; the folder is
# never reused or overwritten unasked, and a full disk keeps a consistent
# set (on a tmpfs where a private mount namespace is allowed, else skipped);
# compare reads fresh run folders and older ones.
add_test(NAME run_cells_isolated
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/run_cells_test.sh $<TARGET_FILE:smrbench>
                 $<TARGET_FILE:smrbench-faults>)
add_test(NAME run_signals_keep_finished_cells
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/run_signals_test.sh $<TARGET_FILE:smrbench>)
add_test(NAME run_shards_and_plan
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/run_shard_test.sh $<TARGET_FILE:smrbench>)
# The sweep launchers (docs/cluster.md) for real: a one-node Slurm cluster
# started by the test, GNU parallel on this machine. Release only (the
# launchers do not change with the build), alone on the CPUs (the cluster's
# daemons and the shards); skipped (77) only without the packages when not
# root; as root (CI) they are installed and the tests run.
if(CMAKE_BUILD_TYPE STREQUAL "Release" AND SMR_SANITIZE STREQUAL "")
  add_test(NAME sweep_slurm_array
           COMMAND ${CMAKE_CURRENT_LIST_DIR}/slurm_test.sh $<TARGET_FILE:smrbench>)
  add_test(NAME sweep_parallel_local
           COMMAND ${CMAKE_CURRENT_LIST_DIR}/parallel_sweep_test.sh $<TARGET_FILE:smrbench>)
  set_tests_properties(sweep_slurm_array sweep_parallel_local
                       PROPERTIES RUN_SERIAL TRUE SKIP_RETURN_CODE 77 TIMEOUT 300)
endif()
# smrbench merge: shards and machines into one set, its refusals, the manifest.
add_test(NAME merge_shards_and_machines
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/merge_test.sh $<TARGET_FILE:smrbench>)
add_test(NAME run_results_folder
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/run_folder_test.sh $<TARGET_FILE:smrbench>)
add_test(NAME run_results_disk_full_tmpfs
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/run_folder_test.sh $<TARGET_FILE:smrbench> tmpfs)
set_tests_properties(run_results_disk_full_tmpfs PROPERTIES SKIP_RETURN_CODE 77)
add_test(NAME compare_fresh_run_folders
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/compare_runs_test.sh $<TARGET_FILE:smrbench>)

# The docs do not drift: every flag of smrbench run/plot/list/micro --help
# is in docs/' flag table for that command and back; every relative link
# of README.md and docs/ resolves, anchors included.
add_test(NAME docs_flags_match_help
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/docs_test.sh flags $<TARGET_FILE:smrbench> ${CMAKE_SOURCE_DIR})
add_test(NAME docs_links_resolve
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/docs_test.sh links ${CMAKE_SOURCE_DIR})

# smrbench plot: bad input needs no gnuplot; the figures test skips (77)
# only when gnuplot was not found at configure time (CI installs it).
find_program(SMR_GNUPLOT gnuplot)
if(NOT SMR_GNUPLOT)
  set(SMR_GNUPLOT "")
endif()
add_test(NAME plot_bad_input COMMAND ${CMAKE_CURRENT_LIST_DIR}/plot_test.sh bad-input
         $<TARGET_FILE:smrbench> ${CMAKE_CURRENT_SOURCE_DIR}/fixtures/plot-run)
add_test(NAME plot_figures COMMAND ${CMAKE_CURRENT_LIST_DIR}/plot_test.sh figures
         $<TARGET_FILE:smrbench> ${CMAKE_CURRENT_SOURCE_DIR}/fixtures/plot-run
         ${CMAKE_SOURCE_DIR}/plot "${SMR_GNUPLOT}")
set_tests_properties(plot_figures PROPERTIES SKIP_RETURN_CODE 77)

# smrbench compare: its U test, its verdicts on known inputs
# (fixtures/compare/) and bad input; smrbench micro: a filtered run through
# the Google Benchmark shim writes JSON, bad input gets one line.
add_executable(compare_mwu ${CMAKE_CURRENT_LIST_DIR}/compare_mwu.c ${CMAKE_SOURCE_DIR}/harness/compare/mwu.c)
target_include_directories(compare_mwu PRIVATE ${CMAKE_SOURCE_DIR}/harness/compare)
target_link_libraries(compare_mwu PRIVATE m)
add_test(NAME compare_mwu COMMAND compare_mwu)
add_test(NAME compare_verdicts_and_bad_input
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/compare_test.sh $<TARGET_FILE:smrbench>)
add_test(NAME micro_shim_json_and_bad_input
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/micro_test.sh $<TARGET_FILE:smrbench>)
