#include "figures/parser.h"

#include <array>

#include "base/strings.h"

namespace tz::figures {
namespace {

enum class Tok { kEnd, kIdent, kNumber, kString, kPunct };

struct Token {
  Tok kind = Tok::kEnd;
  std::string text;
  int pos = 0;  // 1-based character column
};

// Deep nesting from hostile input must not overflow the stack.
constexpr int kMaxDepth = 64;
constexpr size_t kMaxTokens = 2000;

bool IsIdentByte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c >= 0x80;
}

class Lexer {
 public:
  explicit Lexer(std::string_view s) : s_(s) {}

  Result<std::vector<Token>> Run() {
    std::vector<Token> out;
    while (true) {
      SkipSpace();
      Token t;
      t.pos = Column();
      if (i_ >= s_.size()) {
        out.push_back(t);
        return out;
      }
      unsigned char c = static_cast<unsigned char>(s_[i_]);
      // Full-width punctuation typed by a Chinese input method is a common slip: say so.
      static constexpr std::array<std::string_view, 6> kFullWidth = {"，", "（", "）",
                                                                     "｜", "‘",  "“"};
      for (std::string_view fw : kFullWidth) {
        if (s_.substr(i_, fw.size()) == fw) {
          return Error(t.pos, "全角符号“" + std::string(fw) + "”，请改用半角（英文）符号");
        }
      }
      if (c == '\'' || c == '"') {
        char quote = static_cast<char>(c);
        size_t start = ++i_;
        while (i_ < s_.size() && s_[i_] != quote) ++i_;
        if (i_ >= s_.size()) return Error(t.pos, "字符串缺少结束引号");
        t.kind = Tok::kString;
        t.text = std::string(s_.substr(start, i_ - start));
        ++i_;
      } else if (c >= '0' && c <= '9') {
        size_t start = i_;
        while (i_ < s_.size() && ((s_[i_] >= '0' && s_[i_] <= '9') || s_[i_] == '.')) {
          // "P.start" never starts with a digit, so a '.' here belongs to the number.
          ++i_;
        }
        t.kind = Tok::kNumber;
        t.text = std::string(s_.substr(start, i_ - start));
      } else if (IsIdentByte(c)) {
        size_t start = i_;
        while (i_ < s_.size() && IsIdentByte(static_cast<unsigned char>(s_[i_]))) ++i_;
        t.kind = Tok::kIdent;
        t.text = std::string(s_.substr(start, i_ - start));
      } else {
        static constexpr std::array<std::string_view, 6> kTwo = {
            "!=", "<>", "<=", ">=", "==", "&&"};
        t.kind = Tok::kPunct;
        bool two = false;
        for (std::string_view op : kTwo) {
          if (s_.substr(i_, 2) == op) {
            t.text = op == "<>" ? "!=" : (op == "==" ? "=" : std::string(op));
            i_ += 2;
            two = true;
            break;
          }
        }
        if (!two) {
          if (std::string_view("()[]{},|.+-*/=<>").find(static_cast<char>(c)) ==
              std::string_view::npos) {
            return Error(t.pos, std::string("无法识别的字符“") + static_cast<char>(c) + "”");
          }
          t.text = std::string(1, static_cast<char>(c));
          ++i_;
        }
      }
      out.push_back(std::move(t));
    }
  }

 private:
  void SkipSpace() {
    while (i_ < s_.size()) {
      if (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r') {
        ++i_;
      } else if (s_.substr(i_, 3) == "\xE3\x80\x80") {
        i_ += 3;
      } else {
        break;
      }
    }
  }
  // Characters before i_, counted incrementally so lexing stays linear.
  int Column() {
    while (counted_ < i_) {
      column_ += (static_cast<unsigned char>(s_[counted_]) & 0xC0) != 0x80;
      ++counted_;
    }
    return column_ + 1;
  }
  Status Error(int pos, const std::string& msg) {
    return Status::InvalidArgument("第" + std::to_string(pos) + "列：" + msg,
                                   "column " + std::to_string(pos) + ": " + msg);
  }

  std::string_view s_;
  size_t i_ = 0;
  size_t counted_ = 0;
  int column_ = 0;
};

class Parser {
 public:
  explicit Parser(std::vector<Token> toks) : t_(std::move(toks)) {}

  Result<NodePtr> ParseAll() {
    TZ_ASSIGN_OR_RETURN(NodePtr n, ParseOr(/*comma_is_and=*/false));
    if (Peek().kind != Tok::kEnd) return Error(Peek().pos, "多余的内容“" + Peek().text + "”");
    return n;
  }

 private:
  const Token& Peek(int k = 0) const {
    size_t i = std::min(p_ + static_cast<size_t>(k), t_.size() - 1);
    return t_[i];
  }
  bool IsPunct(std::string_view s, int k = 0) const {
    return Peek(k).kind == Tok::kPunct && Peek(k).text == s;
  }
  bool IsWord(std::string_view s) const { return Peek().kind == Tok::kIdent && Peek().text == s; }
  Token Take() { return t_[std::min(p_++, t_.size() - 1)]; }
  Status Error(int pos, const std::string& msg) const {
    return Status::InvalidArgument("第" + std::to_string(pos) + "列：" + msg,
                                   "column " + std::to_string(pos) + ": " + msg);
  }
  Status Expect(std::string_view punct) {
    if (!IsPunct(punct)) {
      std::string got = Peek().kind == Tok::kEnd ? "表达式结尾" : "“" + Peek().text + "”";
      return Error(Peek().pos, "此处应为“" + std::string(punct) + "”，实际为" + got);
    }
    Take();
    return Status::Ok();
  }

  static NodePtr Make(NodeKind kind, int pos) {
    auto n = std::make_unique<Node>();
    n->kind = kind;
    n->pos = pos;
    return n;
  }
  static NodePtr Binary(std::string op, NodePtr a, NodePtr b, int pos) {
    NodePtr n = Make(NodeKind::kBinary, pos);
    n->op = std::move(op);
    n->children.push_back(std::move(a));
    n->children.push_back(std::move(b));
    return n;
  }

  struct DepthGuard {
    int& d;
    explicit DepthGuard(int& depth) : d(depth) { ++d; }
    ~DepthGuard() { --d; }
  };

  Result<NodePtr> ParseOr(bool comma_is_and) {
    DepthGuard g(depth_);
    if (depth_ > kMaxDepth) return Error(Peek().pos, "表达式嵌套过深");
    TZ_ASSIGN_OR_RETURN(NodePtr left, ParseAnd(comma_is_and));
    while (IsWord("or")) {
      int pos = Take().pos;
      TZ_ASSIGN_OR_RETURN(NodePtr right, ParseAnd(comma_is_and));
      left = Binary("or", std::move(left), std::move(right), pos);
    }
    return left;
  }

  Result<NodePtr> ParseAnd(bool comma_is_and) {
    TZ_ASSIGN_OR_RETURN(NodePtr left, ParseNot(comma_is_and));
    while (IsWord("and") || IsPunct("&&") || (comma_is_and && IsPunct(","))) {
      int pos = Take().pos;
      TZ_ASSIGN_OR_RETURN(NodePtr right, ParseNot(comma_is_and));
      left = Binary("and", std::move(left), std::move(right), pos);
    }
    return left;
  }

  Result<NodePtr> ParseNot(bool comma_is_and) {
    if (IsWord("not")) {
      DepthGuard g(depth_);
      if (depth_ > kMaxDepth) return Error(Peek().pos, "表达式嵌套过深");
      int pos = Take().pos;
      TZ_ASSIGN_OR_RETURN(NodePtr inner, ParseNot(comma_is_and));
      NodePtr n = Make(NodeKind::kUnary, pos);
      n->op = "not";
      n->children.push_back(std::move(inner));
      return n;
    }
    return ParseCompare();
  }

  Result<NodePtr> ParseCompare() {
    TZ_ASSIGN_OR_RETURN(NodePtr left, ParseAdd());
    static constexpr std::array<std::string_view, 6> kOps = {"=", "!=", "<", "<=", ">", ">="};
    for (std::string_view op : kOps) {
      if (IsPunct(op)) {
        int pos = Take().pos;
        TZ_ASSIGN_OR_RETURN(NodePtr right, ParseAdd());
        return Binary(std::string(op), std::move(left), std::move(right), pos);
      }
    }
    if (IsWord("in")) {
      int pos = Take().pos;
      NodePtr n = Make(NodeKind::kIn, pos);
      n->children.push_back(std::move(left));
      TZ_ASSIGN_OR_RETURN(NodePtr right, ParsePrimary());
      n->children.push_back(std::move(right));
      return n;
    }
    if (IsWord("given") || IsWord("empty")) {
      Token t = Take();
      NodePtr n = Make(NodeKind::kGiven, t.pos);
      n->op = t.text;
      n->children.push_back(std::move(left));
      return n;
    }
    return left;
  }

  Result<NodePtr> ParseAdd() {
    TZ_ASSIGN_OR_RETURN(NodePtr left, ParseMul());
    while (IsPunct("+") || IsPunct("-")) {
      Token t = Take();
      TZ_ASSIGN_OR_RETURN(NodePtr right, ParseMul());
      left = Binary(t.text, std::move(left), std::move(right), t.pos);
    }
    return left;
  }

  Result<NodePtr> ParseMul() {
    TZ_ASSIGN_OR_RETURN(NodePtr left, ParseUnary());
    while (IsPunct("*") || IsPunct("/")) {
      Token t = Take();
      TZ_ASSIGN_OR_RETURN(NodePtr right, ParseUnary());
      left = Binary(t.text, std::move(left), std::move(right), t.pos);
    }
    return left;
  }

  Result<NodePtr> ParseUnary() {
    if (IsPunct("-")) {
      DepthGuard g(depth_);
      if (depth_ > kMaxDepth) return Error(Peek().pos, "表达式嵌套过深");
      int pos = Take().pos;
      TZ_ASSIGN_OR_RETURN(NodePtr inner, ParseUnary());
      NodePtr n = Make(NodeKind::kUnary, pos);
      n->op = "-";
      n->children.push_back(std::move(inner));
      return n;
    }
    return ParsePrimary();
  }

  // name ('.' name)*
  Result<std::pair<std::string, int>> ParseDottedName() {
    if (Peek().kind != Tok::kIdent) return Error(Peek().pos, "此处应为名称");
    Token first = Take();
    std::string name = first.text;
    while (IsPunct(".") && Peek(1).kind == Tok::kIdent) {
      Take();
      name += "." + Take().text;
    }
    return std::make_pair(name, first.pos);
  }

  Result<NodePtr> ParsePrimary() {
    DepthGuard g(depth_);
    if (depth_ > kMaxDepth) return Error(Peek().pos, "表达式嵌套过深");
    const Token& t = Peek();
    switch (t.kind) {
      case Tok::kEnd:
        return Error(t.pos, "表达式不完整");
      case Tok::kNumber: {
        NodePtr n = Make(NodeKind::kNumber, t.pos);
        n->text = Take().text;
        return n;
      }
      case Tok::kString: {
        NodePtr n = Make(NodeKind::kString, t.pos);
        n->text = Take().text;
        return n;
      }
      case Tok::kPunct:
        if (t.text == "(") {
          Take();
          TZ_ASSIGN_OR_RETURN(NodePtr inner, ParseOr(/*comma_is_and=*/in_condition_ > 0));
          TZ_RETURN_IF_ERROR(Expect(")"));
          return inner;
        }
        if (t.text == "{") {
          NodePtr n = Make(NodeKind::kSet, Take().pos);
          while (true) {
            TZ_ASSIGN_OR_RETURN(NodePtr e, ParseAdd());
            n->children.push_back(std::move(e));
            if (IsPunct(",")) {
              Take();
              continue;
            }
            TZ_RETURN_IF_ERROR(Expect("}"));
            return n;
          }
        }
        return Error(t.pos, "此处不能出现“" + t.text + "”");
      case Tok::kIdent:
        break;
    }
    TZ_ASSIGN_OR_RETURN(auto name, ParseDottedName());
    if (!IsPunct("(")) {
      NodePtr n = Make(NodeKind::kName, name.second);
      n->text = name.first;
      return n;
    }
    Take();  // (
    if (IsAggregateName(name.first)) return ParseAggregate(name.first, name.second);
    if (name.first == "active") {
      NodePtr n = Make(NodeKind::kActive, name.second);
      TZ_ASSIGN_OR_RETURN(NodePtr a, ParseAdd());
      TZ_RETURN_IF_ERROR(Expect(","));
      TZ_ASSIGN_OR_RETURN(NodePtr b, ParseAdd());
      TZ_RETURN_IF_ERROR(Expect(")"));
      n->children.push_back(std::move(a));
      n->children.push_back(std::move(b));
      if (IsWord("at")) {
        Take();
        TZ_ASSIGN_OR_RETURN(NodePtr at, ParseAdd());
        n->children.push_back(std::move(at));
      }
      return n;
    }
    NodePtr n = Make(NodeKind::kCall, name.second);
    n->text = name.first;
    if (IsPunct(")")) {
      Take();
      return n;
    }
    while (true) {
      TZ_ASSIGN_OR_RETURN(NodePtr arg, ParseOr(false));
      n->children.push_back(std::move(arg));
      if (IsPunct(",")) {
        Take();
        continue;
      }
      TZ_RETURN_IF_ERROR(Expect(")"));
      return n;
    }
  }

  // After "func(": ledger[.col] [, ledger.col2] ['|' condition] ['by' col] ')'
  Result<NodePtr> ParseAggregate(const std::string& func, int pos) {
    NodePtr n = Make(NodeKind::kAggregate, pos);
    n->text = func;
    TZ_ASSIGN_OR_RETURN(auto head, ParseDottedName());
    size_t dot = head.first.find('.');
    n->ledger = head.first.substr(0, dot);
    if (dot != std::string::npos) n->columns.push_back(head.first.substr(dot + 1));
    if (IsPunct(",")) {
      Take();
      TZ_ASSIGN_OR_RETURN(auto second, ParseDottedName());
      size_t dot2 = second.first.find('.');
      if (dot2 == std::string::npos || second.first.substr(0, dot2) != n->ledger) {
        return Error(second.second, "第二列应写作“" + n->ledger + ".列名”");
      }
      n->columns.push_back(second.first.substr(dot2 + 1));
    }
    if (IsPunct("|")) {
      Take();
      ++in_condition_;
      auto cond = ParseOr(/*comma_is_and=*/true);
      --in_condition_;
      if (!cond.ok()) return cond.status();
      n->children.push_back(std::move(cond).value());
      n->has_condition = true;
    }
    if (IsWord("by")) {
      Take();
      TZ_ASSIGN_OR_RETURN(auto by, ParseDottedName());
      std::string col = by.first;
      if (StartsWith(col, n->ledger + ".")) col = col.substr(n->ledger.size() + 1);
      n->order_by = col;
    }
    TZ_RETURN_IF_ERROR(Expect(")"));
    return n;
  }

  std::vector<Token> t_;
  size_t p_ = 0;
  int depth_ = 0;
  int in_condition_ = 0;
};

}  // namespace

std::string Unparse(const Node& n) {
  auto child = [&](size_t i) { return Unparse(*n.children[i]); };
  switch (n.kind) {
    case NodeKind::kNumber:
      return n.text;
    case NodeKind::kString:
      return "'" + n.text + "'";
    case NodeKind::kName:
      if (n.text == "A" || n.text == "P" || n.text == "Y" || n.text == "y" || n.text == "P.start" ||
          n.text == "P.end") {
        return std::string(1, kSymbolOpen) + n.text + kSymbolClose;
      }
      return n.text;
    case NodeKind::kSet: {
      std::string out = "{";
      for (size_t i = 0; i < n.children.size(); ++i) out += (i ? ", " : "") + child(i);
      return out + "}";
    }
    case NodeKind::kUnary:
      return n.op == "not" ? "not " + child(0) : "-" + child(0);
    case NodeKind::kBinary:
      if (n.op == "and") return child(0) + ", " + child(1);
      if (n.op == "or") return "(" + child(0) + " or " + child(1) + ")";
      return child(0) + " " + n.op + " " + child(1);
    case NodeKind::kIn:
      return child(0) + " in " + child(1);
    case NodeKind::kGiven:
      return child(0) + " " + n.op;
    case NodeKind::kActive:
      return "active(" + child(0) + ", " + child(1) + ")" +
             (n.children.size() > 2 ? " at " + child(2) : "");
    case NodeKind::kCall: {
      std::string out = n.text + "(";
      for (size_t i = 0; i < n.children.size(); ++i) out += (i ? ", " : "") + child(i);
      return out + ")";
    }
    case NodeKind::kAggregate: {
      std::string out = n.text + "(" + n.ledger;
      for (size_t i = 0; i < n.columns.size(); ++i) {
        out += (i ? ", " + n.ledger + "." : ".") + n.columns[i];
      }
      if (n.has_condition) out += " | " + child(0);
      if (!n.order_by.empty()) out += " by " + n.order_by;
      return out + ")";
    }
  }
  return "?";
}

bool IsAggregateName(std::string_view name) {
  return name == "count" || name == "sum" || name == "min" || name == "max" || name == "distinct" ||
         name == "single" || name == "list" || name == "groups";
}

Result<NodePtr> ParseExpression(std::string_view text) {
  if (text.size() > 64 * 1024) {
    return Status::InvalidArgument("表达式过长", "expression longer than 64 KiB");
  }
  TZ_ASSIGN_OR_RETURN(std::vector<Token> toks, Lexer(text).Run());
  // A long flat chain (1+1+…) builds a tree as deep as it is long, and binding, evaluation and
  // destruction recurse over it: bound the size, far above any real figure.
  if (toks.size() > kMaxTokens) {
    return Status::InvalidArgument(
        "表达式过于复杂（超过 " + std::to_string(kMaxTokens) + " 个记号）",
        "expression has more than " + std::to_string(kMaxTokens) + " tokens");
  }
  return Parser(std::move(toks)).ParseAll();
}

}  // namespace tz::figures
