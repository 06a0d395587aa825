# Third-party reclamation schemes, each an adapter over a library from a
# Debian 12 package (scripts/deps.sh installs them):
#   urcu              liburcu-dev (0.13), memb flavour   pkg-config: liburcu-memb
# A library that is missing, or switched off with SMR_WITH_URCU,
# skips its schemes with one status line; everything else builds as before.
# Appends to SMR_SCHEMES and sets SMR_SCHEME_LIBS (linked into smrcore_*).

option(SMR_WITH_URCU "Build the urcu scheme (liburcu, memb flavour)" ON)

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

