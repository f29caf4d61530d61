// Push XML parsers for the parts of an xlsx, fed in chunks so that no part is ever held whole.
// Both refuse any DOCTYPE or entity declaration outright: an xlsx never needs one, and they are
// how XML attacks (billion laughs, external entities reading local files) get in.
//
// Two implementations behind one interface:
//  - expat (MakeExpatParser), for the small parts and for any document not in UTF-8;
//  - a small scanner of our own (MakeFastParser) for the parts that grow with the data, sheets
//    and shared strings. expat tops out near 130 MB/s on our machines, so 100,000 rows (60 MB
//    of sheet XML) took over a second in expat alone; the scanner does the same well-formedness
//    checks that matter here (tags balanced, one root, attributes quoted and unique, entity and
//    character references valid, delivered text valid UTF-8 without control characters) several
//    times faster. It has no DTD support at all: "<!DOCTYPE" is refused like expat's handler does.
// xlsx_hostile_test runs both on the same documents and expects the same events and verdicts.
// expat stays inside xml_stream.cc.
#ifndef TAIZHANG_IO_XML_STREAM_H_
#define TAIZHANG_IO_XML_STREAM_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "base/status.h"

namespace tz::io {

// Element and attribute names arrive as local names, the namespace prefix cut off ("x:row" is
// "row", "r:id" is "id"): xlsx writers differ in the prefixes they use, never in local names.
// Values have their entity and character references decoded. The views are valid only during
// the callback.
struct XmlAttr {
  std::string_view name;
  std::string_view value;
};
using XmlAttrs = std::span<const XmlAttr>;

// "row" for "x:row".
std::string_view LocalName(std::string_view name);

// The value of the attribute whose local name is `name`.
std::optional<std::string_view> FindAttr(XmlAttrs attrs, std::string_view name);

class XmlParser;

class XmlHandler {
 public:
  virtual ~XmlHandler() = default;
  // `parser` is the parser calling: handlers use it to Stop() or to switch WantText().
  virtual void OnStart(XmlParser& parser, std::string_view name, XmlAttrs attrs) = 0;
  virtual void OnEnd(XmlParser& parser, std::string_view name) = 0;
  // Text between tags, in pieces (references decoded, line ends normalised to \n); only called
  // while WantText() is on.
  virtual void OnText(XmlParser& parser, std::string_view text) {}
};

class XmlParser {
 public:
  virtual ~XmlParser() = default;
  XmlParser(const XmlParser&) = delete;
  XmlParser& operator=(const XmlParser&) = delete;

  // Parses the next piece of the document. After an error or a Stop() it keeps returning the
  // same result. Errors (InvalidArgument): malformed XML ("文件内容损坏（PART 第 N 行 XML 格式
  // 错误）…"), a DTD or entity declaration, or what the handler passed to Stop().
  virtual Status Feed(std::string_view data) = 0;
  // The end of the document: checks that it is complete.
  virtual Status Finish() = 0;

  // For the handler, from inside a callback: stops parsing. An OK `why` is a clean early stop
  // (stopped() tells it apart); otherwise Feed returns `why`.
  void Stop(Status why);
  bool stopped() const { return stopped_; }

  // Whether OnText is called: handlers turn it on only inside elements whose text they keep,
  // which spares decoding and a callback for every run of whitespace.
  void WantText(bool on) { want_text_ = on; }

  const std::string& part() const { return part_; }

 protected:
  XmlParser(std::string part, XmlHandler* handler) : part_(std::move(part)), handler_(handler) {}
  virtual void OnStop() {}

  Status Malformed(int64_t line, const std::string& detail) const;
  Status DtdRefused(int64_t line, const std::string& what) const;

  std::string part_;
  XmlHandler* handler_;
  bool stopped_ = false;
  bool want_text_ = false;
  Status status_;
};

// `part` names the xlsx part in messages ("xl/worksheets/sheet1.xml").
std::unique_ptr<XmlParser> MakeExpatParser(std::string part, XmlHandler* handler);
std::unique_ptr<XmlParser> MakeFastParser(std::string part, XmlHandler* handler);  // xml_scanner.cc

// True when a document starting with `head` (its first bytes, a few hundred are enough) is UTF-8:
// no UTF-16 byte order mark and no XML declaration naming another encoding.
bool IsUtf8Document(std::string_view head);

}  // namespace tz::io

#endif  // TAIZHANG_IO_XML_STREAM_H_
