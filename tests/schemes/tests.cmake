# schemes/: what one scheme, or a family of them, promises beyond the
# contract: stall bounds, scaling, the era schemes' scans, and each scheme's
# own mechanisms (docs/testing.md).

foreach(s IN LISTS SMR_SCHEMES)
  # Robust schemes stay under their declared bound while a thread stalls;
  # the others free nothing retired during the stall.
  smr_scheme_test(stall_bound_${s} ${CMAKE_CURRENT_LIST_DIR}/stall_bound.c ${s})
  add_test(NAME stall_bound_${s} COMMAND stall_bound_${s})

  # Slow paths and era clocks cost the same per retire and per allocation at
  # 512 registered threads as at a few.
  smr_scheme_test(thread_scaling_${s} ${CMAKE_CURRENT_LIST_DIR}/thread_scaling.c ${s})
  add_test(NAME thread_scaling_${s} COMMAND thread_scaling_${s})

  # garbage_bound under the worst churn for era schemes (a FIFO that retires
  # every node alive when the stall began); skipped (77) by schemes that
  # promise no bound.
  smr_scheme_test(stall_fifo_${s} ${CMAKE_CURRENT_LIST_DIR}/stall_fifo.c ${s})
  add_test(NAME stall_fifo_${s} COMMAND stall_fifo_${s})
  set_tests_properties(stall_fifo_${s} PROPERTIES SKIP_RETURN_CODE 77)
  if(s IN_LIST SMR_ERA_SCHEMES)
    # The bound check must catch an era scheme whose scans ignore birth eras.
    add_test(NAME stall_fifo_${s}_negative_control COMMAND stall_fifo_${s} --plant-ignore-birth 30000)
    # Scans stay amortised O(1) per retire while a stalled era pins many nodes.
    smr_scheme_test(era_scan_cost_${s} ${CMAKE_CURRENT_LIST_DIR}/era_scan_cost.c ${s})
    add_test(NAME era_scan_cost_${s} COMMAND era_scan_cost_${s})
  endif()
endforeach()

# The stall checks can fail: EBR held to a robust bound, HP expected to free nothing.
if("ebr" IN_LIST SMR_SCHEMES)
  add_test(NAME stall_bound_negative_control_ebr_as_robust COMMAND stall_bound_ebr --expect-robust)
  set_tests_properties(stall_bound_negative_control_ebr_as_robust PROPERTIES WILL_FAIL TRUE)
endif()
if("hp" IN_LIST SMR_SCHEMES)
  add_test(NAME stall_bound_negative_control_hp_as_growing COMMAND stall_bound_hp --expect-growth)
  set_tests_properties(stall_bound_negative_control_hp_as_growing PROPERTIES WILL_FAIL TRUE)
endif()

# Third-party adapters: what the common suites cannot see.
if(urcu IN_LIST SMR_SCHEMES)
  # Handles onto liburcu's per-OS-thread registration and nesting.
  smr_scheme_test(urcu_mapping ${CMAKE_CURRENT_LIST_DIR}/urcu_mapping.c urcu)
  add_test(NAME urcu_mapping COMMAND urcu_mapping)
endif()
if(ckhp IN_LIST SMR_SCHEMES)
  # The domain stays within ck_hp_reclaim's hazard cache.
  smr_scheme_test(ckhp_capacity ${CMAKE_CURRENT_LIST_DIR}/ckhp_capacity.c ckhp)
  add_test(NAME ckhp_capacity COMMAND ckhp_capacity)
endif()

# qsbr: where its quiescent states come from (every K leaves, smr_quiescent, offline).
if("qsbr" IN_LIST SMR_SCHEMES)
  smr_scheme_test(qsbr_grace ${CMAKE_CURRENT_LIST_DIR}/qsbr_grace.c qsbr)
  add_test(NAME qsbr_grace COMMAND qsbr_grace)
endif()

# hp-asym: the store-buffering race its membarrier closes, as a litmus test
# on the real protect and scan barrier, in the chosen mode and the fallback;
# the negative control (scanner fence only) must observe the race. It runs
# at least 5,000 rounds, up to 30 s (hp_asym_litmus.c).
if("hp_asym" IN_LIST SMR_SCHEMES)
  smr_scheme_test(hp_asym_litmus ${CMAKE_CURRENT_LIST_DIR}/hp_asym_litmus.c hp_asym)
  add_test(NAME hp_asym_litmus COMMAND hp_asym_litmus)
  add_test(NAME hp_asym_litmus_fallback COMMAND hp_asym_litmus)
  set_tests_properties(hp_asym_litmus_fallback PROPERTIES ENVIRONMENT SMR_HP_ASYM_FALLBACK=1)
  add_test(NAME hp_asym_litmus_negative_control COMMAND hp_asym_litmus --scan-fence-only)
  set_tests_properties(hp_asym_litmus_negative_control PROPERTIES SKIP_RETURN_CODE 77)
  # Each spins two threads that must run at once: alone on the CPUs.
  set_tests_properties(hp_asym_litmus hp_asym_litmus_fallback hp_asym_litmus_negative_control
                       PROPERTIES RUN_SERIAL TRUE)
  set_tests_properties(hp_asym_litmus hp_asym_litmus_fallback PROPERTIES TIMEOUT 90)
  # The suites again with membarrier refused, as in a container that blocks it.
  add_test(NAME conformance_hp_asym_fallback COMMAND conformance_hp_asym)
  add_test(NAME stress_stack_hp_asym_8t_preempt_fallback
           COMMAND stress_stack_hp_asym --yield 16 8 ${SMR_STRESS_MS})
  set_tests_properties(conformance_hp_asym_fallback stress_stack_hp_asym_8t_preempt_fallback
                       PROPERTIES ENVIRONMENT SMR_HP_ASYM_FALLBACK=1)
endif()

# Hyaline-S's own promises (last reader frees, eras, padding, the stall
# bound), and proof that they catch planted bugs in the scheme.
if("hyaline" IN_LIST SMR_SCHEMES)
  smr_scheme_test(hyaline_scheme ${CMAKE_CURRENT_LIST_DIR}/hyaline_scheme.c hyaline)
  add_test(NAME hyaline_scheme COMMAND hyaline_scheme)
  foreach(bug 1_ignore_eras 2_push_to_nobody 3_leave_keeps_list 4_padding_counted)
    string(REGEX MATCH "^[0-9]+" n ${bug})
    add_test(NAME hyaline_scheme_planted_bug_${bug} COMMAND hyaline_scheme --bug ${n})
    set_tests_properties(hyaline_scheme_planted_bug_${bug} PROPERTIES WILL_FAIL TRUE)
  endforeach()
  # A close that pushes onto a reader's list just after its leave looked:
  # smr_quiescent must take the batch back (dbmap's writer waiting for the lock).
  smr_scheme_test(hyaline_late_push ${CMAKE_CURRENT_LIST_DIR}/hyaline_late_push.c hyaline)
  add_test(NAME hyaline_late_push COMMAND hyaline_late_push)
endif()

# ibr stores lower before it publishes upper (scanners read upper first),
# sampled at arbitrary instructions by signals.
if("ibr" IN_LIST SMR_SCHEMES)
  smr_scheme_test(ibr_reservation_order ${CMAKE_CURRENT_LIST_DIR}/ibr_reservation_order.c ibr)
  add_test(NAME ibr_reservation_order COMMAND ibr_reservation_order)
  set_tests_properties(ibr_reservation_order PROPERTIES TIMEOUT 60 SKIP_RETURN_CODE 77)
endif()
