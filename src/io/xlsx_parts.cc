// The small parts of an xlsx, each read once: the package and workbook relationships, workbook.xml
// (sheet names, date system), styles.xml (which cell styles are dates) and sharedStrings.xml.
#include <algorithm>
#include <charconv>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "base/strings.h"
#include "io/xlsx_reader.h"

namespace tz::io {
namespace {

// "xl/" for "xl/workbook.xml", "" for "[Content_Types].xml".
std::string PartDir(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string() : std::string(path.substr(0, slash + 1));
}

}  // namespace

bool IsBuiltinDateFormat(int id) {
  return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
         (id >= 50 && id <= 58);
}

bool IsDateFormatCode(std::string_view code) {
  for (size_t i = 0; i < code.size(); ++i) {
    char c = code[i];
    switch (c) {
      case '"': {  // literal text: "年"
        size_t close = code.find('"', i + 1);
        if (close == std::string_view::npos) return false;
        i = close;
        break;
      }
      case '\\':  // an escaped literal character
      case '_':   // a space as wide as the next character
      case '*':   // the next character repeated to fill the cell
        ++i;
        break;
      case '[': {
        size_t close = code.find(']', i + 1);
        if (close == std::string_view::npos) return false;
        std::string_view inside = code.substr(i + 1, close - i - 1);
        // Elapsed time ([h]:mm, [mm]:ss) is a time; colours, conditions and locales are not.
        if (!inside.empty() && inside.find_first_not_of("hHmMsS") == std::string_view::npos) {
          return true;
        }
        i = close;
        break;
      }
      case 'y':
      case 'Y':
      case 'm':
      case 'M':
      case 'd':
      case 'D':
      case 'h':
      case 'H':
      case 's':
      case 'S':
        return true;
      default:
        break;
    }
  }
  return false;
}

bool ParseUint(std::string_view s, uint64_t* out) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  if (s.empty()) return false;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && end == s.data() + s.size();
}

void DecodeXmlEscapes(std::string* s) {
  if (s->find("_x") == std::string::npos) return;
  std::string out;
  out.reserve(s->size());
  for (size_t i = 0; i < s->size();) {
    uint64_t cp = 0;
    if (i + 7 <= s->size() && (*s)[i] == '_' && (*s)[i + 1] == 'x' && (*s)[i + 6] == '_') {
      auto [end, ec] = std::from_chars(s->data() + i + 2, s->data() + i + 6, cp, 16);
      if (ec == std::errc() && end == s->data() + i + 6 && cp != 0 &&
          !(cp >= 0xD800 && cp <= 0xDFFF)) {
        AppendUtf8(static_cast<uint32_t>(cp), &out);
        i += 7;
        continue;
      }
    }
    out.push_back((*s)[i++]);
  }
  s->swap(out);
}

std::string ResolveTarget(std::string_view base_dir, std::string_view target) {
  std::string joined = !target.empty() && target.front() == '/'
                           ? std::string(target.substr(1))
                           : std::string(base_dir) + std::string(target);
  std::vector<std::string_view> parts;
  for (std::string_view seg : Split(joined, '/')) {
    if (seg.empty() || seg == ".") continue;
    if (seg == "..") {
      if (!parts.empty()) parts.pop_back();
      continue;
    }
    parts.push_back(seg);
  }
  std::string out;
  for (std::string_view seg : parts) {
    if (!out.empty()) out.push_back('/');
    out.append(seg);
  }
  return out;
}

Status ParsePart(const ZipArchive& zip, uint64_t index, const std::string& part,
                 XmlHandler* handler, PartSize size) {
  std::unique_ptr<XmlParser> parser;
  TZ_RETURN_IF_ERROR(zip.ReadEntry(index, part, [&](std::string_view chunk) -> Result<bool> {
    if (parser == nullptr) {  // the first chunk shows the encoding
      parser = size == PartSize::kLarge && IsUtf8Document(chunk) ? MakeFastParser(part, handler)
                                                                 : MakeExpatParser(part, handler);
    }
    TZ_RETURN_IF_ERROR(parser->Feed(chunk));
    return !parser->stopped();
  }));
  if (parser == nullptr) parser = MakeExpatParser(part, handler);  // an empty part
  if (parser->stopped()) return parser->Feed({});  // the handler's verdict (OK for an early stop)
  return parser->Finish();
}

namespace {

// Bounds on what the small parts may list, so that memory stays small whatever they claim.
// Real workbooks stay far below: Excel allows 64,000 cell formats; sheets need a zip entry each.
constexpr size_t kMaxRelationships = 100000;
constexpr size_t kMaxSheets = 10000;
constexpr size_t kMaxCellFormats = 1000000;

Status TooManyItems(const XmlParser& parser, const char* what_en, size_t limit) {
  return Status::InvalidArgument(
      "文件结构异常（" + parser.part() +
          " 中的条目过多），不像正常的 Excel 文件，请重新保存后再导入",
      parser.part() + " lists more than " + std::to_string(limit) + " " + what_en);
}

class RelsHandler : public XmlHandler {
 public:
  std::unordered_map<std::string, Relationship> rels;

  void OnStart(XmlParser& parser, std::string_view name, XmlAttrs attrs) override {
    if (name != "Relationship") return;
    if (rels.size() >= kMaxRelationships)
      return parser.Stop(TooManyItems(parser, "relationships", kMaxRelationships));
    auto id = FindAttr(attrs, "Id");
    auto target = FindAttr(attrs, "Target");
    if (!id || !target) return;
    std::string_view type = FindAttr(attrs, "Type").value_or("");
    Relationship& rel = rels[std::string(*id)];
    rel.type = std::string(type.substr(type.rfind('/') + 1));
    rel.target = std::string(*target);
    rel.external = FindAttr(attrs, "TargetMode") == "External";
  }
  void OnEnd(XmlParser&, std::string_view) override {}
};

class WorkbookHandler : public XmlHandler {
 public:
  struct SheetEntry {
    std::string name;
    std::string rel_id;
  };
  std::vector<SheetEntry> sheets;
  bool date1904 = false;

  void OnStart(XmlParser& parser, std::string_view name, XmlAttrs attrs) override {
    if (name == "workbookPr") {
      auto v = FindAttr(attrs, "date1904");
      date1904 = v == "1" || v == "true";
    } else if (name == "sheets") {
      in_sheets_ = true;
    } else if (name == "sheet" && in_sheets_) {
      if (sheets.size() >= kMaxSheets)
        return parser.Stop(TooManyItems(parser, "sheets", kMaxSheets));
      sheets.push_back({std::string(FindAttr(attrs, "name").value_or("")),
                        std::string(FindAttr(attrs, "id").value_or(""))});  // r:id
    }
  }
  void OnEnd(XmlParser&, std::string_view name) override {
    if (name == "sheets") in_sheets_ = false;
  }

 private:
  bool in_sheets_ = false;
};

// For each cell style (cellXfs index), whether it shows a date.
class StylesHandler : public XmlHandler {
 public:
  std::vector<uint8_t> DateStyles() const {
    std::vector<uint8_t> out;
    out.reserve(xf_formats_.size());
    for (int id : xf_formats_) {
      auto custom = custom_formats_.find(id);
      out.push_back(custom != custom_formats_.end() ? custom->second : IsBuiltinDateFormat(id));
    }
    return out;
  }

  void OnStart(XmlParser& parser, std::string_view name, XmlAttrs attrs) override {
    if (name == "numFmt") {
      auto id = FindAttr(attrs, "numFmtId");
      auto code = FindAttr(attrs, "formatCode");
      uint64_t n;
      if (id && code && ParseUint(*id, &n) && n < 100000) {
        custom_formats_[static_cast<int>(n)] = IsDateFormatCode(*code);
      }
    } else if (name == "cellXfs") {
      in_cell_xfs_ = true;
    } else if (name == "xf" && in_cell_xfs_) {
      if (xf_formats_.size() >= kMaxCellFormats) {
        return parser.Stop(TooManyItems(parser, "cell formats", kMaxCellFormats));
      }
      auto id = FindAttr(attrs, "numFmtId");
      uint64_t n = 0;
      if (!id || !ParseUint(*id, &n) || n >= 100000) n = 0;
      xf_formats_.push_back(static_cast<int>(n));
    }
  }
  void OnEnd(XmlParser&, std::string_view name) override {
    if (name == "cellXfs") in_cell_xfs_ = false;
  }

 private:
  bool in_cell_xfs_ = false;
  std::unordered_map<int, bool> custom_formats_;
  std::vector<int> xf_formats_;
};

Status TooMuchText(uint64_t limit) {
  return Status::InvalidArgument(
      "文件中的文字总量过大（超过 " + std::to_string(limit >> 20) + " MB），请分成几个文件导入",
      "shared strings exceed " + std::to_string(limit) + " bytes");
}

class SharedStringsHandler : public XmlHandler {
 public:
  SharedStringsHandler(SharedStrings* out, uint64_t max_bytes) : out_(out), max_bytes_(max_bytes) {}

  void OnStart(XmlParser& parser, std::string_view name, XmlAttrs attrs) override {
    if (name == "si") {
      in_si_ = true;
      current_.clear();
    } else if (name == "t" && in_si_ && phonetic_depth_ == 0) {
      parser.WantText(true);
    } else if (name == "rPh") {
      ++phonetic_depth_;  // the pinyin/furigana guide above the text, not the text
    } else if (name == "sst") {
      auto count = FindAttr(attrs, "uniqueCount");
      uint64_t n;
      // A hint only, and capped: the attribute is the file's word, not a measurement.
      if (count && ParseUint(*count, &n)) {
        out_->Reserve(static_cast<size_t>(std::min<uint64_t>(n, 1u << 20)));
      }
    }
  }
  void OnEnd(XmlParser& parser, std::string_view name) override {
    if (name == "t") {
      parser.WantText(false);
    } else if (name == "rPh") {
      if (phonetic_depth_ > 0) --phonetic_depth_;
    } else if (name == "si") {
      in_si_ = false;
      if (out_->bytes() + current_.size() + sizeof(uint64_t) > max_bytes_) {
        parser.Stop(TooMuchText(max_bytes_));
        return;
      }
      DecodeXmlEscapes(&current_);
      out_->Add(current_);
    }
  }
  void OnText(XmlParser& parser, std::string_view text) override {
    if (out_->bytes() + current_.size() + text.size() > max_bytes_) {
      parser.Stop(TooMuchText(max_bytes_));
      return;
    }
    current_.append(text);
  }

 private:
  SharedStrings* out_;
  uint64_t max_bytes_;
  bool in_si_ = false;
  int phonetic_depth_ = 0;
  std::string current_;
};

}  // namespace

Result<Relationships> ReadRelationships(const ZipArchive& zip, const std::string& part) {
  std::string dir = PartDir(part);
  std::string rels_part = dir + "_rels/" + part.substr(dir.size()) + ".rels";
  RelsHandler handler;
  if (std::optional<uint64_t> entry = zip.Find(rels_part)) {
    TZ_RETURN_IF_ERROR(ParsePart(zip, *entry, rels_part, &handler));
  }
  return std::move(handler.rels);
}

Result<WorkbookInfo> ReadWorkbookInfo(const ZipArchive& zip) {
  // The package's own relationships name the workbook part; it is xl/workbook.xml everywhere
  // we have seen, which is also the fallback.
  std::string workbook_part = "xl/workbook.xml";
  TZ_ASSIGN_OR_RETURN(Relationships package_rels, ReadRelationships(zip, ""));
  for (const auto& [id, rel] : package_rels) {
    if (rel.type == "officeDocument" && !rel.external) {
      std::string target = ResolveTarget("", rel.target);
      if (zip.Find(target)) workbook_part = target;
    }
  }
  std::optional<uint64_t> entry = zip.Find(workbook_part);
  if (!entry) {
    return Status::InvalidArgument(
        "不是 Excel 工作簿（文件中没有 xl/workbook.xml，可能是 Word 等其他格式的文件），"
        "请用 Excel 或 WPS 另存为 .xlsx 后再导入",
        "zip has no " + workbook_part);
  }
  WorkbookHandler workbook;
  TZ_RETURN_IF_ERROR(ParsePart(zip, *entry, workbook_part, &workbook));
  if (workbook.sheets.empty()) {
    return Status::InvalidArgument("工作簿中没有工作表，请检查文件后再导入",
                                   workbook_part + " lists no sheets");
  }
  TZ_ASSIGN_OR_RETURN(Relationships rels, ReadRelationships(zip, workbook_part));
  std::string dir = PartDir(workbook_part);
  WorkbookInfo info;
  info.date1904 = workbook.date1904;
  for (auto& sheet : workbook.sheets) {
    info.sheet_names.push_back(std::move(sheet.name));
    auto rel = rels.find(sheet.rel_id);
    info.sheet_parts.push_back(rel == rels.end() || rel->second.external
                                   ? std::string()
                                   : ResolveTarget(dir, rel->second.target));
  }
  info.shared_strings_part = dir + "sharedStrings.xml";
  info.styles_part = dir + "styles.xml";
  for (const auto& [id, rel] : rels) {
    if (rel.external) continue;
    if (rel.type == "sharedStrings") info.shared_strings_part = ResolveTarget(dir, rel.target);
    if (rel.type == "styles") info.styles_part = ResolveTarget(dir, rel.target);
  }
  return info;
}

Result<std::vector<uint8_t>> ReadDateStyles(const ZipArchive& zip, const std::string& part) {
  StylesHandler styles;
  if (std::optional<uint64_t> entry = zip.Find(part)) {
    TZ_RETURN_IF_ERROR(ParsePart(zip, *entry, part, &styles));
  }
  return styles.DateStyles();
}

Status ReadSharedStrings(const ZipArchive& zip, const std::string& part, uint64_t max_bytes,
                         SharedStrings* out) {
  std::optional<uint64_t> entry = zip.Find(part);
  if (!entry) return Status::Ok();
  SharedStringsHandler handler(out, max_bytes);
  return ParsePart(zip, *entry, part, &handler, PartSize::kLarge);
}

}  // namespace tz::io
