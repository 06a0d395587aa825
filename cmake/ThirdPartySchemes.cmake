# Third-party reclamation schemes, each an adapter over a library from a
# Debian 12 package (scripts/deps.sh installs them):
#   urcu              liburcu-dev (0.13), memb flavour   pkg-config: liburcu-memb
#   ckepoch, ckhp     libck-dev (0.7.1), ConcurrencyKit  pkg-config: ck
# A library that is missing, or switched off with SMR_WITH_URCU / SMR_WITH_CK,
# skips its schemes with one status line; everything else builds as before.
# Appends to SMR_SCHEMES and sets SMR_SCHEME_LIBS (linked into smrcore_*).

option(SMR_WITH_URCU "Build the urcu scheme (liburcu, memb flavour)" ON)
option(SMR_WITH_CK "Build the ck-epoch and ck-hp schemes (ConcurrencyKit)" ON)

set(SMR_SCHEME_LIBS)

if(NOT SMR_WITH_URCU)
  message(STATUS "scheme urcu skipped: SMR_WITH_URCU=OFF")
else()
  pkg_check_modules(URCU QUIET IMPORTED_TARGET liburcu-memb)
  if(URCU_FOUND)
    list(APPEND SMR_SCHEMES urcu)
    list(APPEND SMR_SCHEME_LIBS PkgConfig::URCU)
    # The version `smrbench list` shows, from the library's own .pc file.
    set_source_files_properties(schemes/urcu.c PROPERTIES COMPILE_DEFINITIONS
      "SMR_URCU_VERSION=\"${URCU_VERSION}\"")
  else()
    message(STATUS "scheme urcu skipped: liburcu-memb not found by pkg-config (Debian: apt-get install liburcu-dev)")
  endif()
endif()

if(NOT SMR_WITH_CK)
  message(STATUS "schemes ck-epoch, ck-hp skipped: SMR_WITH_CK=OFF")
else()
  pkg_check_modules(CK QUIET IMPORTED_TARGET ck)
  if(CK_FOUND)
    list(APPEND SMR_SCHEMES ckepoch ckhp)
    list(APPEND SMR_SCHEME_LIBS PkgConfig::CK)
    set_source_files_properties(schemes/ckepoch.c schemes/ckhp.c PROPERTIES COMPILE_DEFINITIONS
      "SMR_CK_VERSION=\"${CK_VERSION}\"")
  else()
    message(STATUS "schemes ck-epoch, ck-hp skipped: ConcurrencyKit (ck) not found by pkg-config (Debian: apt-get install libck-dev)")
  endif()
endif()
