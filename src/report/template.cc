#include "report/template.h"

#include <algorithm>
#include <set>
#include <utility>

#include "base/strings.h"

namespace tz::report {
namespace {

bool IsNameStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsNameByte(char c) { return IsNameStart(c) || (c >= '0' && c <= '9') || c == '.'; }

// Template text as the parser sees it: no byte-order mark, "\n" line ends.
std::string Normalize(std::string_view text) {
  if (StartsWith(text, "\xEF\xBB\xBF")) text.remove_prefix(3);
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      if (i + 1 < text.size() && text[i + 1] == '\n') continue;
      out += '\n';
      continue;
    }
    out += text[i];
  }
  return out;
}

int CountNewlines(std::string_view s) {
  return static_cast<int>(std::count(s.begin(), s.end(), '\n'));
}

class Parser {
 public:
  // `base`: the start of the whole (normalised) text, which every `text` given to Run lies in.
  Parser(const pack::Catalog& catalog, const pack::Template& tmpl, const char* base)
      : catalog_(catalog), tmpl_(tmpl), base_(base) {}

  // Parses `text`, whose first byte is on line `first_line`, into `out`.
  Status Run(std::string_view text, int first_line, std::vector<Segment>* out) {
    int line = first_line;
    int open_if_line = 0;  // the line of the {{#if}} not yet closed, 0 when none
    const size_t at = static_cast<size_t>(text.data() - base_);
    size_t i = 0;
    while (i < text.size()) {
      size_t open = text.find("{{", i);
      if (open == std::string_view::npos) open = text.size();
      if (open > i) {
        Segment s;
        s.kind = Segment::Kind::kText;
        s.text = std::string(text.substr(i, open - i));
        s.line = line;
        s.offset = at + i;
        s.length = open - i;
        line += CountNewlines(s.text);
        out->push_back(std::move(s));
      }
      if (open == text.size()) break;
      size_t close = text.find("}}", open + 2);
      // A placeholder never spans lines: a "}}" further down belongs to someone else.
      size_t newline = text.find('\n', open + 2);
      if (close == std::string_view::npos ||
          (newline != std::string_view::npos && newline < close)) {
        return Error(line, "“{{”缺少对应的“}}”", "'{{' without a closing '}}'");
      }
      std::string_view inner = TrimSpace(text.substr(open + 2, close - open - 2));
      i = close + 2;

      Segment s;
      s.line = line;
      s.offset = at + open;
      s.length = i - open;
      if (StartsWith(inner, "#if") && (inner.size() == 3 || inner[3] == ' ' || inner[3] == '\t' ||
                                       StartsWith(inner.substr(3), "\xE3\x80\x80"))) {
        if (open_if_line) {
          return Error(line,
                       "条件不能嵌套：第" + std::to_string(open_if_line) +
                           "行的“{{#if}}”尚未以“{{/if}}”结束",
                       "nested {{#if}} (the one on line " + std::to_string(open_if_line) +
                           " is still open)");
        }
        std::string_view expr = TrimSpace(inner.substr(3));
        if (expr.empty()) {
          return Error(line, "“{{#if}}”缺少条件", "{{#if}} without an expression");
        }
        s.kind = Segment::Kind::kIfBegin;
        s.text = std::string(expr);
        for (const std::string& id : FiguresInExpression(catalog_, expr)) {
          s.expr_figures.push_back(catalog_.FindFigure(id));
        }
        out->push_back(std::move(s));
        open_if_line = line;
        continue;
      }
      if (inner == "/if") {
        if (!open_if_line) {
          return Error(line, "“{{/if}}”前面没有对应的“{{#if …}}”", "{{/if}} without {{#if}}");
        }
        open_if_line = 0;
        s.kind = Segment::Kind::kIfEnd;
        out->push_back(std::move(s));
        continue;
      }
      if (StartsWith(inner, "#") || StartsWith(inner, "/")) {
        return Error(line, "无法识别的模板指令" + Quoted(inner) + "（只支持 {{#if 条件}}…{{/if}}）",
                     "unknown template directive '" + std::string(inner) + "'");
      }
      std::string_view id = inner;
      std::string_view rule_name;
      bool has_rule = false;
      if (size_t bar = inner.find('|'); bar != std::string_view::npos) {
        id = TrimSpace(inner.substr(0, bar));
        rule_name = TrimSpace(inner.substr(bar + 1));
        has_rule = true;
      }
      s.kind = Segment::Kind::kFigure;
      s.figure = catalog_.FindFigure(id);
      if (!s.figure) {
        return Error(line, "未知的指标" + Quoted(id), "unknown figure '" + std::string(id) + "'");
      }
      if (has_rule) {
        s.rule = pack::ParseDisplayRule(rule_name);
        if (!s.rule) {
          return Error(
              line, "未知的显示规则" + Quoted(rule_name) + "（指标 " + s.figure->id + "）",
              "unknown display rule '" + std::string(rule_name) + "' for figure " + s.figure->id);
        }
      }
      out->push_back(std::move(s));
    }
    if (open_if_line) {
      return Error(open_if_line, "“{{#if}}”缺少对应的“{{/if}}”", "{{#if}} without {{/if}}");
    }
    return Status::Ok();
  }

 private:
  Status Error(int line, const std::string& zh, const std::string& en) const {
    std::string where = tmpl_.file.empty() ? "templates/" + tmpl_.id + ".md" : tmpl_.file;
    where += ":" + std::to_string(line);
    return Status::InvalidArgument("模板 " + where + "：" + zh, "template " + where + ": " + en);
  }

  const pack::Catalog& catalog_;
  const pack::Template& tmpl_;
  const char* base_;
};

}  // namespace

std::vector<std::string> FiguresInExpression(const pack::Catalog& catalog, std::string_view expr) {
  std::vector<std::string> ids;
  size_t i = 0;
  while (i < expr.size()) {
    char c = expr[i];
    if (c == '\'' || c == '"') {
      size_t end = expr.find(c, i + 1);
      i = end == std::string_view::npos ? expr.size() : end + 1;
      continue;
    }
    if (IsNameStart(c)) {
      size_t start = i;
      while (i < expr.size() && IsNameByte(expr[i])) ++i;
      std::string_view name = expr.substr(start, i - start);
      while (!name.empty() && name.back() == '.') name.remove_suffix(1);
      if (catalog.FindFigure(name) && std::find(ids.begin(), ids.end(), name) == ids.end()) {
        ids.emplace_back(name);
      }
      continue;
    }
    // Skip a number or any other byte (a digit run may contain '.', never starts a name).
    if (c >= '0' && c <= '9') {
      while (i < expr.size() && IsNameByte(expr[i])) ++i;
      continue;
    }
    ++i;
  }
  return ids;
}

Result<ParsedTemplate> ParseTemplate(const pack::Catalog& catalog, const pack::Template& tmpl,
                                     TitleLine title) {
  ParsedTemplate parsed;
  parsed.id = tmpl.id;
  parsed.file = tmpl.file.empty() ? "templates/" + tmpl.id + ".md" : tmpl.file;
  const std::string text = Normalize(tmpl.text);
  std::string_view body = text;
  int body_line = 1;
  Parser parser(catalog, tmpl, text.data());
  if (title == TitleLine::kMarkdown && StartsWith(body, "# ")) {
    size_t end = body.find('\n');
    std::string_view title_line = body.substr(2, end == std::string_view::npos ? end : end - 2);
    parsed.has_title = true;
    TZ_RETURN_IF_ERROR(parser.Run(TrimSpace(title_line), 1, &parsed.title));
    body = end == std::string_view::npos ? std::string_view() : body.substr(end + 1);
    body_line = 2;
  }
  TZ_RETURN_IF_ERROR(parser.Run(body, body_line, &parsed.body));
  return parsed;
}

std::vector<std::string> FiguresUsed(const ParsedTemplate& parsed) {
  std::vector<std::string> ids;
  std::set<std::string> seen;
  auto add = [&](const pack::FigureDef* def) {
    if (def && seen.insert(def->id).second) ids.push_back(def->id);
  };
  for (const std::vector<Segment>* part : {&parsed.title, &parsed.body}) {
    for (const Segment& s : *part) {
      if (s.kind == Segment::Kind::kFigure) add(s.figure);
      if (s.kind == Segment::Kind::kIfBegin) {
        for (const pack::FigureDef* def : s.expr_figures) add(def);
      }
    }
  }
  return ids;
}

}  // namespace tz::report
