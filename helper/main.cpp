#include "helper/app.hpp"
#include "helper/no_core_dumps.hpp"

int main(int argc, char** argv) {
  patrol::helper::forbid_core_dumps(); // before any secret is read
  return patrol::helper::run(argc, argv);
}
