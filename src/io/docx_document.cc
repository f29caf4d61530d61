#include "io/docx_document.h"

#include <expat.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <optional>
#include <utility>

#include "base/strings.h"
#include "io/xml_stream.h"
#include "io/zip_archive.h"
#include "io/zip_writer.h"

namespace tz::io {

// One w:t: byte offsets into its part, and its current text.
struct DocxDocument::Piece {
  size_t begin = 0;        // '<' of the start tag
  size_t content = 0;      // just after the start tag
  size_t content_end = 0;  // '<' of the end tag; == content for <w:t/>
  bool empty_tag = false;  // <w:t/>: no content, no end tag
  bool preserve = false;   // has xml:space="preserve"
  bool changed = false;
  std::string text;
};

struct DocxDocument::Para {
  size_t part = 0;
  size_t begin = 0, end = 0;  // the element, start tag to end tag
  size_t container = 0;
  bool fixed = false;  // holds something that must not be deleted
  bool removed = false;
  std::vector<Piece> pieces;
};

// What holds paragraphs: body, table cell, text box, header, footer, note, comment, content
// control. Word repairs a file whose cell does not end with a paragraph, or whose header has none.
struct DocxDocument::Container {
  bool cell = false;
  size_t live = 0;            // paragraphs not removed
  std::vector<size_t> paras;  // its own, not those of a text box inside one of them
};

struct DocxDocument::Part {
  std::string name;
  std::string bytes;
  bool edited = false;
};

namespace {

constexpr uint64_t kMaxTotalBytes = 256u << 20;
// Paragraphs plus w:t elements. A 500-page report has some 100,000; the cap keeps a hostile part
// of a few million tiny <w:p/> or <w:t/> from costing a gigabyte of bookkeeping (~100 bytes each).
constexpr size_t kMaxRecords = 1'000'000;
constexpr size_t npos = std::string::npos;
constexpr char kSep = ' ';  // between namespace and local name; URIs hold no spaces
constexpr std::string_view kW = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
constexpr std::string_view kWStrict = "http://purl.oclc.org/ooxml/wordprocessingml/main";
constexpr std::string_view kMc = "http://schemas.openxmlformats.org/markup-compatibility/2006";
constexpr std::string_view kXmlSpace = "http://www.w3.org/XML/1998/namespace space";

Status NotDocx(std::string log) {
  return Status::InvalidArgument(
      "不是有效的 Word 文档（缺少正文部分 word/document.xml），请用 Word 或 WPS 另存为 .docx "
      "后再试",
      std::move(log));
}

bool OneOf(std::string_view s, std::initializer_list<std::string_view> list) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

// True when byte `at` of `s` starts a UTF-8 character (or is the end).
bool Boundary(const std::string& s, size_t at) {
  return at >= s.size() || (static_cast<unsigned char>(s[at]) & 0xC0) != 0x80;
}

// `in` without invalid UTF-8 and without the characters XML 1.0 cannot hold (controls other
// than tab, newline and carriage return; U+FFFE, U+FFFF).
std::string XmlSafe(std::string_view in) {
  std::string out;
  for (size_t i = 0, start = 0; i < in.size(); start = i) {
    uint32_t cp = 0;
    if (!DecodeUtf8(in, &i, &cp)) {
      ++i;  // dropped with the rest of a malformed sequence
      continue;
    }
    if (cp >= 0x20 ? cp != 0xFFFE && cp != 0xFFFF : cp == 0x9 || cp == 0xA || cp == 0xD) {
      out.append(in.substr(start, i - start));
    }
  }
  return out;
}

std::string Escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    // A literal carriage return would read back as a line feed.
    const char* ref = c == '&'    ? "&amp;"
                      : c == '<'  ? "&lt;"
                      : c == '>'  ? "&gt;"
                      : c == '\r' ? "&#xD;"
                                  : nullptr;
    if (ref != nullptr) {
      out += ref;
    } else {
      out += c;
    }
  }
  return out;
}

bool IsXmlSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Where the paragraphs of a part come in the list: 0 for the body, then headers, footers and
// notes by number; -1 for parts without paragraphs of interest.
std::pair<int, int> PartOrder(const std::string& name) {
  std::string lower = AsciiLower(name);
  if (lower == "word/document.xml") return {0, 0};
  if (lower == "word/footnotes.xml") return {3, 0};
  if (lower == "word/endnotes.xml") return {4, 0};
  for (auto [prefix, rank] : {std::pair{"word/header", 1}, std::pair{"word/footer", 2}}) {
    if (!StartsWith(lower, prefix) || !EndsWith(lower, ".xml")) continue;
    std::string number = lower.substr(11, lower.size() - 15);  // both prefixes have 11 bytes
    if (!number.empty() && number.size() < 7 && number.find_first_not_of("0123456789") == npos) {
      return {rank, std::stoi(number)};
    }
  }
  return {-1, 0};
}

}  // namespace

// Reads one part with expat, namespaces resolved, recording the byte ranges of w:p and w:t.
class DocxDocument::Parser {
 public:
  // `records` counts paragraphs and w:t elements over all parts.
  Parser(DocxDocument& doc, size_t part, size_t& records)
      : doc_(doc), part_(part), records_(records) {}

  Status Run() {
    const std::string& bytes = doc_.parts_[part_].bytes;
    const std::string& name = doc_.parts_[part_].name;
    if (!IsUtf8Document(std::string_view(bytes).substr(0, 512))) {
      return Status::InvalidArgument(
          "文档编码不是 UTF-8（" + name + "），请用 Word 或 WPS 重新保存后再试",
          name + " is not UTF-8");
    }
    std::unique_ptr<XML_ParserStruct, void (*)(XML_Parser)> parser(
        XML_ParserCreateNS(nullptr, kSep), XML_ParserFree);
    if (!parser) return Status::Internal("内存不足，无法读取文件", "XML_ParserCreateNS failed");
    parser_ = parser.get();
    XML_SetUserData(parser_, this);
    XML_SetElementHandler(parser_, &Start, &End);
    XML_SetCharacterDataHandler(parser_, &Text);
    // A docx never needs a DTD; it is how XML bombs and external entities get in (as xml_stream).
    XML_SetStartDoctypeDeclHandler(parser_,
                                   [](void* self, const char*, const char*, const char*, int) {
                                     static_cast<Parser*>(self)->Refuse("DOCTYPE");
                                   });
    XML_SetEntityDeclHandler(parser_, [](void* self, const char*, int, const char*, int,
                                         const char*, const char*, const char*, const char*) {
      static_cast<Parser*>(self)->Refuse("entity declaration");
    });
    XML_SetParamEntityParsing(parser_, XML_PARAM_ENTITY_PARSING_NEVER);
    if (XML_Parse(parser_, bytes.data(), static_cast<int>(bytes.size()), XML_TRUE) !=
            XML_STATUS_OK &&
        status_.ok()) {
      int64_t line = static_cast<int64_t>(XML_GetCurrentLineNumber(parser_));
      status_ =
          Status::InvalidArgument("文件内容损坏（" + name + " 第 " + std::to_string(line) +
                                      " 行 XML 格式错误），请用 Word 或 WPS 重新保存后再试",
                                  "malformed XML in " + name + " at line " + std::to_string(line) +
                                      ": " + XML_ErrorString(XML_GetErrorCode(parser_)));
    }
    return status_;
  }

 private:
  struct Open {  // a paragraph being read
    size_t para;
    std::vector<std::string> bookmarks;  // ids started and not ended in it, or ended unstarted
  };

  size_t Index() const { return static_cast<size_t>(XML_GetCurrentByteIndex(parser_)); }
  size_t Count() const { return static_cast<size_t>(XML_GetCurrentByteCount(parser_)); }

  void Stop(Status why) {
    if (!status_.ok()) return;
    status_ = std::move(why);
    XML_StopParser(parser_, XML_FALSE);
  }
  void Refuse(const std::string& what) {
    int64_t line = static_cast<int64_t>(XML_GetCurrentLineNumber(parser_));
    Stop(Status::InvalidArgument("文档包含 DTD/实体声明，出于安全原因拒绝读取",
                                 what + " in " + doc_.parts_[part_].name + " at line " +
                                     std::to_string(line) + ", refused"));
  }
  bool Count1() {
    if (++records_ <= kMaxRecords) return true;
    Stop(Status::InvalidArgument("文档内容过多或结构异常（段落和文字片段超过 " +
                                     std::to_string(kMaxRecords) + " 个），出于安全原因拒绝读取",
                                 doc_.parts_[part_].name + " exceeds the record limit"));
    return false;
  }

  // (is WordprocessingML, local name) of an expat NS name "uri local".
  static std::pair<int, std::string_view> Split(const char* raw) {
    std::string_view name(raw);
    size_t sep = name.find(kSep);
    if (sep == std::string_view::npos) return {0, name};
    std::string_view uri = name.substr(0, sep);
    int ns = (uri == kW || uri == kWStrict) ? 1 : uri == kMc ? 2 : 0;
    return {ns, name.substr(sep + 1)};
  }
  bool IsContainer(int ns, std::string_view local) const {
    return depth_ == 0 ||
           (ns == 1 && OneOf(local, {"body", "tc", "txbxContent", "hdr", "ftr", "footnote",
                                     "endnote", "comment", "sdtContent"}));
  }
  void FixOpen() {
    for (Open& o : open_) doc_.paras_[o.para].fixed = true;
  }

  static void Start(void* self, const char* raw, const char** atts) {
    auto* p = static_cast<Parser*>(self);
    if (p->status_.ok()) p->OnStart(raw, atts);
  }
  static void End(void* self, const char* raw) {
    auto* p = static_cast<Parser*>(self);
    if (p->status_.ok()) p->OnEnd(raw);
  }
  static void Text(void* self, const char* text, int len) {
    auto* p = static_cast<Parser*>(self);
    if (p->status_.ok() && p->piece_) p->piece_->text.append(text, static_cast<size_t>(len));
  }

  void OnStart(const char* raw, const char** atts) {
    auto [ns, local] = Split(raw);
    if (piece_) {  // WordprocessingML has no markup inside w:t; an edit would lose it
      Stop(Status::InvalidArgument("文档结构异常（" + doc_.parts_[part_].name +
                                       " 的文字中含有标记），请用 Word 或 WPS 重新保存后再试",
                                   "element inside w:t in " + doc_.parts_[part_].name));
      return;
    }
    if (IsContainer(ns, local)) {
      containers_.push_back(doc_.containers_.size());
      doc_.containers_.emplace_back().cell = ns == 1 && local == "tc";
    }
    ++depth_;
    if (ns == 2 && local == "AlternateContent") FixOpen();
    if (ns != 1) return;
    if (local == "p") {
      if (!Count1()) return;
      FixOpen();  // a paragraph inside a paragraph: a text box
      size_t index = doc_.paras_.size();
      Container& c = doc_.containers_[containers_.back()];
      c.paras.push_back(index);
      ++c.live;
      Para& para = doc_.paras_.emplace_back();
      para.part = part_;
      para.begin = Index();
      para.end = Index() + Count();  // stays for <w:p/>
      para.container = containers_.back();
      open_.push_back(Open{index, {}});
    } else if (local == "t" && !open_.empty()) {
      if (!Count1()) return;
      piece_.emplace();
      piece_->begin = Index();
      piece_->content = Index() + Count();
      for (; atts[0] != nullptr; atts += 2) {
        if (atts[0] != kXmlSpace) continue;
        piece_->preserve = std::string_view(atts[1]) == "preserve";
      }
    } else if (local == "bookmarkStart" || local == "bookmarkEnd") {
      if (open_.empty()) return;
      std::string id;
      for (; atts[0] != nullptr; atts += 2) {
        if (Split(atts[0]).second == "id") id = atts[1];
      }
      std::vector<std::string>& marks = open_.back().bookmarks;
      // A start and its end inside the same paragraph cancel out; any other leaves half a bookmark
      // behind if the paragraph goes.
      std::string other = (local == "bookmarkStart" ? "end " : "start ") + id;
      auto it = std::find(marks.begin(), marks.end(), other);
      if (it != marks.end()) {
        marks.erase(it);
      } else {
        marks.push_back((local == "bookmarkStart" ? "start " : "end ") + id);
      }
    } else if (OneOf(local, {"sectPr", "drawing", "pict", "object", "fldChar", "fldSimple",
                             "footnoteReference", "endnoteReference", "commentReference",
                             "commentRangeStart", "commentRangeEnd", "txbxContent"})) {
      FixOpen();
    }
  }

  void OnEnd(const char* raw) {
    auto [ns, local] = Split(raw);
    --depth_;
    if (IsContainer(ns, local)) containers_.pop_back();
    if (ns != 1) return;
    if (local == "t" && piece_) {
      size_t count = Count();  // 0 for the end of <w:t/>
      piece_->empty_tag = count == 0;
      piece_->content_end = count == 0 ? piece_->content : Index();
      doc_.paras_[open_.back().para].pieces.push_back(std::move(*piece_));
      piece_.reset();
    } else if (local == "p" && !open_.empty()) {
      Para& para = doc_.paras_[open_.back().para];
      if (Count() > 0) para.end = Index() + Count();
      if (!open_.back().bookmarks.empty()) para.fixed = true;
      open_.pop_back();
    }
  }

  DocxDocument& doc_;
  size_t part_;
  XML_Parser parser_ = nullptr;
  Status status_;
  size_t depth_ = 0;
  size_t& records_;
  std::vector<size_t> containers_;
  std::vector<Open> open_;
  std::optional<Piece> piece_;  // the w:t being read
};

DocxDocument::DocxDocument() = default;
DocxDocument::~DocxDocument() = default;

Result<std::unique_ptr<DocxDocument>> DocxDocument::Open(const std::string& path) {
  ZipLimits limits;
  limits.max_entry_bytes = 64u << 20;
  auto opened = ZipArchive::Open(path, limits, ZipContent::kDocx);
  if (!opened.ok()) {
    // An old .doc, and a docx with a password, are OLE compound files: "not a zip" would leave
    // the cadre guessing.
    std::error_code ec;
    char head[8] = {};
    if (opened.status().code() == StatusCode::kInvalidArgument &&
        std::filesystem::is_regular_file(path, ec) &&
        std::ifstream(path, std::ios::binary).read(head, 8) &&
        std::memcmp(head, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0) {
      return Status::InvalidArgument(
          "这是旧版 Word 97-2003 文档（.doc）或设置了密码的文档，请用 Word 或 WPS 取消密码并另存为 "
          ".docx 后再试",
          "OLE compound file, not a docx: " + path);
    }
    return opened.status();
  }
  std::unique_ptr<ZipArchive> zip = std::move(opened).value();
  if (!zip->Find("word/document.xml")) return NotDocx("no word/document.xml in " + path);

  auto doc = std::unique_ptr<DocxDocument>(new DocxDocument());
  std::vector<std::string> names = zip->Names();
  uint64_t total = 0;
  for (size_t i = 0; i < names.size(); ++i) {
    Part& part = doc->parts_.emplace_back(Part{names[i], {}});
    TZ_RETURN_IF_ERROR(zip->ReadEntry(i, names[i], [&](std::string_view chunk) -> Result<bool> {
      total += chunk.size();
      if (total > kMaxTotalBytes) {
        return Status::InvalidArgument("文档解压后超过 256 MB，请压缩或删减文档中的图片后再试",
                                       path + " inflates past " + std::to_string(kMaxTotalBytes));
      }
      part.bytes.append(chunk);
      return true;
    }));
  }

  std::vector<size_t> order;
  for (size_t i = 0; i < names.size(); ++i) {
    if (PartOrder(names[i]).first >= 0) order.push_back(i);
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return PartOrder(names[a]) < PartOrder(names[b]); });
  size_t records = 0;
  for (size_t part : order) TZ_RETURN_IF_ERROR(Parser(*doc, part, records).Run());
  doc->paragraphs_.resize(doc->paras_.size());
  for (size_t i = 0; i < doc->paras_.size(); ++i) {
    doc->paragraphs_[i].part = names[doc->paras_[i].part];
    for (const Piece& piece : doc->paras_[i].pieces) doc->paragraphs_[i].text += piece.text;
  }
  for (size_t c = 0; c < doc->containers_.size(); ++c) doc->Recount(c);
  return doc;
}

void DocxDocument::Recount(size_t container) {
  const Container& c = containers_[container];
  for (size_t i : c.paras) {
    const Para& p = paras_[i];
    paragraphs_[i].removable =
        !p.removed && !p.fixed && c.live > 1 && !(c.cell && i == c.paras.back());
  }
}

Status DocxDocument::Edit(size_t paragraph, const std::vector<TextEdit>& edits) {
  if (paragraph >= paras_.size()) {
    return Status::InvalidArgument("段落编号无效", "no paragraph " + std::to_string(paragraph));
  }
  Para& para = paras_[paragraph];
  if (para.removed) {
    return Status::FailedPrecondition("该段落已删除，不能再修改",
                                      "paragraph " + std::to_string(paragraph) + " was removed");
  }
  const std::string& text = paragraphs_[paragraph].text;
  size_t done = 0;
  std::vector<std::string> replacements;
  for (const TextEdit& e : edits) {
    if (e.offset < done || e.offset > text.size() || e.length > text.size() - e.offset ||
        !Boundary(text, e.offset) || !Boundary(text, e.offset + e.length)) {
      return Status::InvalidArgument(
          "内部错误：文字修改的位置无效",
          "bad edit [" + std::to_string(e.offset) + ", +" + std::to_string(e.length) +
              ") of paragraph " + std::to_string(paragraph) + " of " + std::to_string(text.size()) +
              " bytes (edits must be sorted, not overlapping, on character boundaries)");
    }
    done = e.offset + e.length;
    replacements.push_back(XmlSafe(e.text));
    if (para.pieces.empty() && !replacements.back().empty()) {
      return Status::InvalidArgument("该段落没有文字，无法插入内容",
                                     "paragraph " + std::to_string(paragraph) + " has no w:t");
    }
  }
  if (para.pieces.empty()) return Status::Ok();

  // Where each piece starts in the text, and which piece receives each replacement.
  std::vector<size_t> starts;
  size_t at = 0;
  for (const Piece& p : para.pieces) starts.push_back(std::exchange(at, at + p.text.size()));
  auto host = [&](size_t offset) {
    for (size_t i = 0; i < para.pieces.size(); ++i) {
      if (offset >= starts[i] && offset < starts[i] + para.pieces[i].text.size()) return i;
    }
    return para.pieces.size() - 1;  // at the end of the text
  };
  std::vector<size_t> hosts;
  for (const TextEdit& e : edits) hosts.push_back(host(e.offset));

  std::vector<std::string> texts;
  for (size_t i = 0; i < para.pieces.size(); ++i) {
    size_t begin = starts[i], end = begin + para.pieces[i].text.size(), pos = begin;
    std::string out;
    for (size_t k = 0; k < edits.size(); ++k) {
      size_t from = std::max(edits[k].offset, begin);
      size_t to = std::min(edits[k].offset + edits[k].length, end);
      if (hosts[k] != i && from >= to) continue;  // neither hosted here nor covering any of it
      out.append(text, pos, from - pos);
      if (hosts[k] == i) out += replacements[k];
      pos = std::max(from, to);
    }
    out.append(text, pos, end - pos);
    texts.push_back(std::move(out));
  }
  std::string joined;
  for (size_t i = 0; i < para.pieces.size(); ++i) {
    Piece& piece = para.pieces[i];
    if (texts[i] != piece.text) {
      piece.text = std::move(texts[i]);
      piece.changed = true;
      parts_[para.part].edited = true;
    }
    joined += piece.text;
  }
  paragraphs_[paragraph].text = std::move(joined);
  return Status::Ok();
}

Status DocxDocument::Remove(size_t paragraph) {
  if (paragraph >= paras_.size()) {
    return Status::InvalidArgument("段落编号无效", "no paragraph " + std::to_string(paragraph));
  }
  if (!paragraphs_[paragraph].removable) {
    return Status::FailedPrecondition(
        "该段落不能删除（含分节符、图片、域或书签，或是单元格、页眉页脚中须保留的段落）",
        "paragraph " + std::to_string(paragraph) + " of " + paragraphs_[paragraph].part +
            " is not removable");
  }
  Para& para = paras_[paragraph];
  para.removed = true;
  parts_[para.part].edited = true;
  --containers_[para.container].live;
  paragraphs_[paragraph].text.clear();
  Recount(para.container);
  return Status::Ok();
}

std::string DocxDocument::Rewrite(size_t part) const {
  const std::string& bytes = parts_[part].bytes;
  struct Splice {
    size_t begin, end;
    std::string with;
  };
  std::vector<Splice> splices;
  for (const Para& para : paras_) {
    if (para.part != part) continue;
    if (para.removed) {
      splices.push_back({para.begin, para.end, ""});
      continue;
    }
    for (const Piece& piece : para.pieces) {
      if (!piece.changed || (piece.empty_tag && piece.text.empty())) continue;
      bool needs_preserve =
          !piece.text.empty() && (IsXmlSpace(piece.text.front()) || IsXmlSpace(piece.text.back()));
      std::string tag = bytes.substr(piece.begin, piece.content - piece.begin);
      if (piece.empty_tag) tag.replace(tag.size() - 2, 2, ">");  // "<w:t/>" to "<w:t>"
      if (needs_preserve && !piece.preserve) {
        size_t attr = tag.find("xml:space");
        size_t quote = attr == std::string::npos ? attr : tag.find_first_of("\"'", attr);
        size_t close = quote == std::string::npos ? quote : tag.find(tag[quote], quote + 1);
        if (close != std::string::npos) {
          tag.replace(quote + 1, close - quote - 1, "preserve");
        } else {
          tag.insert(tag.size() - 1, " xml:space=\"preserve\"");
        }
      }
      std::string with = tag + Escape(piece.text);
      if (piece.empty_tag) {
        std::string name = tag.substr(1, tag.find_first_of(" \t\r\n/>", 1) - 1);
        with += "</" + name + ">";
      }
      splices.push_back({piece.begin, piece.content_end, std::move(with)});
    }
  }
  std::sort(splices.begin(), splices.end(),
            [](const Splice& a, const Splice& b) { return a.begin < b.begin; });
  std::string out;
  size_t pos = 0;
  for (const Splice& s : splices) {
    if (s.begin < pos) continue;  // inside a removed paragraph
    out.append(bytes, pos, s.begin - pos);
    out += s.with;
    pos = s.end;
  }
  out.append(bytes, pos, std::string::npos);
  return out;
}

Status DocxDocument::Save(const std::string& path) const {
  TZ_ASSIGN_OR_RETURN(std::unique_ptr<ZipWriter> writer, ZipWriter::Create(path));
  for (size_t i = 0; i < parts_.size(); ++i) {
    TZ_RETURN_IF_ERROR(
        writer->Add(parts_[i].name, parts_[i].edited ? Rewrite(i) : parts_[i].bytes));
  }
  return writer->Close();
}

}  // namespace tz::io
