#pragma once
// Percent-encoding pieces shared by the protocol parser, URL matching, credential URLs and
// form bodies: one hex table, one escape writer.
#include <string>
#include <string_view>

namespace patrol {

// The value of one hex digit, or -1.
int hex_value(char c);

// Appends "%XY" (upper-case hex) for one byte.
void append_escaped(std::string& out, unsigned char byte);

// Appends text, keeping RFC 3986 unreserved characters and those in `keep`, escaping the
// rest; a space becomes '+' when space_as_plus (application/x-www-form-urlencoded).
void percent_encode(std::string& out, std::string_view text, std::string_view keep = {},
                    bool space_as_plus = false);

} // namespace patrol
