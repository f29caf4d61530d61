// The report as a Word document in the official format of GB/T 9704-2012 (党政机关公文格式): A4,
// margins 37 mm top, 35 mm bottom, 28 mm left, 26 mm right; a 2号 方正小标宋简体 title, centred;
// 3号 仿宋_GB2312 body with a first-line indent of two characters; 黑体 for "一、" headings and
// 楷体_GB2312 for "（一）" headings; a fixed line spacing of 28.95 pt (22 lines a page); page
// numbers "— 1 —" in 4号 宋体, odd pages right and even pages left, one character in from the
// margin.
//
// The WordprocessingML is written by hand (docx.cc); the service layer zips the parts (io sits
// above this layer). Fonts are named for Word and WPS; a PDF conversion without them uses the
// stand-ins below.
#ifndef TAIZHANG_REPORT_DOCX_H_
#define TAIZHANG_REPORT_DOCX_H_

#include <string>
#include <string_view>

#include <vector>

#include "report/render.h"
#include "report/sources.h"

namespace tz::report {

// One part of the package: its name in the zip ("word/document.xml") and its XML.
struct DocxPart {
  std::string name;
  std::string xml;
};

// The parts of `report` as a .docx, [Content_Types].xml first (some readers sniff the package
// from its first entry): the title, the blocks (## → 一级标题, ### → 二级标题, the rest paragraphs),
// every figure as the plain text of its piece, and, when there are notes, a final 「说明」 section
// with one paragraph per note. With `sources`, an appendix follows on a new page: "附件", the title
// 「数据来源」, the unit and period, and a table of the rows (序号, 指标, 数值, 来源台账, 记录数, 口径),
// its header repeated on every page.
std::vector<DocxPart> DocxParts(const ReportBlocks& report,
                                const std::vector<SourceRow>* sources = nullptr);

// The faces the document names, each with faces of the same style (serif for 仿宋, 楷体, 宋体 and
// 小标宋; sans-serif for 黑体) commonly installed on Linux, to stand in for it when the document is
// converted on a machine without it (io::ConvertToPdf).
struct FontStandIn {
  std::string family;
  std::vector<std::string> faces;
};
std::vector<FontStandIn> DocxFontStandIns();

// The text of `s` as XML character data or a quoted attribute value: & < > " ' escaped, and what
// XML 1.0 cannot hold (control characters other than tab, line feed and carriage return, U+FFFE,
// U+FFFF, bytes that are not UTF-8) dropped.
std::string XmlEscape(std::string_view s);

}  // namespace tz::report

#endif  // TAIZHANG_REPORT_DOCX_H_
