// Text encodings of files cadres upload. Chinese Excel saves "CSV" as GB18030 (GBK) by default and
// "CSV UTF-8" as UTF-8 with a byte order mark; everything inside taizhang is UTF-8.
#ifndef TAIZHANG_BASE_ENCODING_H_
#define TAIZHANG_BASE_ENCODING_H_

#include <string>
#include <string_view>

#include "base/result.h"

namespace tz {

enum class TextEncoding { kUtf8, kUtf8Bom, kGb18030 };

struct DecodedText {
  std::string utf8;  // without a byte order mark
  TextEncoding encoding = TextEncoding::kUtf8;
};

// Detects the encoding and returns the text as UTF-8:
//   EF BB BF (UTF-8 BOM)      → BOM stripped, the rest must be UTF-8;        kUtf8Bom
//   FF FE / FE FF (UTF-16 BOM) → InvalidArgument asking to save as CSV UTF-8 or GB18030
//   well-formed UTF-8          → as is;                                       kUtf8
//   otherwise                  → converted from GB18030 (a superset of GBK);  kGb18030
// Bytes valid in neither give InvalidArgument "文件编码无法识别：既不是UTF-8也不是GB18030…" with
// the line of the first bad byte; the log message names the byte offsets.
// Pure ASCII is reported as kUtf8. A very short GBK text can happen to be valid UTF-8 (the classic
// "联通" case); real files are long enough for this not to matter.
Result<DecodedText> DecodeToUtf8(std::string_view bytes);

// Conversions through glibc iconv. Errors (InvalidArgument) name the byte offset of the first byte
// that does not convert.
Result<std::string> Gb18030ToUtf8(std::string_view bytes);
Result<std::string> Utf8ToGb18030(std::string_view utf8);

const char* TextEncodingName(TextEncoding e);  // "UTF-8", "UTF-8 (BOM)", "GB18030"

}  // namespace tz

#endif  // TAIZHANG_BASE_ENCODING_H_
