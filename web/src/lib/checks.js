// Client-side copies of the server's cell checks (src/base/checks.cc), so a form can say what is
// wrong while the user types. The server checks again; its word is final.

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const ID_CHECK_CHARS = '10X98765432'

export function idCheckChar(first17) {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]
  return ID_CHECK_CHARS[sum % 11]
}

function pad(n) {
  return String(n).padStart(2, '0')
}

export function todayIso() {
  const d = new Date()
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

export function isRealDate(y, m, d) {
  if (m < 1 || m > 12 || d < 1) return false
  const days = new Date(y, m, 0).getDate()
  return d <= days
}

// Returns a Chinese message, or '' when the ID number is valid (GB 11643).
export function checkIdNumber(raw) {
  const text = String(raw ?? '').trim()
  const chars = [...text]
  if (chars.length !== 18) return `身份证号应为18位，实际为${chars.length}位`
  for (let i = 0; i < 17; i++) {
    if (!/^[0-9]$/.test(chars[i])) return `身份证号前17位应为数字（第${i + 1}位是“${chars[i]}”）`
  }
  const last = chars[17].toUpperCase()
  if (!/^[0-9X]$/.test(last)) return `身份证号最后一位应为数字或X，实际为“${chars[17]}”`
  const ymd = text.slice(6, 14)
  const y = Number(ymd.slice(0, 4))
  const m = Number(ymd.slice(4, 6))
  const d = Number(ymd.slice(6, 8))
  if (!isRealDate(y, m, d)) return `身份证号中的出生日期${ymd}不是有效日期`
  if (y < 1900) return `身份证号中的出生日期${ymd}早于1900年`
  const iso = `${ymd.slice(0, 4)}-${ymd.slice(4, 6)}-${ymd.slice(6, 8)}`
  const today = todayIso()
  if (iso > today) return `身份证号中的出生日期${ymd}晚于今天（${today}）`
  const expected = idCheckChar(text.slice(0, 17))
  if (last !== expected) return `身份证号校验位错误：应为${expected}，实际为${last}`
  return ''
}

// The sex and birth date an ID number states (for a hint next to the field).
export function idFacts(text) {
  if (checkIdNumber(text)) return null
  const ymd = text.slice(6, 14)
  return {
    birth: `${ymd.slice(0, 4)}-${ymd.slice(4, 6)}-${ymd.slice(6, 8)}`,
    sex: Number(text[16]) % 2 === 1 ? '男' : '女',
  }
}

const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

// Unified social credit code (GB 32100).
export function checkCreditCode(raw) {
  const text = String(raw ?? '').trim()
  const chars = [...text]
  if (chars.length !== 18) return `统一社会信用代码应为18位，实际为${chars.length}位`
  const code = chars.map((c) => c.toUpperCase())
  for (let i = 0; i < 18; i++) {
    if (code[i].length !== 1 || !USCC_ALPHABET.includes(code[i])) {
      return `统一社会信用代码第${i + 1}位“${chars[i]}”不是有效字符（只能是数字和除I、O、Z、S、V以外的大写字母）`
    }
  }
  let sum = 0
  for (let i = 0; i < 17; i++) sum += USCC_ALPHABET.indexOf(code[i]) * USCC_WEIGHTS[i]
  const expected = USCC_ALPHABET[(31 - (sum % 31)) % 31]
  if (code[17] !== expected) return `统一社会信用代码校验位错误：应为${expected}，实际为${code[17]}`
  return ''
}

export function checkPhone(raw) {
  const p = String(raw ?? '').trim()
  if (/^1\d{10}$/.test(p) || /^0\d{2,3}-\d{7,8}$/.test(p)) return ''
  return `联系电话格式不正确：“${p}”（应为11位手机号，或带区号的固定电话，如0795-1234567）`
}
