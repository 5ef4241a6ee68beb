#pragma once
// A store held in this process's memory, for unit tests. Not in the registry: nothing
// in it outlives the process, so git could never get back what it stored.
#include <memory>

#include "store/store.hpp"

namespace patrol::store {

std::unique_ptr<Store> make_memory_store();

} // namespace patrol::store
