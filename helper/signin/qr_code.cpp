#include "helper/signin/qr_code.hpp"

#include <cstddef>
#include <memory>
#include <optional>

#include <qrencode.h>

#include "common/shared_library.hpp"

namespace patrol::helper {
namespace {

// libqrencode is loaded when a QR code is drawn (the device flow, on a terminal), not at
// the start of every git operation.
struct Qrencode {
  QRcode* (*encode)(const char*, int, QRecLevel) = nullptr;
  void (*free)(QRcode*) = nullptr;
};

const Qrencode* qrencode() {
  static const std::optional<Qrencode> loaded = []() -> std::optional<Qrencode> {
    Result<SharedLibrary> library =
        SharedLibrary::open("libqrencode.so.4", "libqrencode4", "drawing the QR code");
    Qrencode functions;
    if (!library || !library->bind("QRcode_encodeString8bit", functions.encode) ||
        !library->bind("QRcode_free", functions.free)) {
      return std::nullopt;
    }
    return functions;
  }();
  return loaded ? &*loaded : nullptr;
}

constexpr std::string_view both_light = "\u2588";   // full block
constexpr std::string_view top_light = "\u2580";    // upper half block
constexpr std::string_view bottom_light = "\u2584"; // lower half block
constexpr std::string_view both_dark = " ";

struct QrFree {
  void operator()(QRcode* code) const { qrencode()->free(code); }
};

} // namespace

std::string half_blocks(const std::vector<std::vector<bool>>& dark, int margin) {
  const std::size_t modules = dark.size();
  const std::size_t pad = static_cast<std::size_t>(margin < 0 ? 0 : margin);
  const std::size_t side = modules + 2 * pad;
  const auto is_dark = [&](std::size_t row, std::size_t column) {
    if (row < pad || column < pad || row >= pad + modules || column >= pad + modules) {
      return false;
    }
    const std::vector<bool>& line = dark[row - pad];
    return column - pad < line.size() && line[column - pad];
  };
  std::string out;
  for (std::size_t row = 0; row < side; row += 2) {
    for (std::size_t column = 0; column < side; ++column) {
      const bool top = !is_dark(row, column);
      const bool bottom = row + 1 < side ? !is_dark(row + 1, column) : false;
      out += top && bottom ? both_light : top ? top_light : bottom ? bottom_light : both_dark;
    }
    out += '\n';
  }
  return out;
}

std::string qr_code(std::string_view text) {
  if (qrencode() == nullptr) {
    return {}; // no QR code: the URL and the code are shown anyway
  }
  const std::string copy(text);
  const std::unique_ptr<QRcode, QrFree> code(qrencode()->encode(copy.c_str(), 0, QR_ECLEVEL_L));
  if (!code || code->width <= 0) {
    return {};
  }
  const auto width = static_cast<std::size_t>(code->width);
  std::vector<std::vector<bool>> dark(width, std::vector<bool>(width));
  for (std::size_t row = 0; row < width; ++row) {
    for (std::size_t column = 0; column < width; ++column) {
      dark[row][column] = (code->data[row * width + column] & 1U) != 0;
    }
  }
  return half_blocks(dark, 2);
}

} // namespace patrol::helper
