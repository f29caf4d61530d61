// A figure's display alone on a page. The server writes it as the report does: a percentage is
// "87.1" because the report's text carries the "%" itself; on a tile or a figure page it needs it.
export function shownDisplay(display, rule, hasValue) {
  return hasValue && String(rule || '').startsWith('percent') ? `${display}%` : display
}
