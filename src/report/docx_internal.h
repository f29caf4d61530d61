// Pieces of WordprocessingML shared by the parts of the DOCX writer (docx.cc, docx_appendix.cc).
// Not for use outside src/report.
#ifndef TAIZHANG_REPORT_DOCX_INTERNAL_H_
#define TAIZHANG_REPORT_DOCX_INTERNAL_H_

#include <string>
#include <string_view>
#include <vector>

#include "report/render.h"
#include "report/sources.h"

namespace tz::report {

// A run of text, escaped, spaces kept.
std::string TextRun(std::string_view text);

// A paragraph in `style` (a styleId of docx.cc's styles part) holding `runs`; `more_props` is
// further paragraph properties, in schema order after w:pStyle.
std::string Paragraph(std::string_view style, const std::string& runs,
                      std::string_view more_props = {});

// The 「数据来源」 appendix (docx_appendix.cc): body content placed before the section properties.
std::string SourcesAppendixXml(const ReportBlocks& report, const std::vector<SourceRow>& rows);

}  // namespace tz::report

#endif  // TAIZHANG_REPORT_DOCX_INTERNAL_H_
