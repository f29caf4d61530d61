// Small string helpers shared by every layer.
#ifndef TAIZHANG_BASE_STRINGS_H_
#define TAIZHANG_BASE_STRINGS_H_

#include <string>
#include <string_view>
#include <vector>

namespace tz {

// Trims ASCII whitespace, U+3000 (ideographic space) and U+00A0 (no-break space) at both ends:
// cells typed in Chinese input methods often carry them.
std::string_view TrimSpace(std::string_view s);

std::vector<std::string_view> Split(std::string_view s, char sep);
std::vector<std::string_view> SplitWhitespace(std::string_view s);  // ASCII whitespace runs
std::string Join(const std::vector<std::string>& parts, std::string_view sep);
bool StartsWith(std::string_view s, std::string_view prefix);
std::string AsciiLower(std::string_view s);  // A-Z → a-z; other bytes (UTF-8 included) as they are
bool EndsWith(std::string_view s, std::string_view suffix);
std::string ReplaceAll(std::string_view s, std::string_view from, std::string_view to);

// Text in Chinese quotation marks, for messages to people: “院前村”.
std::string Quoted(std::string_view s);

// UTF-8: true when `s` is well-formed UTF-8 (no overlongs, no surrogates).
bool IsValidUtf8(std::string_view s);
// Decodes the UTF-8 character at s[*i] into *cp and advances *i; false (nothing advanced) on a
// malformed, overlong, surrogate or out-of-range sequence, or one cut off by the end of s.
bool DecodeUtf8(std::string_view s, size_t* i, uint32_t* cp);
// Appends code point cp (≤ U+10FFFF, not a surrogate) as UTF-8.
void AppendUtf8(uint32_t cp, std::string* out);
// Number of code points in well-formed UTF-8.
size_t Utf8Length(std::string_view s);

// Reads a whole file. Returns false (and leaves *out empty) on failure.
bool ReadFileToString(const std::string& path, std::string* out);

}  // namespace tz

#endif  // TAIZHANG_BASE_STRINGS_H_
