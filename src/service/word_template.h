// A report template written in Word or WPS (.docx): the cadre types the report with the same
// placeholders as a pack template — {{figure.id}}, {{figure.id|rule}}, {{#if EXPR}}…{{/if}} — and
// taizhang fills them in, keeping everything else of the document (styles, fonts, page setup,
// headers, tables, pictures) as it was.
//
// The template's text is the document's paragraphs, one line each (io::DocxDocument: the body,
// then headers and footers), so a placeholder Word split over several runs is found whole, and an
// error names the paragraph as the line: "报告.docx:12" is the twelfth paragraph. A placeholder
// stays within one paragraph; {{#if}} … {{/if}} may span paragraphs of one part (body, a header…)
// holding only text, and the paragraphs a false condition drops (and those left empty by
// removing the markers) are removed.
//
// A filled value takes the formatting of the run where its placeholder began.
//
// In the service layer: it joins the report layer (templates, rendering) and the io layer (the
// .docx package), which do not know each other.
#ifndef TAIZHANG_SERVICE_WORD_TEMPLATE_H_
#define TAIZHANG_SERVICE_WORD_TEMPLATE_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "figures/engine.h"
#include "report/template.h"

namespace tz::io {
class DocxDocument;
}

namespace tz::service {

class WordTemplate {
 public:
  // Opens and parses `path`; `name` (the file name the cadre knows) stands in messages.
  // Errors: those of io::DocxDocument::Open and ParseTemplate (InvalidArgument).
  static Result<std::unique_ptr<WordTemplate>> Open(const pack::Catalog& catalog,
                                                    const std::string& path,
                                                    const std::string& name);
  ~WordTemplate();
  WordTemplate(const WordTemplate&) = delete;
  WordTemplate& operator=(const WordTemplate&) = delete;

  const report::ParsedTemplate& parsed() const { return parsed_; }

  // The first reference to something outside the document that a program opening it might fetch
  // (a linked picture, an INCLUDEPICTURE field…), for a cadre; nullopt when none. A PDF is made
  // by LibreOffice on the server, which would fetch it.
  std::optional<std::string> ExternalReference() const;

  // Fills the placeholders with `computed` (which must hold FiguresUsed(parsed())), in the
  // document held in memory. Once per WordTemplate. The notes, as RenderedReport::notes (figures
  // without a value are written "—"). Errors: a condition that is not true or false
  // (InvalidArgument); FailedPrecondition the second time.
  Result<std::vector<std::string>> Fill(const figures::Engine& engine,
                                        const figures::ComputeResult& computed);
  // Writes the document to `path` (replaced only once complete). IoError when it cannot.
  Status Save(const std::string& path) const;
  // Fill, then Save.
  Result<std::vector<std::string>> Fill(const figures::Engine& engine,
                                        const figures::ComputeResult& computed,
                                        const std::string& path);

 private:
  WordTemplate() = default;
  // The paragraph whose line holds byte `offset` of source_.text.
  size_t ParagraphAt(size_t offset) const;
  Status CheckConditionRegions() const;

  std::unique_ptr<io::DocxDocument> doc_;
  pack::Template source_;             // the paragraphs' text, one line each
  std::vector<size_t> line_start_;    // where each paragraph's line starts in source_.text
  report::ParsedTemplate parsed_;
  bool filled_ = false;
};

}  // namespace tz::service

#endif  // TAIZHANG_SERVICE_WORD_TEMPLATE_H_
