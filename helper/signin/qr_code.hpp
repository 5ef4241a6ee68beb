#pragma once
// A QR code for the terminal: libqrencode makes the modules, Unicode half blocks draw two
// module rows per text line. Light modules are drawn (as `qrencode -t UTF8` does), which
// scans on the usual dark terminal background.
#include <string>
#include <string_view>
#include <vector>

namespace patrol::helper {

// dark[row][column]: true for a dark module. Adds a quiet zone of `margin` light modules.
std::string half_blocks(const std::vector<std::vector<bool>>& dark, int margin);

// The QR code of text as lines ending in "\n", or "" when it cannot be encoded.
std::string qr_code(std::string_view text);

} // namespace patrol::helper
