#include "report/docx.h"

#include <cstdint>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "base/strings.h"
#include "io/zip_writer.h"

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

std::string StylesXml() {
  std::string s(kXmlDecl);
  s += "<w:styles " + std::string(kWordNs) + ">";
  s += "<w:docDefaults><w:rPrDefault>" + RunProps(kBodyFont, kBodySize) +
       "</w:rPrDefault><w:pPrDefault><w:pPr>" + ExactSpacing() +
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
  s += ParagraphStyle("NoteHeading", "Note Heading",
                      "<w:keepNext/><w:spacing w:before=\"" + std::to_string(kLineExact) + "\"/>",
                      kHeading1Font, kNoteSize);
  s += ParagraphStyle("Note", "Note", "", kBodyFont, kNoteSize);
  // The page number line: single spacing (an exact 28.95 pt would push it off the footer).
  s += ParagraphStyle("Footer", "footer",
                      "<w:spacing w:line=\"240\" w:lineRule=\"auto\"/>"
                      "<w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/>",
                      kPageNumberFont, kPageNumberSize);
  s += "</w:styles>";
  return s;
}

std::string TextRun(std::string_view text) {
  return "<w:r><w:t xml:space=\"preserve\">" + XmlEscape(text) + "</w:t></w:r>";
}

std::string Paragraph(std::string_view style, const std::string& runs) {
  return "<w:p><w:pPr><w:pStyle w:val=\"" + std::string(style) + "\"/></w:pPr>" + runs + "</w:p>";
}

// Literal text and figures alike become plain runs: the figures were written out by the renderer.
std::string BlockParagraph(const ReportBlock& block) {
  std::string runs;
  for (const ReportPiece& piece : block.pieces) {
    if (!piece.text.empty()) runs += TextRun(piece.text);
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

std::string DocumentXml(const ReportBlocks& report) {
  std::string s(kXmlDecl);
  s += "<w:document " + std::string(kWordNs) + "><w:body>";
  s += Paragraph("Title", TextRun(report.title));
  for (const ReportBlock& block : report.blocks) s += BlockParagraph(block);
  if (!report.notes.empty()) {
    s += Paragraph("NoteHeading", TextRun("说明"));
    for (const std::string& note : report.notes) s += Paragraph("Note", TextRun(note));
  }
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
                        {"rIdFooterOdd", std::string(kOfficeRel) + "footer"},
                        {"rIdFooterEven", std::string(kOfficeRel) + "footer"}},
                       {"styles.xml", "settings.xml", "footer1.xml", "footer2.xml"});
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

namespace {

// The parts, [Content_Types].xml first: some readers sniff the package from its first entry.
Status WriteParts(const ReportBlocks& report, const std::string& path) {
  TZ_ASSIGN_OR_RETURN(std::unique_ptr<io::ZipWriter> zip, io::ZipWriter::Create(path));
  const std::pair<std::string_view, std::string> parts[] = {
      {"[Content_Types].xml", ContentTypesXml()},
      {"_rels/.rels", PackageRelsXml()},
      {"word/document.xml", DocumentXml(report)},
      {"word/styles.xml", StylesXml()},
      {"word/settings.xml", SettingsXml()},
      {"word/_rels/document.xml.rels", DocumentRelsXml()},
      {"word/footer1.xml", FooterXml(/*odd=*/true)},
      {"word/footer2.xml", FooterXml(/*odd=*/false)},
      {"docProps/core.xml", CoreXml(report)},
      {"docProps/app.xml", AppXml()},
  };
  for (const auto& [name, xml] : parts) TZ_RETURN_IF_ERROR(zip->Add(name, xml));
  return zip->Close();
}

}  // namespace

Status WriteDocx(const ReportBlocks& report, const std::string& path) {
  Status s = WriteParts(report, path);
  if (s.ok()) return s;
  return s.WithContext("生成 Word 文档失败：", "WriteDocx: ");
}

}  // namespace tz::report
