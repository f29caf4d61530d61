#include "report/render.h"

#include <set>
#include <string_view>
#include <utility>

#include "base/strings.h"

namespace tz::report {
namespace {

using figures::FigureValue;

constexpr std::string_view kNoValue = "—";

using Piece = ReportPiece;

// A figure's value as the report sees it.
struct Looked {
  const FigureValue* value = nullptr;  // nullptr when it was not computed
  std::string display;                 // with the figure's own display rule
  std::string note;                    // why there is no value; empty when there is one
  bool has_value() const { return value && value->has_value(); }
};

Looked Lookup(const figures::ComputeResult& computed, const pack::FigureDef& def) {
  Looked l;
  const figures::FigureResult* r = computed.Find(def.id);
  if (!r) {
    l.display = std::string(kNoValue);
    l.note = "未计算（生成报告前没有计算此指标）";
    return l;
  }
  l.value = &r->value;
  l.display = r->display.empty() && !r->value.has_value() ? std::string(kNoValue) : r->display;
  if (!r->value.has_value()) l.note = r->value.note().empty() ? "无数据" : r->value.note();
  return l;
}

// Collapses whitespace runs (the definition of a figure may span lines) into single spaces.
std::string OneLine(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : TrimSpace(s)) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::string Where(const ParsedTemplate& parsed, int line) {
  return parsed.file + ":" + std::to_string(line);
}

// Walks the segments: evaluates conditions, fills in figures and records, in order of first use,
// the figures the report depends on and the notes it must carry.
class Expander {
 public:
  Expander(const ParsedTemplate& parsed, const figures::Engine& engine,
           const figures::ComputeResult& computed)
      : parsed_(parsed), engine_(engine), computed_(computed) {}

  // Every segment as written out, in order: literal text as it is, a figure's displayed value,
  // "" for {{#if}} and {{/if}}; `kept` false for what a false or undecided condition drops.
  Result<std::vector<SegmentOutput>> Walk(const std::vector<Segment>& segments) {
    std::vector<SegmentOutput> out;
    out.reserve(segments.size());
    bool skipping = false;
    for (const Segment& s : segments) {
      SegmentOutput o;
      o.piece.has_value = true;
      switch (s.kind) {
        case Segment::Kind::kText:
          o.piece.text = s.text;
          o.kept = !skipping;
          break;
        case Segment::Kind::kFigure: {
          o.kept = !skipping;
          o.piece.is_figure = true;
          o.piece.def = s.figure;
          if (skipping) break;
          Looked l = Lookup(computed_, *s.figure);
          Use(*s.figure, l);
          o.piece.has_value = l.has_value();
          if (!l.has_value()) {
            o.piece.text = std::string(kNoValue);
          } else if (s.rule) {
            o.piece.text = figures::Display(*l.value, *s.rule, s.figure->display_arg);
          } else {
            o.piece.text = l.display;
          }
          break;
        }
        case Segment::Kind::kIfBegin: {
          o.marker = true;
          if (skipping) break;  // cannot happen: conditions do not nest
          TZ_ASSIGN_OR_RETURN(bool keep, Condition(s));
          skipping = !keep;
          break;
        }
        case Segment::Kind::kIfEnd:
          o.marker = true;
          skipping = false;
          break;
      }
      out.push_back(std::move(o));
    }
    return out;
  }

  // The pieces of text and figures that are written out.
  Result<std::vector<Piece>> Expand(const std::vector<Segment>& segments) {
    TZ_ASSIGN_OR_RETURN(std::vector<SegmentOutput> walked, Walk(segments));
    std::vector<Piece> out;
    for (SegmentOutput& o : walked) {
      if (o.kept && !o.marker) out.push_back(std::move(o.piece));
    }
    return out;
  }

  const std::vector<const pack::FigureDef*>& used() const { return used_; }
  const std::vector<std::string>& notes() const { return notes_; }

 private:
  void Use(const pack::FigureDef& def, const Looked& l) {
    if (!used_ids_.insert(def.id).second) return;
    used_.push_back(&def);
    if (!l.has_value()) notes_.push_back(def.label + "（" + def.id + "）：" + l.note);
  }

  Result<bool> Condition(const Segment& s) {
    for (const pack::FigureDef* def : s.expr_figures) Use(*def, Lookup(computed_, *def));
    Result<FigureValue> v = engine_.Evaluate(s.text, computed_);
    if (!v.ok()) {
      return v.status().WithContext(
          "模板 " + Where(parsed_, s.line) + "：条件“" + s.text + "”：",
          "template " + Where(parsed_, s.line) + ": condition '" + s.text + "': ");
    }
    if (!v->has_value()) {
      std::string why = v->note().empty() ? "无数据" : v->note();
      notes_.push_back("条件“" + s.text + "”（" + Where(parsed_, s.line) +
                       "）无值，相应文字未写入：" + why);
      return false;
    }
    if (v->kind() != FigureValue::Kind::kBool) {
      return Status::InvalidArgument(
          "模板 " + Where(parsed_, s.line) + "：条件“" + s.text + "”的结果不是真假值",
          "template " + Where(parsed_, s.line) + ": condition '" + s.text + "' is not a boolean");
    }
    return v->boolean();
  }

  const ParsedTemplate& parsed_;
  const figures::Engine& engine_;
  const figures::ComputeResult& computed_;
  std::vector<const pack::FigureDef*> used_;
  std::set<std::string> used_ids_;
  std::vector<std::string> notes_;
};

std::string PlainText(const std::vector<Piece>& pieces) {
  std::string s;
  for (const Piece& p : pieces) s += p.text;
  return s;
}

// Leading newlines and trailing whitespace removed; runs of blank lines (left behind by dropped
// conditional text) collapsed to one.
std::string TidyBody(std::string_view s) {
  while (!s.empty() && s.front() == '\n') s.remove_prefix(1);
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  std::string out;
  int newlines = 0;
  for (char c : s) {
    if (c == '\n') {
      if (++newlines > 2) continue;
    } else {
      newlines = 0;
    }
    out += c;
  }
  return out;
}

std::string Title(const ParsedTemplate& parsed, const std::vector<Piece>& pieces) {
  std::string t = std::string(TrimSpace(PlainText(pieces)));
  return t.empty() ? parsed.id : t;
}

// ---- HTML ----

std::string FigureLink(const Piece& p) {
  const pack::FigureDef& d = *p.def;
  std::string h = "<a class=\"";
  h += p.has_value ? "fig" : "fig none";
  h += "\" href=\"#fig-" + HtmlEscape(d.id) + "\" title=\"" +
       HtmlEscape(d.label + "：" + OneLine(d.expr)) + "\">" + HtmlEscape(p.text) + "</a>";
  return h;
}

std::string InlineHtml(const std::vector<Piece>& pieces) {
  std::string h;
  for (const Piece& p : pieces) h += p.is_figure ? FigureLink(p) : HtmlEscape(p.text);
  return h;
}

// The body's lines as blocks: "## x" and "### x" lines become headings, every other non-blank
// line a paragraph; text is split at newlines and each block trimmed at both ends.
std::vector<ReportBlock> SplitBlocks(const std::vector<Piece>& pieces) {
  std::vector<ReportBlock> out;
  ReportBlock block;
  bool blank = true;  // the line so far holds only whitespace
  auto flush = [&] {
    if (!blank) {
      std::vector<Piece>& ps = block.pieces;
      if (!ps.front().is_figure) ps.front().text = std::string(TrimSpace(ps.front().text));
      if (!ps.back().is_figure) ps.back().text = std::string(TrimSpace(ps.back().text));
      std::erase_if(ps, [](const Piece& p) { return !p.is_figure && p.text.empty(); });
      out.push_back(std::move(block));
    }
    block = ReportBlock();
    blank = true;
  };
  for (const Piece& p : pieces) {
    if (p.is_figure) {
      block.pieces.push_back(p);
      blank = false;
      continue;
    }
    std::string_view rest = p.text;
    while (true) {
      size_t nl = rest.find('\n');
      std::string_view chunk = rest.substr(0, nl);
      if (blank && !TrimSpace(chunk).empty()) {
        std::string_view t = TrimSpace(chunk);
        if (StartsWith(t, "### ")) {
          block.heading = 3;
          chunk = t.substr(4);
        } else if (StartsWith(t, "## ")) {
          block.heading = 2;
          chunk = t.substr(3);
        }
      }
      if (!TrimSpace(chunk).empty()) blank = false;
      if (!chunk.empty()) {  // adjacent text is merged, so trimming the ends trims the line
        if (!block.pieces.empty() && !block.pieces.back().is_figure) {
          block.pieces.back().text += chunk;
        } else {
          block.pieces.push_back(Piece{false, std::string(chunk), nullptr, true});
        }
      }
      if (nl == std::string_view::npos) break;
      flush();
      rest.remove_prefix(nl + 1);
    }
  }
  flush();
  return out;
}

// The blocks as HTML block elements.
std::string BlocksHtml(const std::vector<Piece>& pieces) {
  std::string out;
  for (const ReportBlock& b : SplitBlocks(pieces)) {
    std::string tag = b.heading ? "h" + std::to_string(b.heading) : "p";
    out += "<" + tag + ">" + InlineHtml(b.pieces) + "</" + tag + ">\n";
  }
  return out;
}

constexpr std::string_view kCss = R"css(
@page { size: A4; margin: 2.5cm 2.2cm; }
body { font-family: "SimSun", "Songti SC", "Noto Serif CJK SC", "Source Han Serif SC", serif;
       max-width: 44em; margin: 2em auto; padding: 0 1em; line-height: 1.9; color: #000;
       background: #fff; font-size: 16px; }
h1 { text-align: center; font-size: 1.6em; font-weight: bold; margin: 0.5em 0; }
h2 { font-size: 1.2em; }
p { text-indent: 2em; margin: 0 0 0.5em; text-align: justify; }
p.meta { text-indent: 0; text-align: center; color: #444; font-size: 0.9em; margin-bottom: 1.5em; }
a.fig { color: inherit; text-decoration: none; border-bottom: 1px dotted #888; }
a.fig.none { color: #a00; }
#sources { margin-top: 3em; font-size: 0.85em; }
#sources table { border-collapse: collapse; width: 100%; }
#sources th, #sources td { border: 1px solid #999; padding: 0.2em 0.4em; text-align: left;
                           vertical-align: top; }
#sources tr.none td { color: #a00; }
#sources code { font-family: "Consolas", "Menlo", "Noto Sans Mono CJK SC", monospace;
                white-space: pre-wrap; word-break: break-all; }
#sources .def { margin: 0; }
#sources .agg, #sources details { margin: 0.3em 0 0; }
#sources summary { cursor: pointer; }
#sources .na { color: #666; }
#sources .recs { overflow-x: auto; }
#sources table.recs { width: auto; font-size: 0.9em; margin: 0.2em 0 0.4em; }
#sources table.recs th, #sources table.recs td { border-color: #bbb; padding: 0.05em 0.3em;
                                                 color: #000; word-break: break-all; }
#sources table.recs th { background: #f3f3f3; font-weight: normal; }
#sources tr.group th { background: #f3f3f3; }
@media print {
  body { margin: 0; max-width: none; padding: 0; }
  #sources summary { list-style: none; cursor: auto; }
  #sources summary::-webkit-details-marker { display: none; }
  a.fig { border-bottom: none; }
  #sources { break-before: page; page-break-before: always; }
  #sources tr { break-inside: avoid; page-break-inside: avoid; }
}
)css";

std::string RowLink(const figures::Engine& engine, const std::string& id,
                    const std::set<std::string>& rows) {
  if (!rows.count(id)) return "<code>" + HtmlEscape(id) + "</code>";
  std::string h = "<a href=\"#fig-" + HtmlEscape(id) + "\"";
  if (const pack::FigureDef* d = engine.catalog().FindFigure(id)) {
    h += " title=\"" + HtmlEscape(d->label) + "\"";
  }
  return h + ">" + HtmlEscape(id) + "</a>";
}

// One aggregate of a figure: a collapsed list of its records, or why there are none.
std::string AggregateHtml(const figures::AggregateExplanation& a) {
  std::string title = HtmlEscape(a.ledger_title.empty() ? a.ledger_id : a.ledger_title);
  std::string source =
      a.source.empty() ? "" : " <code>" + HtmlEscape(OneLine(a.source)) + "</code>";
  if (!a.applicable) {
    return "<div class=\"agg na\">" + title + "：不适用（本级单位在此台账中没有对应列）" + source +
           "</div>\n";
  }
  if (a.total_records == 0 || a.records.empty()) {
    const char* withheld = a.records_withheld && a.total_records > 0 ? "（无权查看明细）" : "";
    return "<div class=\"agg\">" + title + "：共 " + std::to_string(a.total_records) + " 条记录" +
           withheld + source + "</div>\n";
  }
  std::string h =
      "<details><summary>" + title + "：共 " + std::to_string(a.total_records) + " 条记录";
  if (static_cast<int64_t>(a.records.size()) < a.total_records) {
    h += "（列出前 " + std::to_string(a.records.size()) + " 条）";
  }
  h += source + "</summary>\n<div class=\"recs\"><table class=\"recs\">\n<thead><tr>";
  for (const std::string& c : a.columns) h += "<th>" + HtmlEscape(c) + "</th>";
  h += "</tr></thead>\n<tbody>\n";
  for (const std::vector<std::string>& rec : a.records) {
    h += "<tr>";
    for (const std::string& cell : rec) h += "<td>" + HtmlEscape(cell) + "</td>";
    h += "</tr>\n";
  }
  h += "</tbody>\n</table></div>\n</details>\n";
  return h;
}

// What stands below a figure's definition: its aggregates' records and the figures it uses.
std::string ExplanationHtml(const figures::Engine& engine, const figures::Explanation& ex,
                            const std::set<std::string>& rows) {
  std::string h;
  for (const figures::AggregateExplanation& a : ex.aggregates) h += AggregateHtml(a);
  if (!ex.depends_on.empty()) {
    std::string links;
    for (const std::string& dep : ex.depends_on) {
      if (!links.empty()) links += "、";
      links += RowLink(engine, dep, rows);
    }
    h += "<div class=\"agg\">" + std::string(ex.aggregates.empty() ? "由 " : "并用到 ") + links +
         (ex.aggregates.empty() ? " 计算" : "") + "</div>\n";
  }
  return h;
}

}  // namespace

std::string HtmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
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
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

Result<RenderedReport> RenderMarkdown(const ParsedTemplate& parsed, const figures::Engine& engine,
                                      const figures::ComputeResult& computed) {
  Expander ex(parsed, engine, computed);
  TZ_ASSIGN_OR_RETURN(std::vector<Piece> title, ex.Expand(parsed.title));
  TZ_ASSIGN_OR_RETURN(std::vector<Piece> body, ex.Expand(parsed.body));
  RenderedReport r;
  r.title = Title(parsed, title);
  r.notes = ex.notes();
  r.text = "# " + r.title + "\n\n" + TidyBody(PlainText(body));
  if (!r.notes.empty()) {
    r.text += "\n\n---\n\n**说明**\n\n";
    for (size_t i = 0; i < r.notes.size(); ++i) {
      if (i) r.text += '\n';
      r.text += "- " + r.notes[i];
    }
  }
  if (r.text.back() != '\n') r.text += '\n';
  return r;
}

Result<RenderedSegments> RenderSegments(const ParsedTemplate& parsed,
                                        const figures::Engine& engine,
                                        const figures::ComputeResult& computed) {
  Expander ex(parsed, engine, computed);
  RenderedSegments r;
  TZ_ASSIGN_OR_RETURN(r.title, ex.Walk(parsed.title));
  TZ_ASSIGN_OR_RETURN(r.body, ex.Walk(parsed.body));
  r.notes = ex.notes();
  r.used = ex.used();
  return r;
}

Result<ReportBlocks> RenderBlocks(const ParsedTemplate& parsed, const figures::Engine& engine,
                                  const figures::ComputeResult& computed) {
  Expander ex(parsed, engine, computed);
  TZ_ASSIGN_OR_RETURN(std::vector<Piece> title, ex.Expand(parsed.title));
  TZ_ASSIGN_OR_RETURN(std::vector<Piece> body, ex.Expand(parsed.body));
  ReportBlocks r;
  r.title = Title(parsed, title);
  r.period = computed.period;
  r.scope = computed.scope;
  r.blocks = SplitBlocks(body);
  r.notes = ex.notes();
  r.used = ex.used();
  return r;
}

Result<RenderedReport> RenderHtml(const ParsedTemplate& parsed, const figures::Engine& engine,
                                  const figures::ComputeResult& computed,
                                  const FigureRecords* records) {
  Expander ex(parsed, engine, computed);
  TZ_ASSIGN_OR_RETURN(std::vector<Piece> title, ex.Expand(parsed.title));
  TZ_ASSIGN_OR_RETURN(std::vector<Piece> body, ex.Expand(parsed.body));
  RenderedReport r;
  r.title = Title(parsed, title);
  r.notes = ex.notes();

  std::string& h = r.text;
  h += "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n";
  h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  h += "<title>" + HtmlEscape(r.title) + "</title>\n<style>" + std::string(kCss) + "</style>\n";
  h += "</head>\n<body>\n<article>\n";
  h += "<h1>" + (title.empty() ? HtmlEscape(r.title) : InlineHtml(title)) + "</h1>\n";
  h += "<p class=\"meta\">单位：" + HtmlEscape(computed.scope.name) + "　期间：" +
       HtmlEscape(computed.period.start.ToIso()) + "–" + HtmlEscape(computed.period.end.ToIso()) +
       "</p>\n";
  h += BlocksHtml(body);
  h += "</article>\n";

  // Notes that belong to no figure row (conditions with no value).
  std::vector<std::string> other_notes;
  {
    std::set<std::string> figure_notes;
    for (const pack::FigureDef* def : ex.used()) {
      Looked l = Lookup(computed, *def);
      if (!l.has_value()) figure_notes.insert(def->label + "（" + def->id + "）：" + l.note);
    }
    for (const std::string& n : r.notes) {
      if (!figure_notes.count(n)) other_notes.push_back(n);
    }
  }

  h += "<section id=\"sources\">\n<h2>数据来源</h2>\n<table>\n";
  h +=
      "<thead><tr><th>指标</th><th>名称</th><th>数值</th><th>口径</th><th>说明</th></tr></thead>\n";
  // The template's figures, then (with records) the figures they are computed from.
  std::vector<const pack::FigureDef*> rows = ex.used();
  std::set<std::string> row_ids;
  for (const pack::FigureDef* def : rows) row_ids.insert(def->id);
  const size_t used_rows = rows.size();
  auto explanation = [&](const std::string& id) -> const figures::Explanation* {
    if (!records) return nullptr;
    auto it = records->by_figure.find(id);
    return it == records->by_figure.end() ? nullptr : &it->second;
  };
  for (size_t i = 0; i < rows.size(); ++i) {
    const figures::Explanation* e = explanation(rows[i]->id);
    if (!e) continue;
    for (const std::string& dep : e->depends_on) {
      if (row_ids.count(dep) || !explanation(dep)) continue;
      const pack::FigureDef* d = engine.catalog().FindFigure(dep);
      if (!d) continue;
      row_ids.insert(dep);
      rows.push_back(d);
    }
  }

  h += "<tbody>\n";
  for (size_t i = 0; i < rows.size(); ++i) {
    const pack::FigureDef* def = rows[i];
    if (i == used_rows) {
      h += "<tr class=\"group\"><th colspan=\"5\">以上指标计算所用的其他指标</th></tr>\n";
    }
    Looked l = Lookup(computed, *def);
    std::string id = HtmlEscape(def->id);
    h += "<tr id=\"fig-" + id + "\"" + (l.has_value() ? "" : " class=\"none\"") + ">";
    h += "<td><code>" + id + "</code></td>";
    h += "<td>" + HtmlEscape(def->label) + "</td>";
    h += "<td>" + HtmlEscape(l.has_value() ? l.display : std::string(kNoValue)) + "</td>";
    std::string def_text = HtmlEscape(std::string(TrimSpace(def->expr)));
    const figures::Explanation* e = explanation(def->id);
    std::string more = e ? ExplanationHtml(engine, *e, row_ids) : "";
    if (more.empty()) {
      h += "<td><code>" + def_text + "</code></td>";
    } else {
      h += "<td><div class=\"def\"><code>" + def_text + "</code></div>\n" + more + "</td>";
    }
    h += "<td>" + HtmlEscape(l.note) + "</td>";
    h += "</tr>\n";
  }
  h += "</tbody>\n</table>\n";
  if (!other_notes.empty()) {
    h += "<h2>说明</h2>\n<ul>\n";
    for (const std::string& n : other_notes) h += "<li>" + HtmlEscape(n) + "</li>\n";
    h += "</ul>\n";
  }
  h += "</section>\n</body>\n</html>\n";
  return r;
}

Status CheckConditions(const ParsedTemplate& parsed, const figures::Engine& engine) {
  // No figure computed: Evaluate still binds the expression and reports its errors.
  figures::ComputeResult empty;
  empty.period.start = *Date::FromYmd(2000, 1, 1);
  empty.period.end = *Date::FromYmd(2000, 12, 31);
  for (const std::vector<Segment>* part : {&parsed.title, &parsed.body}) {
    for (const Segment& s : *part) {
      if (s.kind != Segment::Kind::kIfBegin) continue;
      Result<FigureValue> v = engine.Evaluate(s.text, empty);
      if (!v.ok()) {
        return v.status().WithContext(
            "模板 " + Where(parsed, s.line) + "：条件“" + s.text + "”：",
            "template " + Where(parsed, s.line) + ": condition '" + s.text + "': ");
      }
    }
  }
  return Status::Ok();
}

}  // namespace tz::report
