# gate/: the regression gate (docs/gate.md): instruction counts against
# results/baselines/insn.csv (skipped, 77, without valgrind or with another
# toolchain; insn_count itself is built by cmake/Micro.cmake), the timing
# gate flagging a planted slowdown (alone on the CPUs), and
# scripts/gate/gate.sh's decisions on doctored baselines. Not in sanitizer
# builds, which change both.
if(SMR_SANITIZE STREQUAL "" AND NOT SMR_CORE_ONLY)
  add_test(NAME insn_counts COMMAND ${CMAKE_SOURCE_DIR}/scripts/insn.sh check ${CMAKE_BINARY_DIR})
  set_tests_properties(insn_counts PROPERTIES SKIP_RETURN_CODE 77)
  add_test(NAME gate_flags_planted_slowdown
           COMMAND ${CMAKE_CURRENT_LIST_DIR}/gate_test.sh ${CMAKE_BINARY_DIR})
  set_tests_properties(gate_flags_planted_slowdown PROPERTIES RUN_SERIAL TRUE)
  add_test(NAME gate_script_decisions
           COMMAND ${CMAKE_CURRENT_LIST_DIR}/gate_script_test.sh ${CMAKE_BINARY_DIR})
  set_tests_properties(gate_script_decisions PROPERTIES RUN_SERIAL TRUE)
endif()
