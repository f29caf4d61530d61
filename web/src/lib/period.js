// Period names as the API takes them ("2022H1", "2022", "2022Q2", "2022-05",
// "2022-01-01..2022-06-30") and how they read in Chinese.

const QUARTERS = ['第一季度', '第二季度', '第三季度', '第四季度']

export function periodLabel(p) {
  if (!p) return ''
  let m
  if ((m = /^(\d{4})$/.exec(p))) return `${m[1]}年全年`
  if ((m = /^(\d{4})H([12])$/.exec(p))) return `${m[1]}年${m[2] === '1' ? '上半年' : '下半年'}`
  if ((m = /^(\d{4})Q([1-4])$/.exec(p))) return `${m[1]}年${QUARTERS[Number(m[2]) - 1]}`
  if ((m = /^(\d{4})-(\d{2})$/.exec(p))) return `${m[1]}年${Number(m[2])}月`
  if ((m = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(p))) return `${m[1]} 至 ${m[2]}`
  return p
}

// Options for a cascader: year → half, year, quarter or month.
export function periodOptions(years) {
  return [...years]
    .sort((a, b) => b - a)
    .map((y) => ({
      value: String(y),
      label: `${y}年`,
      children: [
        { value: `${y}H1`, label: '上半年' },
        { value: `${y}H2`, label: '下半年' },
        { value: `${y}`, label: '全年' },
        ...QUARTERS.map((q, i) => ({ value: `${y}Q${i + 1}`, label: q })),
        ...Array.from({ length: 12 }, (_, i) => ({
          value: `${y}-${String(i + 1).padStart(2, '0')}`,
          label: `${i + 1}月`,
        })),
      ],
    }))
}

// The year a period starts in (for the cascader's first level).
export function periodYear(p) {
  const m = /^(\d{4})/.exec(p || '')
  return m ? m[1] : ''
}

export function isCustomRange(p) {
  return /^\d{4}-\d{2}-\d{2}\.\.\d{4}-\d{2}-\d{2}$/.test(p || '')
}
