#pragma once
// Random bytes from the kernel (getrandom), which need no library: keys, nonces, salts.
#include <cstddef>
#include <string>

#include "common/result.hpp"

namespace patrol {

// count bytes, or an Errc::io error; the caller wipes them when they are a key.
Result<std::string> random_bytes(std::size_t count);

} // namespace patrol
