#include "base/encoding.h"

#include <iconv.h>

#include <algorithm>
#include <cerrno>

#include "base/strings.h"

namespace tz {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// Result of one iconv pass: the converted text, or the offset of the first byte that failed.
struct Conversion {
  bool ok = false;
  std::string out;
  size_t bad_offset = 0;
  bool truncated = false;    // the input ended inside a multi-byte sequence
  bool unavailable = false;  // iconv can't convert between these encodings at all
};

// glibc loads converters at run time (gconv modules); a stripped container may lack them, which is
// an installation problem and must not be reported as a bad file.
Status ConverterMissing(const char* from, const char* to) {
  return Status::Internal("系统缺少字符编码转换组件（glibc gconv），无法转换文件编码",
                          std::string("iconv_open failed for ") + from + " -> " + to);
}

Conversion Convert(std::string_view in, const char* from, const char* to) {
  Conversion result;
  iconv_t cd = iconv_open(to, from);
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    result.unavailable = true;
    return result;
  }
  // iconv's input pointer is non-const in the POSIX signature but is never written through.
  char* in_ptr = const_cast<char*>(in.data());
  size_t in_left = in.size();
  std::string out;
  out.resize(std::max<size_t>(in.size() * 2, 16));
  size_t out_used = 0;
  while (true) {
    char* out_ptr = out.data() + out_used;
    size_t out_left = out.size() - out_used;
    size_t rc = iconv(cd, in_left ? &in_ptr : nullptr, &in_left, &out_ptr, &out_left);
    out_used = out.size() - out_left;
    if (rc != static_cast<size_t>(-1)) {
      if (in_left == 0) break;
      continue;
    }
    if (errno == E2BIG) {
      out.resize(out.size() * 2);
      continue;
    }
    // EILSEQ: an invalid sequence; EINVAL: the input ends inside a sequence.
    result.truncated = errno == EINVAL;
    result.bad_offset = static_cast<size_t>(in_ptr - in.data());
    iconv_close(cd);
    return result;
  }
  iconv_close(cd);
  out.resize(out_used);
  result.ok = true;
  result.out = std::move(out);
  return result;
}

// Offset of the first byte that does not start well-formed UTF-8 (a binary search over prefixes
// would be cleverer; a linear decode is simpler and only runs on the error path).
size_t FirstInvalidUtf8Offset(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80           ? 1
                 : (c >> 5) == 0x6  ? 2
                 : (c >> 4) == 0xE  ? 3
                 : (c >> 3) == 0x1E ? 4
                                    : 0;
    if (len == 0 || i + len > s.size() || !IsValidUtf8(s.substr(i, len))) return i;
    i += len;
  }
  return s.size();
}

// 1-based line of byte `offset`, counting LF, CRLF and lone CR as line ends.
size_t LineOfOffset(std::string_view s, size_t offset) {
  size_t line = 1;
  for (size_t i = 0; i < offset && i < s.size(); ++i) {
    if (s[i] == '\n' || (s[i] == '\r' && (i + 1 >= s.size() || s[i + 1] != '\n'))) ++line;
  }
  return line;
}

std::string Hex(std::string_view s, size_t offset) {
  static const char kDigits[] = "0123456789ABCDEF";
  std::string out;
  for (size_t i = offset; i < s.size() && i < offset + 4; ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (!out.empty()) out += ' ';
    out += kDigits[c >> 4];
    out += kDigits[c & 0xF];
  }
  return out;
}

}  // namespace

Result<std::string> Gb18030ToUtf8(std::string_view bytes) {
  Conversion c = Convert(bytes, "GB18030", "UTF-8");
  if (c.unavailable) return ConverterMissing("GB18030", "UTF-8");
  if (!c.ok) {
    return Status::InvalidArgument(
        "文本不是有效的GB18030编码（第" + std::to_string(c.bad_offset + 1) + "个字节）",
        std::string(c.truncated ? "truncated" : "invalid") + " GB18030 sequence at byte offset " +
            std::to_string(c.bad_offset) + " (" + Hex(bytes, c.bad_offset) + ")");
  }
  return std::move(c.out);
}

Result<std::string> Utf8ToGb18030(std::string_view utf8) {
  Conversion c = Convert(utf8, "UTF-8", "GB18030");
  if (c.unavailable) return ConverterMissing("UTF-8", "GB18030");
  if (!c.ok) {
    return Status::InvalidArgument(
        "文本不是有效的UTF-8编码（第" + std::to_string(c.bad_offset + 1) + "个字节）",
        std::string(c.truncated ? "truncated" : "invalid") + " UTF-8 sequence at byte offset " +
            std::to_string(c.bad_offset) + " (" + Hex(utf8, c.bad_offset) + ")");
  }
  return std::move(c.out);
}

Result<DecodedText> DecodeToUtf8(std::string_view bytes) {
  if (StartsWith(bytes, "\xFF\xFE") || StartsWith(bytes, "\xFE\xFF")) {
    // Excel's "Unicode 文本" is UTF-16; neither UTF-8 nor GB18030 can start with these bytes.
    return Status::InvalidArgument(
        "文件是UTF-16编码（Excel的“Unicode文本”），无法读取：请另存为 CSV UTF-8 或 GB18030 编码",
        "file starts with a UTF-16 byte order mark");
  }
  DecodedText result;
  if (StartsWith(bytes, kUtf8Bom)) {
    std::string_view rest = bytes.substr(kUtf8Bom.size());
    if (!IsValidUtf8(rest)) {
      size_t bad = FirstInvalidUtf8Offset(rest) + kUtf8Bom.size();
      return Status::InvalidArgument(
          "文件以UTF-8标记开头，但第" + std::to_string(LineOfOffset(bytes, bad)) +
              "行含有不是UTF-8的内容：请检查文件是否损坏，或重新另存为 CSV UTF-8",
          "UTF-8 BOM but invalid UTF-8 at byte offset " + std::to_string(bad) + " (" +
              Hex(bytes, bad) + ")");
    }
    result.utf8 = std::string(rest);
    result.encoding = TextEncoding::kUtf8Bom;
    return result;
  }
  if (IsValidUtf8(bytes)) {
    result.utf8 = std::string(bytes);
    result.encoding = TextEncoding::kUtf8;
    return result;
  }
  Conversion c = Convert(bytes, "GB18030", "UTF-8");
  if (c.unavailable) return ConverterMissing("GB18030", "UTF-8");
  if (!c.ok) {
    size_t utf8_bad = FirstInvalidUtf8Offset(bytes);
    // The user sees the line where the text stops being GB18030: that is the line to look at when
    // the file is GB18030 with a damaged cell, the usual case.
    return Status::InvalidArgument(
        "文件编码无法识别：既不是UTF-8也不是GB18030（第" +
            std::to_string(LineOfOffset(bytes, c.bad_offset)) + "行有无法识别的字符）",
        "undecodable file: invalid UTF-8 at byte offset " + std::to_string(utf8_bad) + " (" +
            Hex(bytes, utf8_bad) + "), invalid GB18030 at byte offset " +
            std::to_string(c.bad_offset) + " (" + Hex(bytes, c.bad_offset) + ")");
  }
  result.utf8 = std::move(c.out);
  // GB18030 has its own BOM (84 31 95 33), which decodes to U+FEFF.
  if (StartsWith(result.utf8, kUtf8Bom)) result.utf8.erase(0, kUtf8Bom.size());
  result.encoding = TextEncoding::kGb18030;
  return result;
}

const char* TextEncodingName(TextEncoding e) {
  switch (e) {
    case TextEncoding::kUtf8:
      return "UTF-8";
    case TextEncoding::kUtf8Bom:
      return "UTF-8 (BOM)";
    case TextEncoding::kGb18030:
      return "GB18030";
  }
  return "?";
}

}  // namespace tz
