#include "helper/app.hpp"

int main(int argc, char** argv) { return patrol::helper::run(argc, argv); }
