# contract/: what every scheme of smr.h promises, checked for each one
# (docs/testing.md).

foreach(s IN LISTS SMR_SCHEMES)
  # Per-scheme test programs are compiled like a structure: once per scheme.
  smr_scheme_test(conformance_${s} ${CMAKE_CURRENT_LIST_DIR}/conformance.c ${s})
  add_test(NAME conformance_${s} COMMAND conformance_${s})
  # The conformance oracle itself must catch a scheme that frees on retire.
  add_test(NAME conformance_${s}_negative_control COMMAND conformance_${s} --unsafe)
  set_tests_properties(conformance_${s}_negative_control PROPERTIES WILL_FAIL TRUE)
endforeach()

# ---- The oracle's blind spots (issue 20); docs/testing.md says what each guards ----
# The store-buffering race of every protect that publishes and re-validates,
# through the contract: a node the racing flush frees was never protected.
# Two threads spinning on two CPUs at once: alone on the machine.
foreach(s hp ckhp he ibr hyaline)
  if(s IN_LIST SMR_SCHEMES)
    smr_scheme_test(protect_litmus_${s} ${CMAKE_CURRENT_LIST_DIR}/protect_litmus.c ${s})
    add_test(NAME protect_litmus_${s} COMMAND protect_litmus_${s})
    set_tests_properties(protect_litmus_${s} PROPERTIES RUN_SERIAL TRUE TIMEOUT 90 SKIP_RETURN_CODE 77)
  endif()
endforeach()

# No read after leave: the stack's peek against every scheme wrapped in
# leave_probe.h, with a grace period forced right after the reader's leave.
foreach(s IN LISTS SMR_SCHEMES)
  smr_scheme_test(read_after_leave_${s} ${CMAKE_CURRENT_LIST_DIR}/read_after_leave.c probe
                  HEADER leave_probe.h
                  SOURCES ${CMAKE_SOURCE_DIR}/structures/stack.c
                  DEFINITIONS PROBE_INNER=${s} "PROBE_INNER_HEADER=\"${s}.h\""
                  INCLUDES ${CMAKE_CURRENT_LIST_DIR})
  add_test(NAME read_after_leave_${s} COMMAND read_after_leave_${s})
  set_tests_properties(read_after_leave_${s} PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 60)
endforeach()
