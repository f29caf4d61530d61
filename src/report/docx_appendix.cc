// The 「数据来源」 appendix of a DOCX report: "附件" at the top of a new page, the title, the unit
// and period, and one table row per figure (see report/sources.h).
#include <string>
#include <vector>

#include "report/docx.h"
#include "report/docx_internal.h"

namespace tz::report {
namespace {

// Column widths in twips; they add up to the text width of an A4 page with the 公文 margins
// (210 − 28 − 26 mm = 156 mm = 8844 twips). 序号 and a count up to "123456 条" fit on one line
// in 五号; the definition takes what is left.
struct ColumnSpec {
  const char* heading;
  int width;
};
constexpr ColumnSpec kColumns[] = {
    {"序号", 660}, {"指标", 1900}, {"数值", 1240}, {"来源台账", 1600}, {"记录数", 1100}, {"口径", 2344},
};
constexpr int kTableWidth = 8844;

// A cell of one or more paragraphs ("" still makes one: a cell needs a paragraph).
std::string Cell(int width, const std::vector<std::string>& lines,
                 std::string_view style = "TableText", int span = 1) {
  std::string s = "<w:tc><w:tcPr><w:tcW w:w=\"" + std::to_string(width) + "\" w:type=\"dxa\"/>";
  if (span > 1) s += "<w:gridSpan w:val=\"" + std::to_string(span) + "\"/>";
  s += "</w:tcPr>";
  if (lines.empty()) s += Paragraph(style, "");
  for (const std::string& line : lines) s += Paragraph(style, line.empty() ? "" : TextRun(line));
  return s + "</w:tc>";
}

std::string TableProps() {
  std::string borders;
  for (const char* side : {"top", "left", "bottom", "right", "insideH", "insideV"}) {
    borders += "<w:" + std::string(side) + " w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>";
  }
  std::string s = "<w:tblPr><w:tblW w:w=\"" + std::to_string(kTableWidth) +
                  "\" w:type=\"dxa\"/><w:jc w:val=\"center\"/><w:tblBorders>" + borders +
                  "</w:tblBorders><w:tblLayout w:type=\"fixed\"/>"
                  "<w:tblCellMar><w:left w:w=\"80\" w:type=\"dxa\"/><w:right w:w=\"80\" "
                  "w:type=\"dxa\"/></w:tblCellMar></w:tblPr><w:tblGrid>";
  for (const ColumnSpec& c : kColumns) {
    s += "<w:gridCol w:w=\"" + std::to_string(c.width) + "\"/>";
  }
  return s + "</w:tblGrid>";
}

std::string HeaderRow() {
  // Repeated at the top of every page the table runs onto; never split.
  std::string s = "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>";
  for (const ColumnSpec& c : kColumns) s += Cell(c.width, {c.heading}, "TableHeading");
  return s + "</w:tr>";
}

std::string FigureRow(size_t number, const SourceRow& row) {
  std::vector<std::string> ledgers, counts;
  for (const SourceLedger& l : row.ledgers) {
    ledgers.push_back(l.title);
    counts.push_back(l.records < 0 ? "不适用" : std::to_string(l.records) + " 条");
  }
  if (!row.computed_from.empty()) {
    std::string from;
    for (const std::string& f : row.computed_from) from += (from.empty() ? "" : "、") + f;
    ledgers.push_back("由" + from + "计算");
    counts.push_back("—");
  }
  if (ledgers.empty()) {
    ledgers.push_back("—");  // a constant or a date: nothing to count
    counts.push_back("—");
  }
  std::vector<std::string> definition = {row.definition};
  if (!row.note.empty()) definition.push_back("无值：" + row.note);
  std::string s = "<w:tr><w:trPr><w:cantSplit/></w:trPr>";
  s += Cell(kColumns[0].width, {std::to_string(number)});
  s += Cell(kColumns[1].width, {row.def->label});
  s += Cell(kColumns[2].width, {row.value});
  s += Cell(kColumns[3].width, ledgers);
  s += Cell(kColumns[4].width, counts);
  s += Cell(kColumns[5].width, definition);
  return s + "</w:tr>";
}

std::string GroupRow(const std::string& text) {
  return "<w:tr><w:trPr><w:cantSplit/></w:trPr>" +
         Cell(kTableWidth, {text}, "TableHeading", static_cast<int>(std::size(kColumns))) +
         "</w:tr>";
}

}  // namespace

std::string SourcesAppendixXml(const ReportBlocks& report, const std::vector<SourceRow>& rows) {
  std::string s = Paragraph("AttachmentLabel", TextRun("附件"));
  s += Paragraph("Title", TextRun("数据来源"));
  s += Paragraph("Note",
                 TextRun("单位：" + report.scope.name + "　期间：" + report.period.start.ToIso() +
                         " 至 " + report.period.end.ToIso() +
                         "　记录数为该期间、该单位符合指标条件的台账记录条数"),
                 "<w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"center\"/>");
  s += "<w:tbl>" + TableProps() + HeaderRow();
  bool grouped = false;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (rows[i].dependency && !grouped) {
      s += GroupRow("以下为上述指标计算所用的其他指标");
      grouped = true;
    }
    s += FigureRow(i + 1, rows[i]);
  }
  s += "</w:tbl>";
  // Word wants a paragraph between a table and the section properties.
  return s + Paragraph("TableText", "");
}

}  // namespace tz::report
