# Link options of the executables git runs (git-credential-patrol and its test-hooks twin),
# as the interface library patrol_executable.
#
# git runs the helper on every HTTPS operation, and with libstdc++ as a shared library the
# dynamic loader resolves thousands of its symbols before main (about 1.6 million of the
# 1.8 million instructions of a start-up) and maps all of it (about 1 MiB of a get's peak
# RSS). Linked in, only the parts patrol uses are there, resolved at link time. Every
# library patrol loads is a C library, so no second libstdc++ ever joins the process. Off
# under the sanitizers, which bring their own runtime.
add_library(patrol_executable INTERFACE)
if(PATROL_STATIC_LIBSTDCXX AND NOT PATROL_SANITIZE)
  target_link_options(patrol_executable INTERFACE -static-libstdc++ -static-libgcc)
endif()
