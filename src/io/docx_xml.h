// Internal to src/io: shared by docx_document.cc and docx_references.cc (the scan for external
// references); not for other layers. expat is a private dependency of tz_io, so only .cc files of
// tz_io may include this.
#ifndef TAIZHANG_IO_DOCX_XML_H_
#define TAIZHANG_IO_DOCX_XML_H_

#include <expat.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "base/result.h"

namespace tz::io::docx_internal {

// Everything that costs bookkeeping: paragraphs, w:t elements, the elements that can hold
// paragraphs (cells, content controls…, counted even when empty, as each costs while open),
// bookmarks and field starts inside paragraphs, relationships. A 500-page report has some
// 100,000; the cap keeps a hostile part of a few million tiny <w:p/>, <w:t/> or <w:tc/> from
// costing a gigabyte (~100 bytes each).
inline constexpr size_t kMaxRecords = 1'000'000;
// Open elements. Real documents stay under 100 even with tables in tables; expat keeps some 150
// bytes per open element, so 4 million nested <a> (12 MB) would cost 600 MB.
inline constexpr size_t kMaxDepth = 1000;
// Bytes of a link target or field code shown by ExternalReference.
inline constexpr size_t kMaxShown = 100;
inline constexpr size_t npos = std::string::npos;
inline constexpr char kSep = ' ';  // between namespace and local name; URIs hold no spaces

// External hyperlink relationships of one part: id to target.
using Links = std::unordered_map<std::string, std::string>;

inline bool OneOf(std::string_view s, std::initializer_list<std::string_view> list) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

// (namespace URI, local name) of an expat NS name "uri local"; no URI for an unqualified one.
inline std::pair<std::string_view, std::string_view> SplitName(const char* raw) {
  std::string_view name(raw);
  size_t sep = name.find(kSep);
  if (sep == std::string_view::npos) return {{}, name};
  return {name.substr(0, sep), name.substr(sep + 1)};
}

// One part through expat, namespaces resolved ("uri local"). Refuses a DTD or an entity
// declaration (a docx never needs one; it is how XML bombs and external entities get in, as in
// xml_stream) and nesting deeper than kMaxDepth; Count1 counts records against kMaxRecords over
// all the parts that share `records`.
class ExpatRun {
 public:
  ExpatRun(const std::string& part_name, size_t& records)
      : part_name_(part_name), records_(records) {}
  virtual ~ExpatRun() = default;

  Status Parse(const std::string& bytes) {
    std::unique_ptr<XML_ParserStruct, void (*)(XML_Parser)> parser(
        XML_ParserCreateNS(nullptr, kSep), XML_ParserFree);
    if (!parser) return Status::Internal("内存不足，无法读取文件", "XML_ParserCreateNS failed");
    parser_ = parser.get();
    XML_SetUserData(parser_, this);
    XML_SetElementHandler(parser_, &Start, &End);
    XML_SetCharacterDataHandler(parser_, &Text);
    XML_SetStartDoctypeDeclHandler(parser_,
                                   [](void* self, const char*, const char*, const char*, int) {
                                     static_cast<ExpatRun*>(self)->Refuse("DOCTYPE");
                                   });
    XML_SetEntityDeclHandler(parser_, [](void* self, const char*, int, const char*, int,
                                         const char*, const char*, const char*, const char*) {
      static_cast<ExpatRun*>(self)->Refuse("entity declaration");
    });
    XML_SetParamEntityParsing(parser_, XML_PARAM_ENTITY_PARSING_NEVER);
    if (XML_Parse(parser_, bytes.data(), static_cast<int>(bytes.size()), XML_TRUE) !=
            XML_STATUS_OK &&
        status_.ok()) {
      int64_t line = static_cast<int64_t>(XML_GetCurrentLineNumber(parser_));
      status_ = Status::InvalidArgument(
          "文件内容损坏（" + part_name_ + " 第 " + std::to_string(line) +
              " 行 XML 格式错误），请用 Word 或 WPS 重新保存后再试",
          "malformed XML in " + part_name_ + " at line " + std::to_string(line) + ": " +
              XML_ErrorString(XML_GetErrorCode(parser_)));
    }
    parser_ = nullptr;
    return status_;
  }

 protected:
  // `depth_` elements are open around the one starting or ending.
  virtual void OnStart(const char* raw, const char** atts) = 0;
  virtual void OnEnd(const char* raw) = 0;
  virtual void OnText(std::string_view text) {}

  size_t Index() const { return static_cast<size_t>(XML_GetCurrentByteIndex(parser_)); }
  size_t Count() const { return static_cast<size_t>(XML_GetCurrentByteCount(parser_)); }

  void Stop(Status why) {
    if (!status_.ok()) return;
    status_ = std::move(why);
    XML_StopParser(parser_, XML_FALSE);
  }
  bool Count1() {
    if (++records_ <= kMaxRecords) return true;
    Stop(Status::InvalidArgument("文档内容过多或结构异常（段落和文字片段超过 " +
                                     std::to_string(kMaxRecords) + " 个），出于安全原因拒绝读取",
                                 part_name_ + " exceeds the record limit"));
    return false;
  }

  const std::string& part_name_;
  Status status_;
  size_t depth_ = 0;

 private:
  void Refuse(const std::string& what) {
    int64_t line = static_cast<int64_t>(XML_GetCurrentLineNumber(parser_));
    Stop(Status::InvalidArgument(
        "文档包含 DTD/实体声明，出于安全原因拒绝读取",
        what + " in " + part_name_ + " at line " + std::to_string(line) + ", refused"));
  }

  static void Start(void* self, const char* raw, const char** atts) {
    auto* p = static_cast<ExpatRun*>(self);
    if (!p->status_.ok()) return;
    if (p->depth_ >= kMaxDepth) {
      p->Stop(Status::InvalidArgument(
          "文档结构异常（" + p->part_name_ + " 的元素嵌套超过 " + std::to_string(kMaxDepth) +
              " 层），出于安全原因拒绝读取",
          p->part_name_ + " nests elements deeper than " + std::to_string(kMaxDepth)));
      return;
    }
    p->OnStart(raw, atts);
    ++p->depth_;
  }
  static void End(void* self, const char* raw) {
    auto* p = static_cast<ExpatRun*>(self);
    if (!p->status_.ok()) return;
    --p->depth_;
    p->OnEnd(raw);
  }
  static void Text(void* self, const char* text, int len) {
    auto* p = static_cast<ExpatRun*>(self);
    if (p->status_.ok()) p->OnText(std::string_view(text, static_cast<size_t>(len)));
  }

  size_t& records_;
  XML_Parser parser_ = nullptr;
};

// In docx_references.cc:

// `s` fit to show a cadre in one line: valid UTF-8, control and bidirectional-override characters
// (which could make a link read as something else) as spaces, trimmed, at most kMaxShown bytes
// with "…" after a cut.
std::string Clip(std::string_view s);

// What ExternalReference says of an external relationship of `type` to `target`.
std::string DescribeRel(std::string_view type, std::string_view target);

// The part whose relationships a .rels part holds, lower case: "word/document.xml" for
// "word/_rels/document.xml.rels", "" for the package's own "_rels/.rels"; nullopt for a name of
// another form (no program looks at it).
std::optional<std::string> RelsSource(const std::string& name);

// The target of an external hyperlink in `links` that the element `local` refers to other than as
// a hyperlink. LibreOffice looks a relationship up by its id whatever its type, so a picture
// (<a:blip r:link>, <v:imagedata o:relid>) pointing at a "hyperlink" would load it.
const std::string* MisusedLink(std::string_view local, const char** atts, const Links& links);

// Reads the .rels part `name` with RelsParser (see there): the first external relationship that is
// not a hyperlink to `external` (when still empty), external hyperlinks to `links`.
Status ScanRels(const std::string& name, const std::string& bytes, size_t& records,
                std::optional<std::string>& external, Links& links);

// Reads a part that is not one of the paragraphs' with LinkScan (see there): the target of the
// first of `links` it uses other than as a hyperlink, or null.
Result<const std::string*> ScanLinks(const std::string& name, const std::string& bytes,
                                     size_t& records, const Links& links);

}  // namespace tz::io::docx_internal

#endif  // TAIZHANG_IO_DOCX_XML_H_
