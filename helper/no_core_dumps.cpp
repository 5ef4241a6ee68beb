#include "helper/no_core_dumps.hpp"

#include <sys/prctl.h>
#include <sys/resource.h>

namespace patrol::helper {

void forbid_core_dumps() {
  // Neither call can fail for a process lowering its own limits; if one ever did, there is
  // nothing better to do than go on, so the results are not looked at.
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  const rlimit none{0, 0};
  setrlimit(RLIMIT_CORE, &none);
}

} // namespace patrol::helper
