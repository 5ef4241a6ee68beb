#pragma once
// The program: turns argv into one command from the table, and an Error into one line on
// stderr and an exit code.
namespace patrol::helper {

int run(int argc, char** argv);

} // namespace patrol::helper
