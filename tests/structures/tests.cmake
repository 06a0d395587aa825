# structures/: each structure under every scheme: a single-thread model,
# deterministic interleavings (scenarios), stress at 2, 4 and 8 threads
# (and preempted) with poison and conservation, a free-on-retire negative
# control; then every (structure, scheme) pair at many threads, and the
# structures through smrbench run (docs/testing.md).

foreach(s IN LISTS SMR_SCHEMES)
  foreach(prog stress_stack secvec_model secvec_scenarios stress_secvec
               keyed_model keyed_scenarios stress_keyed
               bst_model bst_scenarios stress_bst queue_model queue_scenarios stress_queue)
    smr_scheme_test(${prog}_${s} ${CMAKE_CURRENT_LIST_DIR}/${prog}.c ${s})
  endforeach()

  # Stress at 2, 4 and 8 threads and preempted, and the free-on-retire
  # negative control (the stack's stress also under hp-asym's fallback:
  # schemes/tests.cmake; the keyed sets' below).
  foreach(st stack secvec bst queue)
    foreach(n 2 4 8)
      add_test(NAME stress_${st}_${s}_${n}t COMMAND stress_${st}_${s} ${n} ${SMR_STRESS_MS})
    endforeach()
    add_test(NAME stress_${st}_${s}_8t_preempt COMMAND stress_${st}_${s} --yield 16 8 ${SMR_STRESS_MS})
    add_test(NAME stress_${st}_${s}_negative_control
             COMMAND stress_${st}_${s} --negative-control 4 ${SMR_STRESS_MS})
  endforeach()

  # SecVec: single-thread model, deterministic interleavings.
  add_test(NAME secvec_model_${s} COMMAND secvec_model_${s})
  add_test(NAME secvec_scenarios_${s} COMMAND secvec_scenarios_${s})
  # The public tutorial's bug must be caught in a child process, as the
  # negative control is (the test passes when it is).
  add_test(NAME stress_secvec_${s}_tutorial_bug
           COMMAND stress_secvec_${s} --tutorial-bug 8 ${SMR_STRESS_MS})

  # Keyed sets (list, hashmap): single-thread model, deterministic
  # interleavings of the Harris-Michael list, stress with key-sum
  # conservation. The planted Harris traversal must be caught where it is
  # unsafe (SMR_POINTER_ERA_SCHEMES; with epochs it is safe, so not run there).
  add_test(NAME keyed_model_${s} COMMAND keyed_model_${s})
  add_test(NAME keyed_scenarios_${s} COMMAND keyed_scenarios_${s})
  foreach(st list hashmap)
    foreach(n 2 4 8)
      add_test(NAME stress_${st}_${s}_${n}t COMMAND stress_keyed_${s} ${st} ${n} ${SMR_STRESS_MS})
    endforeach()
    add_test(NAME stress_${st}_${s}_8t_preempt COMMAND stress_keyed_${s} --yield 16 ${st} 8 ${SMR_STRESS_MS})
    add_test(NAME stress_${st}_${s}_negative_control
             COMMAND stress_keyed_${s} --negative-control ${st} 4 ${SMR_STRESS_MS})
    if(s IN_LIST SMR_POINTER_ERA_SCHEMES)
      add_test(NAME stress_${st}_${s}_planted_traversal
               COMMAND stress_keyed_${s} --planted-traversal ${st} 8 ${SMR_STRESS_MS})
    endif()
  endforeach()

  # Trees and queues (issue 15): the Natarajan-Mittal BST and the
  # Michael-Scott queue. The tree's planted seek (NM's published one,
  # through flagged and tagged edges) must be caught where it is unsafe, as
  # the keyed sets' planted traversal.
  foreach(st bst queue)
    add_test(NAME ${st}_model_${s} COMMAND ${st}_model_${s})
    add_test(NAME ${st}_scenarios_${s} COMMAND ${st}_scenarios_${s})
    # A lost helping step spins on one OS thread: fail it, do not wait for ctest's default.
    set_tests_properties(${st}_scenarios_${s} PROPERTIES TIMEOUT 60)
  endforeach()
  if(s IN_LIST SMR_POINTER_ERA_SCHEMES)
    add_test(NAME stress_bst_${s}_planted_seek COMMAND stress_bst_${s} --planted 8 ${SMR_STRESS_MS})
    set_tests_properties(stress_bst_${s}_planted_seek PROPERTIES TIMEOUT 60)
  endif()
endforeach()

# Instructions per tree lookup under callgrind (the performance figures;
# not a test): ebr and hp, on the bench core and on the checked one, whose
# planted seek gives the cost of the safe seek over NM's. Built where
# insn_count is (valgrind's header, the full build).
foreach(s IN ITEMS ebr hp)
  if(TARGET insn_count AND s IN_LIST SMR_SCHEMES)
    foreach(core bench checked)
      set(prog bst_lookup_insn_${s})
      if(core STREQUAL "checked")
        set(prog ${prog}_checked)
      endif()
      smr_per_scheme(${prog} EXECUTABLE ${s} SOURCES ${CMAKE_CURRENT_LIST_DIR}/bst_lookup_insn.c
                     LINK smrcore_${core})
    endforeach()
  endif()
endforeach()

# dbmap with every provider: each scheme of smr.h, and its native reader epochs.
# A scheme that never reclaims gives no grace period: those tests skip (77).
function(smr_add_dbmap_tests prefix native)
  foreach(prog dbmap_model dbmap_delay dbmap_stress)
    set(kind)
    if(native)
      set(kind NATIVE)
    endif()
    smr_scheme_test(${prog}_${prefix} ${CMAKE_CURRENT_LIST_DIR}/${prog}.c ${prefix} ${kind})
  endforeach()
  add_test(NAME dbmap_model_${prefix} COMMAND dbmap_model_${prefix})
  add_test(NAME dbmap_delay_${prefix} COMMAND dbmap_delay_${prefix})
  add_test(NAME dbmap_stress_${prefix} COMMAND dbmap_stress_${prefix} 3 ${SMR_STRESS_MS})
  add_test(NAME dbmap_stress_${prefix}_immediate_2writers_preempt
           COMMAND dbmap_stress_${prefix} --immediate --writers 2 --yield 16 2 ${SMR_STRESS_MS})
  add_test(NAME dbmap_stress_${prefix}_negative_control
           COMMAND dbmap_stress_${prefix} --negative-control 3 ${SMR_STRESS_MS})
  set_tests_properties(dbmap_model_${prefix} dbmap_delay_${prefix} dbmap_stress_${prefix}
                       dbmap_stress_${prefix}_immediate_2writers_preempt
                       dbmap_stress_${prefix}_negative_control PROPERTIES SKIP_RETURN_CODE 77)
endfunction()
foreach(s IN LISTS SMR_SCHEMES)
  smr_add_dbmap_tests(${s} FALSE)
endforeach()
foreach(p IN LISTS SMR_NATIVE_PROVIDERS)
  string(REPLACE ":" ";" parts "${p}")
  list(GET parts 0 st)
  list(GET parts 1 prefix)
  if(st STREQUAL "dbmap")
    smr_add_dbmap_tests(${prefix} TRUE)
  endif()
endforeach()

# Every (structure, scheme) pair at many threads (oversubscribed here):
# teardown reclaims everything and each robust scheme stays within its
# declared garbage_bound. The sanitizer builds, and the cross build (run
# under an emulator, some 15 times slower), use fewer threads.
add_executable(many_threads ${CMAKE_CURRENT_LIST_DIR}/many_threads.c)
target_link_libraries(many_threads PRIVATE smrcore_checked)
if(CMAKE_CROSSCOMPILING)
  set(smr_many_threads 16,128)
elseif(SMR_SANITIZE STREQUAL "")
  set(smr_many_threads 64,256,1024)
elseif(SMR_SANITIZE STREQUAL "address")
  set(smr_many_threads 64,256)
else()
  set(smr_many_threads 16,64)
endif()
add_test(NAME many_threads COMMAND many_threads ${smr_many_threads})

# The keyed sets, the tree and the queue through smrbench run: validated
# cells, success rates, defaults, and a planted miscount caught
# (smrbench-faults).
if(NOT SMR_CORE_ONLY)
  add_test(NAME keyed_run_validation COMMAND ${CMAKE_CURRENT_LIST_DIR}/keyed_run_test.sh
           $<TARGET_FILE:smrbench> $<TARGET_FILE:smrbench-faults>)
  add_test(NAME trees_run_validation COMMAND ${CMAKE_CURRENT_LIST_DIR}/trees_run_test.sh
           $<TARGET_FILE:smrbench> $<TARGET_FILE:smrbench-faults>)
endif()
