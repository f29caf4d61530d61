// Rendering a parsed template with computed figures, as Markdown or as a standalone HTML page.
//
// A figure with no value is written "—" and listed, once, with its note at the end of the report
// (Markdown: a "说明" section; HTML: the 数据来源 appendix). {{#if EXPR}} text is kept when EXPR is
// true, dropped when false, and dropped with a note when EXPR has no value.
#ifndef TAIZHANG_REPORT_RENDER_H_
#define TAIZHANG_REPORT_RENDER_H_

#include <map>
#include <string>
#include <vector>

#include "base/result.h"
#include "figures/engine.h"
#include "report/template.h"

namespace tz::report {

struct RenderedReport {
  std::string title;  // plain text, placeholders filled in
  std::string text;   // the whole document (Markdown or HTML)
  // In order of first use: "<label>（<id>）：<note>" once per figure with no value, and a note for
  // each {{#if}} whose condition had no value (its text was dropped).
  std::vector<std::string> notes;
};

// Markdown: "# title\n\n", the template's paragraphs, and (when a figure used has no value) a
// "\n\n---\n\n**说明**\n\n" section with one "- …" line per note. Values are written as they are.
Result<RenderedReport> RenderMarkdown(const ParsedTemplate& parsed, const figures::Engine& engine,
                                      const figures::ComputeResult& computed);

// The records behind the figures of an HTML report, by figure id (from Engine::Explain or
// Engine::ExplainRecords; only `aggregates` and `depends_on` are read). Figures without an entry
// show their definition only.
struct FigureRecords {
  std::map<std::string, figures::Explanation> by_figure;
};

// HTML: a complete UTF-8 page; every figure is a link to its row in the 数据来源 appendix (id,
// label, value, definition, note). Everything from data or the pack is HTML-escaped.
//
// With `records`, a row whose figure has an explanation also lists, below the definition, one
// collapsed <details> per aggregate ("台账：共 N 条记录（列出前 K 条）" over a small table of the
// records; "不适用" when the ledger has no column for the unit's level), and for a figure computed
// from other figures, "由 a.b、c.d 计算" with links to their rows. Figures a used figure depends on
// (directly or not) that have an explanation but are not in the template get rows of their own
// after the template's figures, so every link has a target.
Result<RenderedReport> RenderHtml(const ParsedTemplate& parsed, const figures::Engine& engine,
                                  const figures::ComputeResult& computed,
                                  const FigureRecords* records = nullptr);

// One run of a rendered paragraph: literal text or a figure written out.
struct ReportPiece {
  bool is_figure = false;
  std::string text;                      // the literal text, or the figure's displayed value ("—")
  const pack::FigureDef* def = nullptr;  // figures only
  bool has_value = true;                 // figures only
};
// A paragraph (heading 0) or a "## " / "### " heading (2, 3) of the body, without the marker.
struct ReportBlock {
  int heading = 0;
  std::vector<ReportPiece> pieces;
};
struct ReportBlocks {
  std::string title;  // plain text
  Period period;      // what it was computed for
  figures::Scope scope;
  std::vector<ReportBlock> blocks;
  std::vector<std::string> notes;  // as RenderedReport::notes
  // Every figure the report names, in order of first use, with those only named in {{#if}}
  // conditions (the 数据来源 appendix lists them).
  std::vector<const pack::FigureDef*> used;
};

// The report as structured blocks, for a page that lays it out itself (the web app links each
// figure to its records). Same expansion and blocks as RenderHtml; nothing escaped.
Result<ReportBlocks> RenderBlocks(const ParsedTemplate& parsed, const figures::Engine& engine,
                                  const figures::ComputeResult& computed);

// Each segment of a template as written out, for a writer that puts the text back where the
// template had it (a Word template, service/word_template.h): `piece.text` is the literal text, the
// figure's displayed value ("—" when it has none) or "" for {{#if}} / {{/if}} (`marker`); `kept`
// is false for the text and figures a false or undecidable condition drops.
struct SegmentOutput {
  ReportPiece piece;
  bool marker = false;
  bool kept = true;
};
struct RenderedSegments {
  std::vector<SegmentOutput> title;  // parallel to ParsedTemplate::title
  std::vector<SegmentOutput> body;   // parallel to ParsedTemplate::body
  std::vector<std::string> notes;    // as RenderedReport::notes
  std::vector<const pack::FigureDef*> used;  // as ReportBlocks::used
};
Result<RenderedSegments> RenderSegments(const ParsedTemplate& parsed,
                                        const figures::Engine& engine,
                                        const figures::ComputeResult& computed);

// Binds every {{#if}} expression without computing anything, so a pack's template mistakes show
// up before a report is run. Errors name the template file and line.
Status CheckConditions(const ParsedTemplate& parsed, const figures::Engine& engine);

// HTML text escaping of & < > " ' (for element content and quoted attribute values).
std::string HtmlEscape(std::string_view s);

}  // namespace tz::report

#endif  // TAIZHANG_REPORT_RENDER_H_
