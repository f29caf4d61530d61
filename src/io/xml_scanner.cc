// The fast XML scanner (see xml_stream.h): a push parser for UTF-8 documents without DTDs, several
// times faster than expat on sheet XML because it does only what an xlsx part needs.
#include <algorithm>
#include <cstring>
#include <optional>
#include <vector>

#include "base/strings.h"
#include "io/xml_stream.h"

namespace tz::io {
namespace {

constexpr size_t kMaxMarkupBytes = 1u << 20;   // one tag, comment or PI; xlsx tags are short
constexpr size_t kTextFlushBytes = 64u << 10;  // text longer than this is handed on in pieces
constexpr int kMaxDepth = 256;                 // xlsx nests a dozen deep at most

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// A character XML 1.0 allows, by code point.
bool IsXmlChar(uint32_t cp) {
  return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
         (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

// Well-formed UTF-8 of XML characters only (no C0 controls but tab and line ends).
bool IsXmlText(std::string_view s) {
  uint32_t cp;
  for (size_t i = 0; i < s.size();) {
    // ASCII first: nearly all of a sheet's bytes, checked without the decoder.
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x80) {
      ++i;
      continue;
    }
    if (!DecodeUtf8(s, &i, &cp) || !IsXmlChar(cp)) return false;
  }
  return true;
}

// Decodes the reference at the start of `s` ("&amp;…", "&#x4E2D;…"), appending its character.
// Returns the length consumed, 0 when it is not a valid reference to a predefined entity or an
// XML character.
size_t DecodeReference(std::string_view s, std::string* out) {
  size_t semi = s.find(';', 1);
  if (semi == std::string_view::npos || semi > 12) return 0;
  std::string_view body = s.substr(1, semi - 1);
  if (!body.empty() && body[0] == '#') {
    uint32_t cp = 0;
    bool hex = body.size() > 1 && body[1] == 'x';
    std::string_view digits = body.substr(hex ? 2 : 1);
    if (digits.empty()) return 0;
    for (char c : digits) {
      int d;
      if (c >= '0' && c <= '9')
        d = c - '0';
      else if (hex && c >= 'a' && c <= 'f')
        d = c - 'a' + 10;
      else if (hex && c >= 'A' && c <= 'F')
        d = c - 'A' + 10;
      else
        return 0;
      cp = cp * (hex ? 16 : 10) + static_cast<uint32_t>(d);
      if (cp > 0x10FFFF) return 0;
    }
    if (!IsXmlChar(cp)) return 0;
    AppendUtf8(cp, out);
    return semi + 1;
  }
  char c;
  if (body == "lt")
    c = '<';
  else if (body == "gt")
    c = '>';
  else if (body == "amp")
    c = '&';
  else if (body == "quot")
    c = '"';
  else if (body == "apos")
    c = '\'';
  else
    return 0;
  out->push_back(c);
  return semi + 1;
}

class FastParser : public XmlParser {
 public:
  FastParser(std::string part, XmlHandler* handler) : XmlParser(std::move(part), handler) {}

  Status Feed(std::string_view data) override {
    if (stopped_) return status_;
    buf_.append(data);
    Scan(false);
    Compact();
    return stopped_ ? status_ : Status::Ok();
  }

  Status Finish() override {
    if (stopped_) return status_;
    Scan(true);
    if (!stopped_) {
      if (pos_ < buf_.size()) {
        Fail(pos_, "unclosed token");
      } else if (!seen_root_) {
        Fail(pos_, "no element found");
      } else if (depth() > 0) {
        Fail(pos_, "unclosed element <" + std::string(Top()) + ">");
      }
    }
    return stopped_ ? status_ : Status::Ok();
  }

 private:
  int depth() const { return static_cast<int>(open_lengths_.size()); }
  std::string_view Top() const {
    return std::string_view(open_names_).substr(open_names_.size() - open_lengths_.back());
  }

  // The line of buf_[at]: lines already dropped from the buffer plus line ends before `at`.
  // Most xlsx writers put a whole part on one or two lines, so memchr makes this cheap.
  int64_t LineAt(size_t at) const { return lines_before_ + CountLines(0, at) + 1; }
  int64_t CountLines(size_t from, size_t to) const {
    int64_t n = 0;
    const char* p = buf_.data() + from;
    const char* end = buf_.data() + to;
    while ((p = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p))))) {
      ++n;
      if (++p >= end) break;
    }
    return n;
  }

  void Fail(size_t at, const std::string& detail) { Stop(Malformed(LineAt(at), detail)); }

  // Drops what has been scanned; the unfinished token (if any) moves to the front.
  void Compact() {
    if (pos_ == 0) return;
    lines_before_ += CountLines(0, pos_);
    buf_.erase(0, pos_);
    pos_ = 0;
  }

  void Scan(bool final) {
    if (!started_) {  // skip a UTF-8 byte order mark, which may arrive split
      constexpr std::string_view kBom = "\xEF\xBB\xBF";
      if (buf_.size() < kBom.size() && !final && kBom.starts_with(buf_)) return;
      if (std::string_view(buf_).starts_with(kBom)) pos_ = kBom.size();
      started_ = true;
    }
    const char* b = buf_.data();
    const size_t n = buf_.size();
    while (!stopped_ && pos_ < n) {
      if (b[pos_] != '<') {
        const void* lt = std::memchr(b + pos_, '<', n - pos_);
        size_t end = lt ? static_cast<size_t>(static_cast<const char*>(lt) - b) : n;
        if (lt == nullptr && !final) {
          // The text may go on in the next chunk. Hand over long text in pieces, never splitting
          // a UTF-8 character, a reference ("&amp;") or a CR LF pair: each piece is checked as
          // UTF-8 on its own, so half a character would fail valid text.
          if (end - pos_ < kTextFlushBytes) return;
          // The last character may be incomplete (its rest in the next chunk): cut before its
          // lead byte. A complete one moves to the next piece too, which costs nothing.
          size_t lead = end;
          while (lead > pos_ && end - lead < 3 &&
                 (static_cast<unsigned char>(b[lead - 1]) & 0xC0) == 0x80) {
            --lead;
          }
          if (lead > pos_ && (static_cast<unsigned char>(b[lead - 1]) & 0xC0) == 0xC0) {
            end = lead - 1;
          }
          size_t amp = std::string_view(b + pos_, end - pos_).rfind('&');
          if (amp != std::string_view::npos && end - (pos_ + amp) < 16) end = pos_ + amp;
          if (b[end - 1] == '\r') --end;
          if (end == pos_) return;
        }
        Text(pos_, end);
        pos_ = end;
        continue;
      }
      if (!Markup(final)) return;  // incomplete: wait for more input
    }
  }

  // Scans the markup at pos_. False when it is incomplete (more input needed, or a failure).
  bool Markup(bool final) {
    const char* b = buf_.data();
    const size_t n = buf_.size();
    std::string_view rest(b + pos_, n - pos_);
    auto incomplete = [&](std::string_view what) {
      if (final) {
        Fail(pos_, "unclosed " + std::string(what));
      } else if (rest.size() > kMaxMarkupBytes) {
        Fail(pos_,
             std::string(what) + " longer than " + std::to_string(kMaxMarkupBytes) + " bytes");
      }
      return false;
    };
    if (rest.size() < 2) return incomplete("token");
    char c = rest[1];
    if (c == '/') {
      size_t gt = rest.find('>', 2);
      if (gt == std::string_view::npos) return incomplete("end tag");
      EndTag(rest.substr(2, gt - 2));
      pos_ += gt + 1;
      return true;
    }
    if (c == '?') {
      size_t close = rest.find("?>", 2);
      if (close == std::string_view::npos) return incomplete("processing instruction");
      pos_ += close + 2;
      return true;
    }
    if (c == '!') {
      if (rest.size() < 9 && !final) {
        for (std::string_view known : {"<!--", "<![CDATA[", "<!DOCTYPE", "<!ENTITY"}) {
          if (known.starts_with(rest)) return incomplete("declaration");
        }
      }
      if (rest.starts_with("<!--")) {
        size_t close = rest.find("-->", 4);
        if (close == std::string_view::npos) return incomplete("comment");
        pos_ += close + 3;
        return true;
      }
      if (rest.starts_with("<![CDATA[")) {
        size_t close = rest.find("]]>", 9);
        if (close == std::string_view::npos) return incomplete("CDATA section");
        if (depth() == 0) {
          Fail(pos_, "CDATA outside the root element");
          return false;
        }
        Deliver(rest.substr(9, close - 9), /*raw=*/true, pos_);
        pos_ += close + 3;
        return true;
      }
      // No DTD support at all: "<!DOCTYPE" (and a stray "<!ENTITY") is refused like expat's
      // handler refuses it, anything else after "<!" is not XML.
      if (rest.starts_with("<!DOCTYPE") || rest.starts_with("<!ENTITY")) {
        Stop(DtdRefused(LineAt(pos_), rest.starts_with("<!D") ? "DOCTYPE" : "entity declaration"));
      } else {
        Fail(pos_, "bad declaration");
      }
      return false;
    }
    return StartTag(rest, final);
  }

  // Parses the start tag at the front of `rest` in one pass and reports it. False when it is
  // incomplete (it is parsed again from its start once more input came) or malformed.
  bool StartTag(std::string_view rest, bool final) {
    const size_t n = rest.size();
    const size_t at = pos_;
    auto incomplete = [&] {
      if (final) {
        Fail(at, "unclosed start tag");
      } else if (n > kMaxMarkupBytes) {
        Fail(at, "start tag longer than " + std::to_string(kMaxMarkupBytes) + " bytes");
      }
      return false;
    };
    auto fail = [&](const char* detail) {
      Fail(at, detail);
      return false;
    };
    size_t i = 1, colon = 0;
    for (; i < n; ++i) {
      char c = rest[i];
      if (IsSpace(c) || c == '>' || c == '/') break;
      if (c == ':') colon = i;
    }
    if (i == n) return incomplete();
    std::string_view name = rest.substr(1, i - 1);
    if (!ValidName(name)) return fail("bad element name");
    if (depth() == 0 && seen_root_) return fail("junk after document element");
    if (depth() >= kMaxDepth) return fail("elements nested too deep");
    std::string_view local = colon ? rest.substr(colon + 1, i - colon - 1) : name;

    attrs_.clear();
    raw_names_.clear();
    scratch_.clear();
    scratch_.reserve(n);  // decoded values never outgrow the tag: earlier views stay valid
    bool empty_element;
    for (;;) {
      size_t space_start = i;
      while (i < n && IsSpace(rest[i])) ++i;
      if (i == n) return incomplete();
      if (rest[i] == '>') {
        empty_element = false;
        ++i;
        break;
      }
      if (rest[i] == '/') {
        if (i + 1 == n) return incomplete();
        if (rest[i + 1] != '>') return fail("bad empty-element tag");
        empty_element = true;
        i += 2;
        break;
      }
      if (i == space_start) return fail("attributes not separated by white space");
      size_t attr_start = i;
      colon = 0;
      for (; i < n; ++i) {
        char c = rest[i];
        if (c == '=' || IsSpace(c) || c == '>' || c == '/') break;
        if (c == ':') colon = i;
      }
      std::string_view attr = rest.substr(attr_start, i - attr_start);
      while (i < n && IsSpace(rest[i])) ++i;
      if (i == n) return incomplete();
      if (rest[i] != '=' || !ValidName(attr)) return fail("bad attribute");
      ++i;
      while (i < n && IsSpace(rest[i])) ++i;
      if (i == n) return incomplete();
      char quote = rest[i];
      if (quote != '"' && quote != '\'') return fail("unquoted attribute value");
      // One pass over the value: where it ends, and whether it needs decoding or checking.
      size_t value_start = ++i;
      bool plain = true, ascii = true;
      for (; i < n; ++i) {
        auto c = static_cast<unsigned char>(rest[i]);
        if (c == static_cast<unsigned char>(quote)) break;
        if (c == '<') return fail("'<' in attribute value");
        if (c == '&' || c < 0x20) plain = false;
        if (c >= 0x80) ascii = false;
      }
      if (i == n) return incomplete();
      std::string_view raw = rest.substr(value_start, i - value_start);
      ++i;
      std::optional<std::string_view> value;
      if (plain && ascii) {
        value = raw;
      } else if (plain) {
        if (IsXmlText(raw)) value = raw;
      } else {
        value = DecodeAttrValue(raw);
      }
      if (!value) return fail("bad attribute value");
      raw_names_.push_back(attr);
      attrs_.push_back(
          {colon ? rest.substr(colon + 1, attr.size() - (colon + 1 - attr_start)) : attr, *value});
    }
    if (HasDuplicate()) return fail("duplicate attribute");

    pos_ += i;  // before the callbacks: a Stop() from them leaves a consistent state
    seen_root_ = true;
    open_names_.append(name);
    open_lengths_.push_back(static_cast<uint32_t>(name.size()));
    handler_->OnStart(*this, local, attrs_);
    if (empty_element && !stopped_) {
      Pop();
      handler_->OnEnd(*this, local);
    }
    return !stopped_;
  }

  // Whether two attributes of the tag just parsed share a name: pairwise for the usual handful,
  // sorted for a long list so that a hostile tag with thousands of attributes stays cheap.
  bool HasDuplicate() {
    if (raw_names_.size() <= 16) {
      for (size_t a = 1; a < raw_names_.size(); ++a) {
        for (size_t b = 0; b < a; ++b) {
          if (raw_names_[a] == raw_names_[b]) return true;
        }
      }
      return false;
    }
    std::sort(raw_names_.begin(), raw_names_.end());
    return std::adjacent_find(raw_names_.begin(), raw_names_.end()) != raw_names_.end();
  }

  void EndTag(std::string_view name) {
    while (!name.empty() && IsSpace(name.back())) name.remove_suffix(1);
    if (depth() == 0 || name != Top()) {
      return Fail(pos_, depth() == 0 ? "end tag outside the root element" : "mismatched tag");
    }
    Pop();
    handler_->OnEnd(*this, LocalName(name));
  }

  void Pop() {
    open_names_.resize(open_names_.size() - open_lengths_.back());
    open_lengths_.pop_back();
  }

  static bool ValidName(std::string_view name) {
    if (name.empty()) return false;
    char first = name[0];
    if ((first >= '0' && first <= '9') || first == '-' || first == '.') return false;
    for (char c : name) {
      if (c == '<' || c == '>' || c == '&' || c == '"' || c == '\'' || c == '=' || c == '/' ||
          static_cast<unsigned char>(c) < 0x20) {
        return false;
      }
    }
    return true;
  }

  // An attribute value with references decoded and white space normalised to spaces (XML's rule
  // for attributes), in scratch_.
  std::optional<std::string_view> DecodeAttrValue(std::string_view raw) {
    size_t begin = scratch_.size();
    for (size_t i = 0; i < raw.size(); ++i) {
      char c = raw[i];
      if (c == '&') {
        size_t used = DecodeReference(raw.substr(i), &scratch_);
        if (used == 0) return std::nullopt;
        i += used - 1;
      } else if (c == '\r') {
        scratch_.push_back(' ');
        if (i + 1 < raw.size() && raw[i + 1] == '\n') ++i;
      } else {
        scratch_.push_back(c == '\t' || c == '\n' ? ' ' : c);
      }
    }
    std::string_view value = std::string_view(scratch_).substr(begin);
    if (!IsXmlText(value)) return std::nullopt;
    return value;
  }

  void Text(size_t begin, size_t end) {
    std::string_view text(buf_.data() + begin, end - begin);
    if (depth() == 0) {
      for (char c : text) {
        if (!IsSpace(c))
          return Fail(begin,
                      seen_root_ ? "junk after document element" : "text before the root element");
      }
      return;
    }
    Deliver(text, /*raw=*/false, begin);
  }

  // Text inside the root: checked (references always, characters when delivered) and, when the
  // handler wants it, decoded and handed on.
  void Deliver(std::string_view text, bool raw, size_t at) {
    bool has_amp = !raw && std::memchr(text.data(), '&', text.size()) != nullptr;
    if (!want_text_) {
      if (!has_amp) return;
      // Not kept, but an undefined entity is still an error, as in expat.
      std::string sink;
      for (size_t i = text.find('&'); i != std::string_view::npos; i = text.find('&', i + 1)) {
        sink.clear();
        if (DecodeReference(text.substr(i), &sink) == 0) return Fail(at, "undefined entity");
      }
      return;
    }
    // One pass: does it need decoding, is it plain ASCII without control characters?
    bool needs_decoding = false, ascii = true;
    for (char ch : text) {
      auto c = static_cast<unsigned char>(ch);
      if (c < 0x20) {
        if (c == '\r')
          needs_decoding = true;
        else if (c != '\t' && c != '\n')
          return Fail(at, "invalid character");
      } else if (c >= 0x80) {
        ascii = false;
      }
    }
    needs_decoding = needs_decoding || has_amp;
    if (!needs_decoding) {
      if (!ascii && !IsXmlText(text)) return Fail(at, "invalid character");
      handler_->OnText(*this, text);
      return;
    }
    text_.clear();
    for (size_t i = 0; i < text.size(); ++i) {
      char c = text[i];
      if (c == '&' && !raw) {
        size_t used = DecodeReference(text.substr(i), &text_);
        if (used == 0) return Fail(at, "undefined entity");
        i += used - 1;
      } else if (c == '\r') {
        text_.push_back('\n');
        if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
      } else {
        text_.push_back(c);
      }
    }
    if (!IsXmlText(text_)) return Fail(at, "invalid character");
    handler_->OnText(*this, text_);
  }

  std::string buf_;  // input not yet scanned (after Compact, from the current token on)
  size_t pos_ = 0;
  int64_t lines_before_ = 0;
  bool started_ = false;
  bool seen_root_ = false;
  std::string open_names_;  // the open elements' names, concatenated
  std::vector<uint32_t> open_lengths_;
  std::vector<XmlAttr> attrs_;
  std::vector<std::string_view> raw_names_;  // prefixed names, for the duplicate check
  std::string scratch_;                      // decoded attribute values of the current tag
  std::string text_;                         // decoded text
};

}  // namespace

std::unique_ptr<XmlParser> MakeFastParser(std::string part, XmlHandler* handler) {
  return std::make_unique<FastParser>(std::move(part), handler);
}

}  // namespace tz::io
