# One set of warnings for every target of ours; errors when PATROL_WERROR is on (CI).
add_library(patrol_warnings INTERFACE)
target_compile_options(patrol_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
  -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual -Wnull-dereference
  -Wimplicit-fallthrough
  $<$<BOOL:${PATROL_WERROR}>:-Werror>)
