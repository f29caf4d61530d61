// Parser of the figure language: text → Node tree. Syntax only; no catalog needed.
#ifndef TAIZHANG_FIGURES_PARSER_H_
#define TAIZHANG_FIGURES_PARSER_H_

#include <string_view>

#include "base/result.h"
#include "figures/ast.h"

namespace tz::figures {

// Errors are InvalidArgument with "column N: …" (character columns, 1-based); the caller puts the
// figure id and file:line in front.
Result<NodePtr> ParseExpression(std::string_view text);

// Writes a node back as figure-language text. Period symbols (A, P, Y, y, P.start, P.end) are
// wrapped as kSymbolOpen + name + kSymbolClose so that ResolveSymbols can put the values of one
// computation in (for notes and explain).
std::string Unparse(const Node& node);
inline constexpr char kSymbolOpen = '\x02';
inline constexpr char kSymbolClose = '\x03';

// The aggregate functions, which take `ledger[.column] [| condition]`.
bool IsAggregateName(std::string_view name);

}  // namespace tz::figures

#endif  // TAIZHANG_FIGURES_PARSER_H_
