// Report templates (docs/pack.md, "Templates"; docs/figures.md, "Templates"): the text of a report
// with placeholders, parsed once against a catalog so that every figure id and display rule is
// checked before anything is computed.
//
//   {{figure.id}}             the figure, written with its display rule
//   {{figure.id|rule}}        with another display rule (pack::ParseDisplayRule: percent_floor,
//   余…)
//   {{#if EXPR}}…{{/if}}      the text only when EXPR (figure language) is true; no nesting
//
// The first line, if it starts with "# ", is the title (placeholders allowed there too).
#ifndef TAIZHANG_REPORT_TEMPLATE_H_
#define TAIZHANG_REPORT_TEMPLATE_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "pack/catalog.h"

namespace tz::report {

struct Segment {
  enum class Kind {
    kText,     // literal text (may contain newlines)
    kFigure,   // {{id}} or {{id|rule}}
    kIfBegin,  // {{#if EXPR}}
    kIfEnd,    // {{/if}}
  };
  Kind kind = Kind::kText;
  std::string text;                                  // kText: the text; kIfBegin: EXPR, trimmed
  const pack::FigureDef* figure = nullptr;           // kFigure: points into the catalog
  std::optional<pack::DisplayRule> rule;             // kFigure: the overriding rule, if any
  std::vector<const pack::FigureDef*> expr_figures;  // kIfBegin: catalog figures EXPR names
  int line = 0;  // 1-based line in the template file where it starts
  // Where it stands in the template's text (after a byte-order mark and "\r" are removed), in
  // bytes: the literal text, or the whole "{{…}}".
  size_t offset = 0;
  size_t length = 0;
};

struct ParsedTemplate {
  std::string id;              // "seed"
  std::string file;            // "templates/seed.md", for messages
  bool has_title = false;      // the first line started with "# "
  std::vector<Segment> title;  // the title line without "# " (empty when has_title is false)
  std::vector<Segment> body;   // everything after the title line; kIfBegin/kIfEnd are balanced
};

// Parses `tmpl` against `catalog` (which must outlive the result: segments point at its figures).
// Every error is InvalidArgument and names file and line: unknown figure id, unknown display rule,
// `{{` without `}}`, `{{/if}}` without `{{#if`, nested `{{#if`, `{{#if` without `{{/if}}`.
// With kNoTitle the first line is body like any other (a Word template has its own title).
enum class TitleLine { kMarkdown, kNoTitle };
Result<ParsedTemplate> ParseTemplate(const pack::Catalog& catalog, const pack::Template& tmpl,
                                     TitleLine title = TitleLine::kMarkdown);

// The catalog figure ids named in the template, in order of first use (title first): figures placed
// with {{…}} and figure ids inside {{#if …}} expressions (dotted or bare ASCII names outside string
// literals that are catalog figure ids). Compute these to render the template.
std::vector<std::string> FiguresUsed(const ParsedTemplate& parsed);

// The catalog figure ids an {{#if}} expression names, in order of first appearance.
std::vector<std::string> FiguresInExpression(const pack::Catalog& catalog, std::string_view expr);

}  // namespace tz::report

#endif  // TAIZHANG_REPORT_TEMPLATE_H_
