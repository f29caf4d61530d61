// The parser interface, the encoding check and the expat parser (see xml_stream.h).
#include "io/xml_stream.h"

#include <expat.h>

#include <algorithm>
#include <cctype>
#include <climits>
#include <vector>

namespace tz::io {

std::string_view LocalName(std::string_view name) {
  size_t colon = name.rfind(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

std::optional<std::string_view> FindAttr(XmlAttrs attrs, std::string_view name) {
  for (const XmlAttr& a : attrs) {
    if (a.name == name) return a.value;
  }
  return std::nullopt;
}

void XmlParser::Stop(Status why) {
  if (stopped_) return;
  stopped_ = true;
  status_ = std::move(why);
  OnStop();
}

Status XmlParser::Malformed(int64_t line, const std::string& detail) const {
  return Status::InvalidArgument(
      "文件内容损坏（" + part_ + " 第 " + std::to_string(line) +
          " 行 XML 格式错误），请重新保存后再导入",
      "malformed XML in " + part_ + " at line " + std::to_string(line) + ": " + detail);
}

Status XmlParser::DtdRefused(int64_t line, const std::string& what) const {
  return Status::InvalidArgument(
      "文件包含 DTD/实体声明，出于安全原因拒绝读取",
      what + " in " + part_ + " at line " + std::to_string(line) + ", refused");
}

bool IsUtf8Document(std::string_view head) {
  if (head.size() >= 2 &&
      ((head[0] == '\xFE' && head[1] == '\xFF') || (head[0] == '\xFF' && head[1] == '\xFE'))) {
    return false;
  }
  if (!head.empty() && head[0] == '\0') return false;  // UTF-16 or UTF-32 without a mark
  if (head.size() >= 3 && head.substr(0, 3) == "\xEF\xBB\xBF") head.remove_prefix(3);
  if (head.substr(0, 5) != "<?xml") return true;
  std::string_view decl = head.substr(0, head.find("?>"));
  size_t at = decl.find("encoding");
  if (at == std::string_view::npos) return true;
  size_t quote = decl.find_first_of("\"'", at);
  if (quote == std::string_view::npos) return false;
  size_t close = decl.find(decl[quote], quote + 1);
  if (close == std::string_view::npos) return false;
  std::string name(decl.substr(quote + 1, close - quote - 1));
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name == "utf-8" || name == "utf8";
}

// ---------------------------------------------------------------------------------------------
// expat.

namespace {

class ExpatParser : public XmlParser {
 public:
  ExpatParser(std::string part, XmlHandler* handler) : XmlParser(std::move(part), handler) {
    // No encoding override: the document's declaration decides (UTF-16 is allowed); expat hands
    // us UTF-8 either way.
    parser_ = XML_ParserCreate(nullptr);
    if (parser_ == nullptr) {
      stopped_ = true;
      status_ = Status::Internal("内存不足，无法读取文件", "XML_ParserCreate failed");
      return;
    }
    XML_SetUserData(parser_, this);
    XML_SetElementHandler(parser_, &StartThunk, &EndThunk);
    XML_SetCharacterDataHandler(parser_, &TextThunk);
    XML_SetStartDoctypeDeclHandler(parser_, &DoctypeThunk);
    XML_SetEntityDeclHandler(parser_, &EntityThunk);
    // Belt and braces: never read external or parameter entities even if a declaration slipped
    // by (we set no external entity handler either, so none is ever loaded).
    XML_SetParamEntityParsing(parser_, XML_PARAM_ENTITY_PARSING_NEVER);
  }
  ~ExpatParser() override {
    if (parser_ != nullptr) XML_ParserFree(parser_);
  }

  Status Feed(std::string_view data) override { return Parse(data.data(), data.size(), false); }
  Status Finish() override { return Parse("", 0, true); }

 private:
  void OnStop() override { XML_StopParser(parser_, XML_FALSE); }

  int64_t line() const { return static_cast<int64_t>(XML_GetCurrentLineNumber(parser_)); }

  // expat may deliver a callback or two after XML_StopParser; the thunks drop them.
  static void StartThunk(void* self, const char* name, const char** atts) {
    auto* p = static_cast<ExpatParser*>(self);
    if (p->stopped_) return;
    p->attrs_.clear();
    for (; atts[0] != nullptr; atts += 2) p->attrs_.push_back({LocalName(atts[0]), atts[1]});
    p->handler_->OnStart(*p, LocalName(name), p->attrs_);
  }
  static void EndThunk(void* self, const char* name) {
    auto* p = static_cast<ExpatParser*>(self);
    if (!p->stopped_) p->handler_->OnEnd(*p, LocalName(name));
  }
  static void TextThunk(void* self, const char* text, int len) {
    auto* p = static_cast<ExpatParser*>(self);
    if (!p->stopped_ && p->want_text_) {
      p->handler_->OnText(*p, std::string_view(text, static_cast<size_t>(len)));
    }
  }
  static void DoctypeThunk(void* self, const char*, const char*, const char*, int) {
    auto* p = static_cast<ExpatParser*>(self);
    p->Stop(p->DtdRefused(p->line(), "DOCTYPE"));
  }
  static void EntityThunk(void* self, const char*, int, const char*, int, const char*, const char*,
                          const char*, const char*) {
    auto* p = static_cast<ExpatParser*>(self);
    p->Stop(p->DtdRefused(p->line(), "entity declaration"));
  }

  Status Parse(const char* data, size_t size, bool final) {
    if (stopped_) return status_;
    do {
      int piece = static_cast<int>(std::min<size_t>(size, INT_MAX));
      bool last = final && static_cast<size_t>(piece) == size;
      if (XML_Parse(parser_, data, piece, last ? XML_TRUE : XML_FALSE) != XML_STATUS_OK) {
        if (stopped_) return status_;  // stopped by us: XML_ERROR_ABORTED
        stopped_ = true;
        status_ = Malformed(line(), XML_ErrorString(XML_GetErrorCode(parser_)));
        return status_;
      }
      if (stopped_) return status_;
      data += piece;
      size -= static_cast<size_t>(piece);
    } while (size > 0);
    return Status::Ok();
  }

  XML_Parser parser_ = nullptr;
  std::vector<XmlAttr> attrs_;
};

}  // namespace

std::unique_ptr<XmlParser> MakeExpatParser(std::string part, XmlHandler* handler) {
  return std::make_unique<ExpatParser>(std::move(part), handler);
}

}  // namespace tz::io
