// What the UI does with each column type of a ledger (docs/pack.md): table width, filter kind,
// form widget and the checks a form runs while the user types.
import { checkCreditCode, checkIdNumber, checkPhone, isRealDate } from './checks.js'

const WIDTHS = { id18: 180, uscc: 190, phone: 130, date: 116, month: 96, int: 96, decimal: 110, bool: 96, enum: 116, unit: 96, ref: 160 }

// Room for the label, the required mark, the filter button and the sort arrows.
export function columnWidth(col) {
  const header = col.label.length * 15 + 100
  if (WIDTHS[col.type]) return Math.max(WIDTHS[col.type], header)
  return Math.max(120, Math.min(220, header + 20))
}

// How a column is filtered: 'text' (contains / exact), 'choice', 'range' (from..to).
export function filterKind(col) {
  if (['enum', 'bool', 'unit'].includes(col.type)) return 'choice'
  if (['date', 'month', 'int', 'decimal'].includes(col.type)) return 'range'
  return 'text'
}

export function choiceValues(col, villages) {
  if (col.type === 'bool') return ['是', '否']
  if (col.type === 'unit') return villages
  return col.values || []
}

export function isNumeric(col) {
  return col.type === 'int' || col.type === 'decimal'
}

export function isMasked(text) {
  return typeof text === 'string' && text.includes('*')
}

const TYPE_HINTS = {
  id18: '18位身份证号',
  uscc: '18位统一社会信用代码',
  phone: '11位手机号或 0795-1234567',
  decimal: '数字，可带小数',
  int: '整数',
  ref: '',
}

export function placeholder(col) {
  if (col.type === 'ref') return `填写${col.label}，可输入关键字查找`
  return TYPE_HINTS[col.type] ? `${TYPE_HINTS[col.type]}` : `请输入${col.label}`
}

function checkNumber(col, text) {
  const t = text.trim()
  if (col.type === 'int' && !/^[+-]?\d+$/.test(t)) return `${col.label}应为整数`
  if (col.type === 'decimal' && !/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(t)) return `${col.label}应为数字`
  const n = Number(t)
  if (col.min !== undefined && n < col.min) return `${col.label}不能小于${col.min}`
  if (col.max !== undefined && n > col.max) return `${col.label}不能大于${col.max}`
  return ''
}

// The message for one cell's text, or '' when it is acceptable. `original` is the text the record
// had when the form opened: a masked ID number or phone sent back unchanged means "unchanged".
export function checkCell(col, value, original) {
  const text = value === null || value === undefined ? '' : String(value)
  if (text.trim() === '') return col.required ? `请填写${col.label}` : ''
  if (original !== undefined && text === original && isMasked(original)) return ''
  switch (col.type) {
    case 'id18':
      return checkIdNumber(text)
    case 'uscc':
      return checkCreditCode(text)
    case 'phone':
      return checkPhone(text)
    case 'int':
    case 'decimal':
      return checkNumber(col, text)
    case 'date': {
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
      return m && isRealDate(+m[1], +m[2], +m[3]) ? '' : `${col.label}应为有效日期（年-月-日）`
    }
    case 'month':
      return /^\d{4}-(0[1-9]|1[0-2])$/.test(text) ? '' : `${col.label}应为年-月`
    case 'bool':
      return text === '是' || text === '否' ? '' : `${col.label}应为“是”或“否”`
    case 'enum':
      return (col.values || []).includes(text) ? '' : `${col.label}只能是：${(col.values || []).join('、')}`
    default:
      return ''
  }
}
