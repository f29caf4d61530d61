// Parsed (unbound) syntax of the figure language (docs/figures.md). Names are still text here;
// the binder resolves them against the Catalog and produces the bound tree (bound.h).
#ifndef TAIZHANG_FIGURES_AST_H_
#define TAIZHANG_FIGURES_AST_H_

#include <memory>
#include <string>
#include <vector>

namespace tz::figures {

enum class NodeKind {
  kNumber,     // text: "12.5"
  kString,     // text: the unquoted string
  kName,       // text: a possibly dotted name: "dispute.found", "A", "P.start", "类型"
  kSet,        // children: the elements of {a, b}
  kUnary,      // op: "-" or "not"; children[0]
  kBinary,     // op: + - * / = != < <= > >= and or; children[0..1]
  kIn,         // children[0] in children[1] (a kSet or a kName such as P, Y)
  kGiven,      // children[0] given / (op == "empty") children[0] empty
  kActive,     // active(children[0], children[1]) [at children[2]]
  kCall,       // text: function name; children: arguments
  kAggregate,  // text: function; ledger/columns/order_by; children[0]: condition (optional)
};

struct Node {
  NodeKind kind;
  int pos = 0;  // 1-based column (in characters) within the expression, for error messages
  std::string text;
  std::string op;
  std::vector<std::unique_ptr<Node>> children;
  // kAggregate only.
  std::string ledger;
  std::vector<std::string> columns;  // 0 (count), 1 or 2 (groups) column labels
  std::string order_by;              // list(... by col)
  bool has_condition = false;
};

using NodePtr = std::unique_ptr<Node>;

}  // namespace tz::figures

#endif  // TAIZHANG_FIGURES_AST_H_
