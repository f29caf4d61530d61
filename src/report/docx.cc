#include "report/docx.h"

#include "report/docx_internal.h"

#include <cstdint>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "base/strings.h"

namespace tz::report {
namespace {

// GB/T 9704-2012, in twentieths of a point (1 mm = 56.7 twips), half-points for font sizes.
constexpr int kPageWidth = 11906;    // A4: 210 mm
constexpr int kPageHeight = 16838;   // 297 mm
constexpr int kMarginTop = 2098;     // 37 mm
constexpr int kMarginBottom = 1984;  // 35 mm
constexpr int kMarginLeft = 1588;    // 28 mm
constexpr int kMarginRight = 1474;   // 26 mm
// The page number's line starts 7 mm below the text area: 35 − 7 mm leaves 28 mm, less about
// 5 mm for the 4号 line itself (Word measures to the footer's bottom).
constexpr int kFooterDistance = 1304;      // 23 mm
constexpr int kLineExact = 579;            // 28.95 pt: 22 lines in the 225 mm text area
constexpr int kBodySize = 32;              // 3号, 16 pt
constexpr int kTitleSize = 44;             // 2号, 22 pt
constexpr int kPageNumberSize = 28;        // 4号, 14 pt
constexpr int kNoteSize = 28;              // the 「说明」 section, a size down from the body
constexpr int kTableSize = 21;             // 五号, 10.5 pt: the appendix table
constexpr int kOneCharOfPageNumber = 280;  // "空一字" beside the page number: one 14 pt character

constexpr std::string_view kBodyFont = "仿宋_GB2312";
constexpr std::string_view kTitleFont = "方正小标宋简体";
constexpr std::string_view kHeading1Font = "黑体";
constexpr std::string_view kHeading2Font = "楷体_GB2312";
constexpr std::string_view kPageNumberFont = "宋体";

constexpr std::string_view kXmlDecl =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
constexpr std::string_view kWordNs =
    "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"";

bool AllowedInXml(uint32_t cp) {
  if (cp < 0x20) return cp == '\t' || cp == '\n' || cp == '\r';
  return cp != 0xFFFE && cp != 0xFFFF;
}

std::string Attr(std::string_view name, const std::string& value) {
  return " " + std::string(name) + "=\"" + value + "\"";
}

// Every script slot names the font: Word picks eastAsia for Chinese, ascii/hAnsi for digits and
// Latin letters, and a 公文 sets both in the same face. LibreOffice substitutes a missing face
// through fontconfig, which lands on Noto CJK for these names.
std::string Fonts(std::string_view font) {
  std::string f(font);
  return "<w:rFonts" + Attr("w:ascii", f) + Attr("w:hAnsi", f) + Attr("w:eastAsia", f) +
         Attr("w:cs", f) + Attr("w:hint", "eastAsia") + "/>";
}

std::string RunProps(std::string_view font, int half_points) {
  std::string sz = std::to_string(half_points);
  return "<w:rPr>" + Fonts(font) + "<w:sz w:val=\"" + sz + "\"/><w:szCs w:val=\"" + sz +
         "\"/></w:rPr>";
}

std::string ExactSpacing() {
  return "<w:spacing w:line=\"" + std::to_string(kLineExact) + "\" w:lineRule=\"exact\"/>";
}

// A paragraph style based on Normal: the body's spacing and indent unless `para` overrides them.
std::string ParagraphStyle(std::string_view id, std::string_view name, const std::string& para,
                           std::string_view font, int size, int outline_level = -1) {
  std::string s = "<w:style w:type=\"paragraph\" w:styleId=\"" + std::string(id) + "\">";
  s += "<w:name w:val=\"" + std::string(name) + "\"/><w:basedOn w:val=\"Normal\"/>";
  s += "<w:next w:val=\"Normal\"/><w:qFormat/><w:pPr>" + para;
  if (outline_level >= 0) s += "<w:outlineLvl w:val=\"" + std::to_string(outline_level) + "\"/>";
  s += "</w:pPr>" + RunProps(font, size) + "</w:style>";
  return s;
}

}  // namespace

std::string TextRun(std::string_view text) {
  return "<w:r><w:t xml:space=\"preserve\">" + XmlEscape(text) + "</w:t></w:r>";
}

std::string Paragraph(std::string_view style, const std::string& runs,
                      std::string_view more_props) {
  return "<w:p><w:pPr><w:pStyle w:val=\"" + std::string(style) + "\"/>" +
         std::string(more_props) + "</w:pPr>" + runs + "</w:p>";
}

namespace {

std::string StylesXml() {
  std::string s(kXmlDecl);
  s += "<w:styles " + std::string(kWordNs) + ">";
  // Chinese (PRC) text: readers pick the simplified-Chinese forms of a CJK font.
  s += "<w:docDefaults><w:rPrDefault><w:rPr>" + Fonts(kBodyFont) + "<w:sz w:val=\"" +
       std::to_string(kBodySize) + "\"/><w:szCs w:val=\"" + std::to_string(kBodySize) +
       "\"/><w:lang w:val=\"zh-CN\" w:eastAsia=\"zh-CN\"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>" + ExactSpacing() +
       "</w:pPr></w:pPrDefault>"
       "</w:docDefaults>";
  // Normal is the body text: 仿宋 3号, justified, two characters of first-line indent.
  s += "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name "
       "w:val=\"Normal\"/>"
       "<w:qFormat/><w:pPr>" +
       ExactSpacing() + "<w:ind w:firstLineChars=\"200\"/><w:jc w:val=\"both\"/></w:pPr>" +
       RunProps(kBodyFont, kBodySize) + "</w:style>";
  // The title stands alone, centred, with one empty line below it.
  s += ParagraphStyle(
      "Title", "Title",
      "<w:spacing w:after=\"" + std::to_string(kLineExact) + "\" w:line=\"" +
          std::to_string(kLineExact) +
          "\" w:lineRule=\"exact\"/>"
          "<w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"center\"/>",
      kTitleFont, kTitleSize);
  // Headings keep the body's indent and size: only the face marks the level.
  s += ParagraphStyle("Heading1", "heading 1", "<w:keepNext/>", kHeading1Font, kBodySize, 0);
  s += ParagraphStyle("Heading2", "heading 2", "<w:keepNext/>", kHeading2Font, kBodySize, 1);
  // A run-in "（一）…。" heading inside a body paragraph: the face of Heading2 only.
  s += "<w:style w:type=\"character\" w:styleId=\"Heading2Char\"><w:name w:val=\"Heading 2 "
       "Char\"/><w:rPr>" +
       Fonts(kHeading2Font) + "</w:rPr></w:style>";
  s += ParagraphStyle("NoteHeading", "Note Heading",
                      "<w:keepNext/><w:spacing w:before=\"" + std::to_string(kLineExact) + "\"/>",
                      kHeading1Font, kNoteSize);
  s += ParagraphStyle("Note", "Note", "", kBodyFont, kNoteSize);
  // The 「数据来源」 appendix: "附件" on a page of its own, then a table in 五号 仿宋 with single
  // spacing (its definitions are long; 3号 would make a cell a page).
  s += ParagraphStyle("AttachmentLabel", "Attachment Label",
                      "<w:pageBreakBefore/><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/>",
                      kHeading1Font, kBodySize);
  s += ParagraphStyle("TableText", "Table Text",
                      "<w:spacing w:line=\"240\" w:lineRule=\"auto\"/>"
                      "<w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"left\"/>",
                      kBodyFont, kTableSize);
  s += ParagraphStyle("TableHeading", "Table Heading",
                      "<w:spacing w:line=\"240\" w:lineRule=\"auto\"/>"
                      "<w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"center\"/>",
                      kHeading1Font, kTableSize);
  // The page number line: single spacing (an exact 28.95 pt would push it off the footer).
  s += ParagraphStyle("Footer", "footer",
                      "<w:spacing w:line=\"240\" w:lineRule=\"auto\"/>"
                      "<w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/>",
                      kPageNumberFont, kPageNumberSize);
  s += "</w:styles>";
  return s;
}


// The length of a run-in second-level heading at the start of `text`: "（一）" … up to and
// including the first "。" — 公文 often open a paragraph with its heading sentence, set in the
// heading's face, and go on in the body's. 0 when `text` does not start that way.
size_t RunInHeadingLength(std::string_view text) {
  constexpr std::string_view kOpen = "（", kClose = "）", kStop = "。";
  constexpr std::string_view kNumerals = "一二三四五六七八九十";
  if (text.substr(0, kOpen.size()) != kOpen) return 0;
  // Each numeral is three bytes of UTF-8.
  auto numeral_at = [&](size_t at) {
    for (size_t k = 0; k < kNumerals.size(); k += 3) {
      if (text.substr(at, 3) == kNumerals.substr(k, 3)) return true;
    }
    return false;
  };
  size_t i = kOpen.size();
  while (numeral_at(i)) i += 3;
  if (i == kOpen.size() || text.substr(i, kClose.size()) != kClose) return 0;
  size_t stop = text.find(kStop, i);
  return stop == std::string_view::npos ? 0 : stop + kStop.size();
}

std::string StyledRun(std::string_view char_style, std::string_view text) {
  return "<w:r><w:rPr><w:rStyle w:val=\"" + std::string(char_style) +
         "\"/></w:rPr><w:t xml:space=\"preserve\">" + XmlEscape(text) + "</w:t></w:r>";
}

// Literal text and figures alike become plain runs: the figures were written out by the renderer.
std::string BlockParagraph(const ReportBlock& block) {
  std::string runs;
  for (size_t i = 0; i < block.pieces.size(); ++i) {
    std::string_view text = block.pieces[i].text;
    if (i == 0 && block.heading == 0 && !block.pieces[i].is_figure) {
      if (size_t n = RunInHeadingLength(text)) {
        runs += StyledRun("Heading2Char", text.substr(0, n));
        text.remove_prefix(n);
      }
    }
    if (!text.empty()) runs += TextRun(text);
  }
  std::string_view style = block.heading == 2   ? "Heading1"
                           : block.heading == 3 ? "Heading2"
                                                : "Normal";
  return Paragraph(style, runs);
}

std::string SectionProps() {
  std::string s = "<w:sectPr>";
  s += "<w:footerReference w:type=\"default\" r:id=\"rIdFooterOdd\"/>";
  s += "<w:footerReference w:type=\"even\" r:id=\"rIdFooterEven\"/>";
  s += "<w:pgSz w:w=\"" + std::to_string(kPageWidth) + "\" w:h=\"" + std::to_string(kPageHeight) +
       "\"/>";
  s += "<w:pgMar w:top=\"" + std::to_string(kMarginTop) + "\" w:right=\"" +
       std::to_string(kMarginRight) + "\" w:bottom=\"" + std::to_string(kMarginBottom) +
       "\" w:left=\"" + std::to_string(kMarginLeft) + "\" w:header=\"851\" w:footer=\"" +
       std::to_string(kFooterDistance) + "\" w:gutter=\"0\"/>";
  s += "</w:sectPr>";
  return s;
}

std::string DocumentXml(const ReportBlocks& report, const std::vector<SourceRow>* sources) {
  std::string s(kXmlDecl);
  s += "<w:document " + std::string(kWordNs) + "><w:body>";
  s += Paragraph("Title", TextRun(report.title));
  for (const ReportBlock& block : report.blocks) s += BlockParagraph(block);
  if (!report.notes.empty()) {
    s += Paragraph("NoteHeading", TextRun("说明"));
    for (const std::string& note : report.notes) s += Paragraph("Note", TextRun(note));
  }
  if (sources) s += SourcesAppendixXml(report, *sources);
  s += SectionProps() + "</w:body></w:document>";
  return s;
}

// "— 1 —": a PAGE field between em dashes. GB/T 9704 puts odd page numbers right and even ones
// left, each one character in from the text area's edge.
std::string FooterXml(bool odd) {
  std::string indent = odd ? "<w:ind w:right=\"" + std::to_string(kOneCharOfPageNumber) + "\"/>"
                           : "<w:ind w:left=\"" + std::to_string(kOneCharOfPageNumber) + "\"/>";
  std::string s(kXmlDecl);
  s += "<w:ftr " + std::string(kWordNs) + "><w:p><w:pPr><w:pStyle w:val=\"Footer\"/>" + indent +
       "<w:jc w:val=\"" + (odd ? "right" : "left") + "\"/></w:pPr>";
  s += TextRun("— ");
  s += "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>";
  s += "<w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>";
  s += "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>";
  s += TextRun("1");
  s += "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>";
  s += TextRun(" —");
  s += "</w:p></w:ftr>";
  return s;
}

// Each face with its character set (GB2312) and family, so that Word or WPS on a machine without
// it substitutes a Chinese face of the same kind instead of a Western one.
std::string FontTableXml() {
  // As Word itself describes these faces: the GB2312 fonts are "modern" (every character the
  // same width); the title's Song face is "roman".
  struct Face {
    std::string_view name;
    std::string_view family;
    std::string_view pitch;
  };
  constexpr Face kFaces[] = {{kBodyFont, "modern", "fixed"},
                             {kTitleFont, "roman", "variable"},
                             {kHeading1Font, "modern", "fixed"},
                             {kHeading2Font, "modern", "fixed"},
                             {kPageNumberFont, "auto", "variable"}};
  std::string s(kXmlDecl);
  s += "<w:fonts " + std::string(kWordNs) + ">";
  for (const Face& f : kFaces) {
    s += "<w:font w:name=\"" + std::string(f.name) +
         "\"><w:charset w:val=\"86\"/><w:family w:val=\"" + std::string(f.family) +
         "\"/><w:pitch w:val=\"" + std::string(f.pitch) + "\"/></w:font>";
  }
  return s + "</w:fonts>";
}

std::string SettingsXml() {
  std::string s(kXmlDecl);
  s += "<w:settings " + std::string(kWordNs) + ">";
  // In the schema's order (Word refuses a settings part out of order).
  s += "<w:defaultTabStop w:val=\"420\"/><w:evenAndOddHeaders/>";
  s += "<w:characterSpacingControl w:val=\"compressPunctuation\"/>";
  s += "<w:compat><w:compatSetting w:name=\"compatibilityMode\" "
       "w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>";
  s += "</w:settings>";
  return s;
}

std::string ContentTypesXml() {
  constexpr std::string_view kWml =
      "application/vnd.openxmlformats-officedocument.wordprocessingml.";
  auto override_part = [&](std::string_view part, std::string_view type) {
    return "<Override PartName=\"" + std::string(part) + "\" ContentType=\"" + std::string(type) +
           "\"/>";
  };
  std::string s(kXmlDecl);
  s += "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">";
  s += "<Default Extension=\"rels\" "
       "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>";
  s += "<Default Extension=\"xml\" ContentType=\"application/xml\"/>";
  s += override_part("/word/document.xml", std::string(kWml) + "document.main+xml");
  s += override_part("/word/styles.xml", std::string(kWml) + "styles+xml");
  s += override_part("/word/settings.xml", std::string(kWml) + "settings+xml");
  s += override_part("/word/fontTable.xml", std::string(kWml) + "fontTable+xml");
  s += override_part("/word/footer1.xml", std::string(kWml) + "footer+xml");
  s += override_part("/word/footer2.xml", std::string(kWml) + "footer+xml");
  s += override_part("/docProps/core.xml",
                     "application/vnd.openxmlformats-package.core-properties+xml");
  s += override_part("/docProps/app.xml",
                     "application/vnd.openxmlformats-officedocument.extended-properties+xml");
  s += "</Types>";
  return s;
}

std::string Relationships(const std::vector<std::pair<std::string, std::string>>& rels,
                          const std::vector<std::string>& targets) {
  std::string s(kXmlDecl);
  s += "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">";
  for (size_t i = 0; i < rels.size(); ++i) {
    s += "<Relationship Id=\"" + rels[i].first + "\" Type=\"" + rels[i].second + "\" Target=\"" +
         targets[i] + "\"/>";
  }
  s += "</Relationships>";
  return s;
}

constexpr std::string_view kOfficeRel =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";

std::string PackageRelsXml() {
  return Relationships({{"rId1", std::string(kOfficeRel) + "officeDocument"},
                        {"rId2",
                         "http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
                         "core-properties"},
                        {"rId3", std::string(kOfficeRel) + "extended-properties"}},
                       {"word/document.xml", "docProps/core.xml", "docProps/app.xml"});
}

std::string DocumentRelsXml() {
  return Relationships({{"rIdStyles", std::string(kOfficeRel) + "styles"},
                        {"rIdSettings", std::string(kOfficeRel) + "settings"},
                        {"rIdFonts", std::string(kOfficeRel) + "fontTable"},
                        {"rIdFooterOdd", std::string(kOfficeRel) + "footer"},
                        {"rIdFooterEven", std::string(kOfficeRel) + "footer"}},
                       {"styles.xml", "settings.xml", "fontTable.xml", "footer1.xml", "footer2.xml"});
}

// The unit and period go into the document's properties, not its text: a 公文 shows only what
// the template says.
std::string CoreXml(const ReportBlocks& report) {
  std::string s(kXmlDecl);
  s += "<cp:coreProperties "
       "xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
       "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
       "xmlns:dcterms=\"http://purl.org/dc/terms/\" "
       "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">";
  s += "<dc:title>" + XmlEscape(report.title) + "</dc:title>";
  s += "<dc:subject>" + XmlEscape(report.scope.name) + "</dc:subject>";
  s += "<dc:description>" +
       XmlEscape("单位：" + report.scope.name + "　期间：" + report.period.start.ToIso() + "–" +
                 report.period.end.ToIso()) +
       "</dc:description>";
  s += "<dc:creator>taizhang</dc:creator>";
  s += "</cp:coreProperties>";
  return s;
}

std::string AppXml() {
  std::string s(kXmlDecl);
  s += "<Properties "
       "xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">"
       "<Application>taizhang</Application></Properties>";
  return s;
}

}  // namespace

std::string XmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    size_t start = i;
    uint32_t cp = 0;
    if (!DecodeUtf8(s, &i, &cp)) {
      ++i;  // a stray byte: dropping it keeps the part well-formed
      continue;
    }
    if (!AllowedInXml(cp)) continue;
    switch (cp) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out.append(s.substr(start, i - start));
    }
  }
  return out;
}

std::vector<DocxPart> DocxParts(const ReportBlocks& report,
                                const std::vector<SourceRow>* sources) {
  return {
      {"[Content_Types].xml", ContentTypesXml()},
      {"_rels/.rels", PackageRelsXml()},
      {"word/document.xml", DocumentXml(report, sources)},
      {"word/styles.xml", StylesXml()},
      {"word/settings.xml", SettingsXml()},
      {"word/fontTable.xml", FontTableXml()},
      {"word/_rels/document.xml.rels", DocumentRelsXml()},
      {"word/footer1.xml", FooterXml(/*odd=*/true)},
      {"word/footer2.xml", FooterXml(/*odd=*/false)},
      {"docProps/core.xml", CoreXml(report)},
      {"docProps/app.xml", AppXml()},
  };
}

std::vector<FontStandIn> DocxFontStandIns() {
  // fonts-noto-cjk (Debian's CJK default), Adobe's names for the same faces, then fonts-arphic.
  const std::vector<std::string> serif = {"Noto Serif CJK SC", "Source Han Serif SC",
                                          "Source Han Serif CN", "AR PL UMing CN",
                                          "AR PL SungtiL GB"};
  const std::vector<std::string> sans = {"Noto Sans CJK SC", "Source Han Sans SC",
                                         "Source Han Sans CN", "WenQuanYi Zen Hei"};
  return {{std::string(kBodyFont), serif},      {std::string(kTitleFont), serif},
          {std::string(kHeading2Font), serif},  {std::string(kPageNumberFont), serif},
          {std::string(kHeading1Font), sans}};
}

}  // namespace tz::report
