# Cross build for aarch64 (Debian's gcc-aarch64-linux-gnu), tests run under
# qemu-user: scripts/build.sh aarch64. The third-party libraries (ck,
# liburcu) come from Debian's arm64 packages unpacked into SMR_AARCH64_SYSROOT
# by scripts/deps.sh aarch64 (not installed: libck-dev is not co-installable
# with its amd64 twin).
#
# qemu runs each aarch64 thread on a host thread, so it shows that the
# non-x86 paths build and work, not that their orderings are right on a
# weakly ordered CPU: the comments at each ordering argue that.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)

if(NOT SMR_AARCH64_SYSROOT OR NOT EXISTS "${SMR_AARCH64_SYSROOT}/.complete")
  message(FATAL_ERROR "no unpacked arm64 ck and liburcu in '${SMR_AARCH64_SYSROOT}': "
                      "run scripts/deps.sh aarch64 first")
endif()
# Kept for try_compile projects, which see only the variables listed here.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES SMR_AARCH64_SYSROOT)

# pkg-config finds only the arm64 .pc files and prefixes their paths with
# the unpacked root.
set(ENV{PKG_CONFIG_LIBDIR} "${SMR_AARCH64_SYSROOT}/usr/lib/aarch64-linux-gnu/pkgconfig")
set(ENV{PKG_CONFIG_SYSROOT_DIR} "${SMR_AARCH64_SYSROOT}")
set(ENV{PKG_CONFIG_PATH} "")

set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu "${SMR_AARCH64_SYSROOT}")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# The libraries' shared objects are found at run time through this path.
set(CMAKE_BUILD_RPATH "${SMR_AARCH64_SYSROOT}/usr/lib/aarch64-linux-gnu")
# ctest runs every test program through qemu, with the cross C library
# (libc6-dev-arm64-cross). LD_LIBRARY_PATH keeps the loader from pairing it
# with a multiarch libc6:arm64 of another version, should one be installed:
# such a mix hangs in pthread_create.
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64 -L /usr/aarch64-linux-gnu
    -E LD_LIBRARY_PATH=/usr/aarch64-linux-gnu/lib)
