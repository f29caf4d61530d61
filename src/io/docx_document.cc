#include "io/docx_document.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <unordered_map>
#include <utility>

#include "base/strings.h"
#include "io/docx_xml.h"
#include "io/xml_stream.h"
#include "io/zip_archive.h"
#include "io/zip_writer.h"

namespace tz::io {

using docx_internal::Clip;
using docx_internal::DescribeRel;
using docx_internal::ExpatRun;
using docx_internal::kMaxShown;
using docx_internal::Links;
using docx_internal::MisusedLink;
using docx_internal::npos;
using docx_internal::OneOf;
using docx_internal::RelsSource;
using docx_internal::ScanLinks;
using docx_internal::ScanRels;
using docx_internal::SplitName;

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
// Made when its first paragraph is read: an empty cell costs nothing once parsed.
struct DocxDocument::Container {
  bool cell = false;
  size_t live = 0;            // paragraphs not removed
  std::vector<size_t> paras;  // its own, not those of a text box inside one of them
};

struct DocxDocument::Part {
  std::string name;
  std::string bytes;
  bool edited = false;
  size_t first_para = 0, end_para = 0;  // its paragraphs are paras_[first_para, end_para)
};

namespace {

constexpr uint64_t kMaxTotalBytes = 256u << 20;
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

// Reads one part with expat, recording the byte ranges of w:p and w:t, and watching for external
// references in field codes and in what refers to the part's external hyperlinks.
class DocxDocument::Parser : public ExpatRun {
 public:
  // `records` counts over all parts; `links`: the part's external hyperlinks, or null.
  Parser(DocxDocument& doc, size_t part, size_t& records, const Links* links)
      : ExpatRun(doc.parts_[part].name, records), doc_(doc), part_(part), links_(links) {}

  Status Run() {
    Part& part = doc_.parts_[part_];
    if (!IsUtf8Document(std::string_view(part.bytes).substr(0, 512))) {
      return Status::InvalidArgument(
          "文档编码不是 UTF-8（" + part.name + "），请用 Word 或 WPS 重新保存后再试",
          part.name + " is not UTF-8");
    }
    part.first_para = doc_.paras_.size();
    TZ_RETURN_IF_ERROR(Parse(part.bytes));
    part.end_para = doc_.paras_.size();
    while (!fields_.empty()) EndField();  // codes never ended count too
    return Status::Ok();
  }

 private:
  struct Open {  // a paragraph being read
    size_t para;
    // Bookmark ids started minus ended in it: any left unbalanced would leave half a bookmark
    // behind if the paragraph went. A map, as a hostile paragraph can hold a million of them.
    std::unordered_map<std::string, int64_t> bookmarks;
    size_t unbalanced = 0;  // ids with a count other than 0
  };
  struct Holder {             // an element that can hold paragraphs
    size_t container = npos;  // made on its first paragraph
    bool cell = false;
  };
  // A field code (w:instrText runs between fldChar begin and separate, w:fldSimple/@w:instr).
  // LibreOffice acts on its first word, whatever the case, after leading spaces; only that word
  // is kept, and for the first code that includes a file, what follows it, to show.
  struct Field {
    enum State { kWord, kDone, kShown } state = kWord;
    bool ended = false;  // by fldChar separate: later w:instrText are read as codes of their own
    std::string code;
  };
  static constexpr size_t kLongestName = 15;  // INCLUDEPICTURE has 14 letters

  static int Ns(std::string_view uri) {
    return (uri == kW || uri == kWStrict) ? 1 : uri == kMc ? 2 : 0;
  }
  bool IsContainer(int ns, std::string_view local) const {
    return depth_ == 0 ||
           (ns == 1 && OneOf(local, {"body", "tc", "txbxContent", "hdr", "ftr", "footnote",
                                     "endnote", "comment", "sdtContent"}));
  }
  // Marks every open paragraph fixed. Those below fixed_open_ already are: without that, a
  // million drawings inside 999 nested paragraphs would cost a billion steps.
  void FixOpen() {
    for (; fixed_open_ < open_.size(); ++fixed_open_) {
      doc_.paras_[open_[fixed_open_].para].fixed = true;
    }
  }

  void FieldText(Field& f, std::string_view text) {
    if (f.state == Field::kDone) return;
    if (f.state == Field::kShown) {
      f.code.append(text.substr(0, std::min(text.size(), 2 * kMaxShown - f.code.size())));
      return;
    }
    for (size_t i = 0; i < text.size(); ++i) {
      char c = text[i];
      if (f.code.empty() && static_cast<unsigned char>(c) <= 0x20) continue;
      if (f.code.size() < kLongestName && ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
        f.code += c;
        continue;
      }
      Decide(f);  // the name ends here
      FieldText(f, text.substr(i));
      return;
    }
  }
  void Decide(Field& f) {
    if (f.state != Field::kWord) return;
    std::string name = f.code;
    for (char& c : name) c = c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    bool includes = OneOf(
        name, {"INCLUDEPICTURE", "INCLUDETEXT", "INCLUDE", "IMPORT", "LINK", "DDE", "DDEAUTO"});
    if (includes && !doc_.external_ && !showing_) {
      f.state = Field::kShown;
      showing_ = true;
    } else {
      f.state = Field::kDone;
      f.code.clear();
    }
  }
  // The code is complete.
  void EndCode(Field& f) {
    Decide(f);
    if (f.state == Field::kShown) {
      if (!doc_.external_) doc_.external_ = "插入外部文件的域 " + Clip(f.code);
      showing_ = false;
      f.code.clear();
    }
    f.state = Field::kDone;
    f.ended = true;
  }
  void EndField() {
    EndCode(fields_.back());
    fields_.pop_back();
  }

  void OnText(std::string_view text) override {
    if (piece_) {
      piece_->text.append(text);
    } else if (in_code_ && !fields_.empty()) {
      FieldText(fields_.back(), text);
    }
  }

  void OnStart(const char* raw, const char** atts) override {
    auto [uri, local] = SplitName(raw);
    int ns = Ns(uri);
    if (piece_) {  // WordprocessingML has no markup inside w:t; an edit would lose it
      Stop(Status::InvalidArgument("文档结构异常（" + doc_.parts_[part_].name +
                                       " 的文字中含有标记），请用 Word 或 WPS 重新保存后再试",
                                   "element inside w:t in " + doc_.parts_[part_].name));
      return;
    }
    if (links_ != nullptr && !doc_.external_ && !showing_) {
      if (const std::string* target = MisusedLink(local, atts, *links_)) {
        doc_.external_ = DescribeRel("hyperlink", *target);
      }
    }
    if (IsContainer(ns, local)) {
      if (!Count1()) return;
      holders_.push_back(Holder{npos, ns == 1 && local == "tc"});
    }
    if (ns == 2 && local == "AlternateContent") FixOpen();
    if (ns != 1) return;
    if (local == "p") {
      if (!Count1()) return;
      FixOpen();  // a paragraph inside a paragraph: a text box
      Holder& holder = holders_.back();
      if (holder.container == npos) {
        holder.container = doc_.containers_.size();
        doc_.containers_.emplace_back().cell = holder.cell;
      }
      size_t index = doc_.paras_.size();
      Container& c = doc_.containers_[holder.container];
      c.paras.push_back(index);
      ++c.live;
      Para& para = doc_.paras_.emplace_back();
      para.part = part_;
      para.begin = Index();
      para.end = Index() + Count();  // stays for <w:p/>
      para.container = holder.container;
      open_.push_back(Open{index, {}, 0});
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
      if (open_.empty() || !Count1()) return;
      std::string id;
      for (; atts[0] != nullptr; atts += 2) {
        if (SplitName(atts[0]).second == "id") id = atts[1];
      }
      Open& o = open_.back();
      int64_t& count = o.bookmarks[id];
      if (count == 0) ++o.unbalanced;
      count += local == "bookmarkStart" ? 1 : -1;
      if (count == 0) --o.unbalanced;
    } else if (local == "instrText" || local == "delInstrText") {
      // A deleted code counts: a program showing the revisions still reads it. A code outside
      // any field, or after its fldChar separate, is read as a field of its own: LibreOffice may
      // well act on it.
      in_code_ = true;
      if (fields_.empty() || fields_.back().ended) {
        fields_.emplace_back();
        lone_code_ = true;
      }
    } else if (local == "fldChar" || local == "fldSimple") {
      FixOpen();
      std::string_view type, instr;
      for (; atts[0] != nullptr; atts += 2) {
        std::string_view name = SplitName(atts[0]).second;
        if (name == "fldCharType") type = atts[1];
        if (name == "instr") instr = atts[1];
      }
      if (local == "fldSimple") {
        Field f;
        FieldText(f, instr);
        EndCode(f);
      } else if (type == "begin") {
        if (!Count1()) return;
        fields_.emplace_back();
      } else if (type == "separate" && !fields_.empty()) {
        EndCode(fields_.back());
      } else if (type == "end" && !fields_.empty()) {
        EndField();
      }
    } else if (OneOf(local, {"sectPr", "drawing", "pict", "object", "footnoteReference",
                             "endnoteReference", "commentReference", "commentRangeStart",
                             "commentRangeEnd", "txbxContent"})) {
      FixOpen();
    }
  }

  void OnEnd(const char* raw) override {
    auto [uri, local] = SplitName(raw);
    int ns = Ns(uri);
    if (IsContainer(ns, local)) holders_.pop_back();
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
      if (open_.back().unbalanced > 0) para.fixed = true;
      open_.pop_back();
      fixed_open_ = std::min(fixed_open_, open_.size());
    } else if ((local == "instrText" || local == "delInstrText") && in_code_) {
      in_code_ = false;
      if (lone_code_ && !fields_.empty()) EndField();
      lone_code_ = false;
    }
  }

  DocxDocument& doc_;
  size_t part_;
  const Links* links_;
  std::vector<Holder> holders_;
  std::vector<Open> open_;
  size_t fixed_open_ = 0;       // open_[0, fixed_open_) are known fixed
  std::optional<Piece> piece_;  // the w:t being read
  std::vector<Field> fields_;   // fields whose code is open, innermost last
  bool in_code_ = false;        // inside w:instrText
  bool lone_code_ = false;      // and it opened fields_.back() itself
  bool showing_ = false;        // a Field is kShown
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

  // Relationships first: reading a part tells how it uses its external hyperlinks.
  size_t records = 0;
  std::unordered_map<std::string, Links> links;  // by the part they belong to, lower case
  for (size_t i = 0; i < names.size(); ++i) {
    if (!EndsWith(AsciiLower(names[i]), ".rels")) continue;
    Links unused;  // of a .rels no program reads as a part's
    std::optional<std::string> source = RelsSource(names[i]);
    Links& mine = source ? links[*source] : unused;
    TZ_RETURN_IF_ERROR(ScanRels(names[i], doc->parts_[i].bytes, records, doc->external_, mine));
  }
  // Any part that is itself a zip (an embedded .docx, .xlsx…) or an old Office file, whatever
  // relationship leads to it: it is opened by a converter and read by nothing here.
  for (size_t i = 0; i < names.size() && !doc->external_; ++i) {
    const std::string& b = doc->parts_[i].bytes;
    if (StartsWith(b, std::string_view("PK\x03\x04", 4)) ||
        StartsWith(b, std::string_view("\xD0\xCF\x11\xE0", 4))) {
      doc->external_ = "嵌入的文件 " + Clip(names[i]);
    }
  }
  auto links_of = [&](size_t part) -> const Links* {
    auto it = links.find(AsciiLower(names[part]));
    return it == links.end() || it->second.empty() ? nullptr : &it->second;
  };

  std::vector<size_t> order;
  for (size_t i = 0; i < names.size(); ++i) {
    if (PartOrder(names[i]).first >= 0) order.push_back(i);
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return PartOrder(names[a]) < PartOrder(names[b]); });
  for (size_t part : order) TZ_RETURN_IF_ERROR(Parser(*doc, part, records, links_of(part)).Run());

  // The other parts with external hyperlinks (comments, charts…) are read only for that. One that
  // does not parse is not refused (no program may ever read it), but its links cannot be vouched
  // for.
  for (size_t i = 0; i < names.size() && !doc->external_; ++i) {
    const Links* mine = links_of(i);
    if (mine == nullptr || PartOrder(names[i]).first >= 0) continue;
    Result<const std::string*> misused = ScanLinks(names[i], doc->parts_[i].bytes, records, *mine);
    if (!misused.ok()) {
      doc->external_ =
          "无法确认用途的外部链接 " + Clip(mine->begin()->second) + "（" + Clip(names[i]) + "）";
    } else if (*misused != nullptr) {
      doc->external_ = DescribeRel("hyperlink", **misused);
    }
  }
  doc->paragraphs_.resize(doc->paras_.size());
  for (size_t i = 0; i < doc->paras_.size(); ++i) {
    doc->paragraphs_[i].part = names[doc->paras_[i].part];
    for (const Piece& piece : doc->paras_[i].pieces) doc->paragraphs_[i].text += piece.text;
  }
  for (size_t c = 0; c < doc->containers_.size(); ++c) doc->Recount(c);
  return doc;
}

std::optional<std::string> DocxDocument::ExternalReference() const { return external_; }

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

  // Where each piece starts and ends in the text.
  const size_t n = para.pieces.size();
  std::vector<size_t> starts, ends;
  size_t at = 0;
  for (const Piece& p : para.pieces) {
    starts.push_back(at);
    ends.push_back(at += p.text.size());
  }
  // Which piece receives each replacement: the first holding its first byte, or the last one at
  // the end of the text. Offsets are sorted, so one walk over both (a paragraph can hold tens of
  // thousands of pieces and placeholders).
  std::vector<size_t> hosts;
  for (size_t k = 0, i = 0; k < edits.size(); ++k) {
    while (i < n && ends[i] <= edits[k].offset) ++i;
    hosts.push_back(std::min(i, n - 1));
  }

  // Each piece's new text. The edits that touch piece i, hosted there or covering some of it, are
  // those after `first` (which end before it and are hosted earlier) and hosted no later than i.
  std::vector<std::string> texts;
  for (size_t i = 0, first = 0; i < n; ++i) {
    size_t begin = starts[i], end = ends[i], pos = begin;
    while (first < edits.size() && hosts[first] < i &&
           edits[first].offset + edits[first].length <= begin) {
      ++first;
    }
    std::string out;
    for (size_t k = first; k < edits.size() && hosts[k] <= i; ++k) {
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
  paragraphs_[paragraph].text.clear();
  paragraphs_[paragraph].removable = false;
  // What Recount would give changes for no other paragraph, unless this leaves the container a
  // single one: that one must stay. (A cell's last paragraph is never removable, so "the last"
  // never moves.) `live` only goes down and stops at 1, so each container is walked at most once,
  // not once per removal.
  Container& c = containers_[para.container];
  if (--c.live == 1) {
    for (size_t i : c.paras) paragraphs_[i].removable = false;
  }
  return Status::Ok();
}

std::string DocxDocument::Rewrite(size_t part) const {
  const std::string& bytes = parts_[part].bytes;
  struct Splice {
    size_t begin, end;
    std::string with;
  };
  std::vector<Splice> splices;
  for (size_t i = parts_[part].first_para; i < parts_[part].end_para; ++i) {
    const Para& para = paras_[i];
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
