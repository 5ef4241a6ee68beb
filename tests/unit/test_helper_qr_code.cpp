#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "helper/signin/qr_code.hpp"

using patrol::helper::half_blocks;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    out.push_back(line);
  }
  return out;
}

// Counts the code points of UTF-8 text.
std::size_t columns(const std::string& line) {
  std::size_t count = 0;
  for (const char c : line) {
    count += (static_cast<unsigned char>(c) & 0xC0U) != 0x80U ? 1 : 0;
  }
  return count;
}

} // namespace

TEST_CASE("qr code: two module rows per line, light modules drawn", "[helper][qr]") {
  // dark modules: top-left and bottom-right of a 2x2 grid, no margin.
  CHECK(half_blocks({{true, false}, {false, true}}, 0) == "\u2584\u2580\n");
  // all dark: spaces; all light: full blocks.
  CHECK(half_blocks({{true, true}, {true, true}}, 0) == "  \n");
  CHECK(half_blocks({{false, false}, {false, false}}, 0) == "\u2588\u2588\n");
  // an odd count of rows: the last line's lower half is empty (not light).
  CHECK(half_blocks({{false}}, 0) == "\u2580\n");
  // the quiet zone is light all around.
  CHECK(half_blocks({{true}}, 1) == "\u2588\u2580\u2588\n\u2580\u2580\u2580\n");
}

TEST_CASE("qr code: a verification URL becomes a square code with a quiet zone", "[helper][qr]") {
  const std::string code =
      patrol::helper::qr_code("https://gitlab.example.com/oauth/device?user_code=0A44L90H");
  const std::vector<std::string> lines = lines_of(code);
  // Version 4 (33 modules) at level L holds this URL; 2 modules of quiet zone each side.
  REQUIRE_FALSE(lines.empty());
  const std::size_t side = columns(lines.front());
  CHECK(side >= 21 + 4);
  CHECK((side - 4 - 21) % 4 == 0); // QR sizes are 21 + 4k
  CHECK(lines.size() == (side + 1) / 2);
  for (const std::string& line : lines) {
    CHECK(columns(line) == side);
  }
  CHECK(lines.front() == [&] {
    std::string light;
    for (std::size_t i = 0; i < side; ++i) {
      light += "\u2588";
    }
    return light;
  }());
}
