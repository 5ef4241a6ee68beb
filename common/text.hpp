#pragma once
// Text that comes from a server or from token metadata (names, scopes, URIs, codes, error
// descriptions) is data: shown() makes it safe to put on a terminal, so it can never move
// the cursor, retitle the window, clear the screen or reorder what follows it.
#include <cstddef>
#include <string>
#include <string_view>

namespace patrol {

// text with every character that could act on a terminal written out visibly:
//   C0 controls and DEL   \t \n \r \e, else \xNN            (so a message stays one line)
//   bytes that are not UTF-8 (a lone 0x9B among them)        \xNN
//   C1 controls U+0080-U+009F, bidi controls U+061C,
//   U+200E-U+200F, U+202A-U+202E, U+2066-U+2069              \uNNNN
// Everything else, other UTF-8 included, passes unchanged. The output holds no control
// byte, so shown(shown(x)) == shown(x): text escaped twice on its way out stays readable.
// A backslash is not escaped, for that reason.
[[nodiscard]] std::string shown(std::string_view text);

// text cut to at most `limit` bytes at a character boundary, "..." added when cut: a
// server's words in a one-line message stay short whatever the server sent.
[[nodiscard]] std::string clipped(std::string_view text, std::size_t limit);

} // namespace patrol
