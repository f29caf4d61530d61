#include "service/word_template.h"

#include <algorithm>
#include <string_view>
#include <utility>

#include "io/docx_document.h"
#include "report/render.h"

namespace tz::service {

using report::RenderedSegments;
using report::Segment;
using report::SegmentOutput;
namespace {

// Whitespace a cadre leaves around a placeholder: ASCII and the ideographic space U+3000.
bool OnlySpaces(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    if (s[i] == ' ' || s[i] == '\t') {
      ++i;
    } else if (s.substr(i, 3) == "\xE3\x80\x80") {
      i += 3;
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace

WordTemplate::~WordTemplate() = default;

Result<std::unique_ptr<WordTemplate>> WordTemplate::Open(const pack::Catalog& catalog,
                                                         const std::string& path,
                                                         const std::string& name) {
  std::unique_ptr<WordTemplate> t(new WordTemplate());
  TZ_ASSIGN_OR_RETURN(t->doc_, io::DocxDocument::Open(path));
  t->source_.id = name;
  t->source_.file = name;
  std::string& text = t->source_.text;
  for (const io::DocxParagraph& p : t->doc_->paragraphs()) {
    if (!t->line_start_.empty()) text += '\n';
    t->line_start_.push_back(text.size());
    // One line per paragraph, byte for byte: a line break or byte-order mark inside a w:t (Word
    // writes none) becomes spaces of the same length, so offsets still match the paragraph.
    std::string line = p.text;
    for (char& c : line) {
      if (c == '\n' || c == '\r') c = ' ';
    }
    for (size_t at = line.find("\xEF\xBB\xBF"); at != std::string::npos;
         at = line.find("\xEF\xBB\xBF", at)) {
      line.replace(at, 3, "   ");
    }
    text += line;
  }
  TZ_ASSIGN_OR_RETURN(t->parsed_, report::ParseTemplate(catalog, t->source_, report::TitleLine::kNoTitle));
  TZ_RETURN_IF_ERROR(t->CheckConditionRegions());
  return t;
}

size_t WordTemplate::ParagraphAt(size_t offset) const {
  return static_cast<size_t>(
      std::upper_bound(line_start_.begin(), line_start_.end(), offset) - line_start_.begin() - 1);
}

// Two rules a pack template does not need. The parts' paragraphs are one text, so an {{#if}}
// left open in the body would otherwise pair with an {{/if}} in a header and silently drop
// everything between. And what a false condition drops must go whole: a paragraph that cannot
// be removed (a table's cells, a picture, a text box, a section break) would stay behind, empty.
Status WordTemplate::CheckConditionRegions() const {
  const std::vector<io::DocxParagraph>& paragraphs = doc_->paragraphs();
  size_t open = 0;
  for (const report::Segment& s : parsed_.body) {
    if (s.kind == report::Segment::Kind::kIfBegin) open = ParagraphAt(s.offset);
    if (s.kind != report::Segment::Kind::kIfEnd) continue;
    const size_t close = ParagraphAt(s.offset);
    const std::string where = source_.file + ":" + std::to_string(open + 1);
    if (paragraphs[open].part != paragraphs[close].part) {
      return Status::InvalidArgument(
          "模板 " + where + "：“{{#if}}”缺少对应的“{{/if}}”（正文、页眉、页脚中的条件须各自成对）",
          "template " + where + ": {{#if}} closed in another part (" + paragraphs[close].part +
              ")");
    }
    for (size_t p = open + 1; p < close; ++p) {
      if (paragraphs[p].removable) continue;
      return Status::InvalidArgument(
          "模板 " + where + "：“{{#if}}”与第 " + std::to_string(close + 1) +
              " 段的“{{/if}}”之间有表格、图片、文本框或分节符（第 " + std::to_string(p + 1) +
              " 段），条件不成立时无法整段删去：请把它们移到条件之外，或把条件写在同一段内",
          "template " + where + ": {{#if}} region holds paragraph " + std::to_string(p + 1) +
              " that cannot be removed");
    }
  }
  return Status::Ok();
}

std::optional<std::string> WordTemplate::ExternalReference() const {
  return doc_->ExternalReference();
}

Status WordTemplate::Save(const std::string& path) const { return doc_->Save(path); }

Result<std::vector<std::string>> WordTemplate::Fill(const figures::Engine& engine,
                                                    const figures::ComputeResult& computed,
                                                    const std::string& path) {
  TZ_ASSIGN_OR_RETURN(std::vector<std::string> notes, Fill(engine, computed));
  TZ_RETURN_IF_ERROR(Save(path));
  return notes;
}

Result<std::vector<std::string>> WordTemplate::Fill(const figures::Engine& engine,
                                                    const figures::ComputeResult& computed) {
  if (filled_) {
    return Status::FailedPrecondition("Word 模板已经填写过", "WordTemplate::Fill called twice");
  }
  filled_ = true;
  TZ_ASSIGN_OR_RETURN(RenderedSegments rendered, report::RenderSegments(parsed_, engine, computed));
  const std::string& text = source_.text;
  const size_t paragraphs = line_start_.size();
  auto line_end = [&](size_t p) {
    return p + 1 < paragraphs ? line_start_[p + 1] - 1 : text.size();
  };
  auto paragraph_at = [&](size_t offset) { return ParagraphAt(offset); };

  // The edits of each paragraph, and which bytes of the text (newlines included) are removed
  // rather than replaced: dropped text, dropped figures and the {{#if}} / {{/if}} markers.
  std::vector<std::vector<io::TextEdit>> edits(paragraphs);
  std::vector<bool> removed(text.size(), false);
  for (size_t i = 0; i < parsed_.body.size(); ++i) {
    const Segment& seg = parsed_.body[i];
    const SegmentOutput& out = rendered.body[i];
    const bool text_kept = seg.kind == Segment::Kind::kText && out.kept;
    if (text_kept || seg.length == 0) continue;
    if (seg.kind == Segment::Kind::kFigure && out.kept) {
      // A placeholder never spans lines (ParseTemplate).
      const size_t p = paragraph_at(seg.offset);
      edits[p].push_back({seg.offset - line_start_[p], seg.length, out.piece.text});
      continue;
    }
    std::fill(removed.begin() + static_cast<std::ptrdiff_t>(seg.offset),
              removed.begin() + static_cast<std::ptrdiff_t>(seg.offset + seg.length), true);
    const size_t end = seg.offset + seg.length;
    for (size_t p = paragraph_at(seg.offset); p < paragraphs && line_start_[p] < end; ++p) {
      const size_t from = std::max(seg.offset, line_start_[p]);
      const size_t to = std::min(end, line_end(p));
      if (to > from) edits[p].push_back({from - line_start_[p], to - from, ""});
    }
  }

  // A paragraph goes when nothing of it is left: its text was all removed (or all but spaces),
  // or it was empty and lies inside dropped text. One that must stay (it holds the section's
  // page setup, a picture, the last paragraph of a cell…) is left empty instead.
  for (size_t p = 0; p < paragraphs; ++p) {
    if (!edits[p].empty()) TZ_RETURN_IF_ERROR(doc_->Edit(p, edits[p]));
  }
  for (size_t p = 0; p < paragraphs; ++p) {
    const size_t start = line_start_[p], end = line_end(p);
    bool gone;
    if (end > start) {
      bool any_removed = false;
      std::string left;
      for (size_t b = start; b < end; ++b) {
        if (removed[b]) {
          any_removed = true;
        } else {
          left += text[b];
        }
      }
      // A replaced placeholder leaves its value: not "nothing left".
      const bool replaced = std::any_of(edits[p].begin(), edits[p].end(),
                                        [](const io::TextEdit& e) { return !e.text.empty(); });
      gone = any_removed && !replaced && OnlySpaces(left);
    } else {
      gone = start > 0 && removed[start - 1] && end < text.size() && removed[end];
    }
    if (gone && doc_->paragraphs()[p].removable) TZ_RETURN_IF_ERROR(doc_->Remove(p));
  }
  return rendered.notes;
}

}  // namespace tz::service
