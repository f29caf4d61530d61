// Browser tests of the web app against a real `taizhang serve --web dist` on a fresh demo
// database, driven through Debian's Chromium with playwright-core.
//
//   npm run build && npm run test:e2e
//   TAIZHANG_BIN=/path/to/taizhang node --test e2e/e2e.test.mjs
//   TZ_SCREENSHOTS=../docs/screenshots npm run test:e2e   (also writes the screenshots:
//     dashboard.png, ledger.png, report.png at 1366x768, dashboard-full.png the whole dashboard
//     at 1366 wide, dashboard-phone.png at 390x844)
//
// Accounts (issue 5): server.mjs makes the accounts below with `taizhang user add` before the
// server starts. The ledger, dashboard and report tests run signed in as the town cadre; the
// account tests at the end each use a browser context of their own.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { startServer } from './server.mjs'
import { readZipEntry, zipDirectory } from './zip.mjs'
import { idCheckChar } from '../src/lib/checks.js'

const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const bin = path.resolve(webDir, process.env.TAIZHANG_BIN || '../build/src/cli/taizhang')
const shotsDir = process.env.TZ_SCREENSHOTS ? path.resolve(process.env.TZ_SCREENSHOTS) : ''
const PERIOD = '2022H1'
const DESKTOP = { width: 1366, height: 768 }
const PHONE = { width: 390, height: 844 }

// Passwords that pass the default policy (≥ 10 characters, 3 of lower/upper/digit/other, not
// containing the user name).
const TOWN = { name: 'zhen', role: 'town_cadre', displayName: '王镇干', password: 'Town-Cadre-2022' }
const VILLAGE = { name: 'yqcun', role: 'village_cadre', unit: '院前村', displayName: '李村干', password: 'Village#Pass-1' }
const ADMIN = { name: 'admin', role: 'admin', displayName: '系统管理员', password: 'Sys-Manager-2022' }
const AUDITOR = { name: 'shenji', role: 'auditor', displayName: '赵审计', password: 'Audit-Check-2022' }
const LOCKME = { name: 'lockme', role: 'town_cadre', displayName: '锁定测试', password: 'Right-Pass-2022' }
const USERS = [TOWN, VILLAGE, ADMIN, AUDITOR, LOCKME]
const LOGIN_FAILED = '用户名或密码错误（连续失败 5 次将锁定 15 分钟）'

let server
let browser
let context
let page
let town // the town cadre's API session (Node side)

// The API from Node as one account: its session cookie and CSRF token.
class ApiSession {
  constructor(base) {
    this.base = base
    this.cookie = ''
    this.csrf = ''
    this.profile = null
  }

  async login(user) {
    const response = await fetch(`${this.base}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ user: user.name, password: user.password }),
    })
    const body = await response.json()
    assert.equal(response.status, 200, `login ${user.name}: ${response.status} ${JSON.stringify(body)}`)
    this.cookie = response.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .find((c) => c.startsWith('tz_session='))
    assert.ok(this.cookie, 'login sets the tz_session cookie')
    this.csrf = body.csrf
    this.profile = body.user
    return this
  }

  async request(pathname) {
    return fetch(`${this.base}/api${pathname}`, { headers: { Cookie: this.cookie } })
  }

  async get(pathname) {
    const response = await this.request(pathname)
    const body = await response.json()
    assert.ok(response.ok, `GET /api${pathname}: ${response.status} ${JSON.stringify(body)}`)
    return body
  }
}

async function api(pathname) {
  return town.get(pathname)
}

// A valid 18-digit ID number (GB 11643) for a person born on `birth` (YYYYMMDD).
function idNumber(birth, serial, male) {
  let seq = String(serial % 1000).padStart(3, '0')
  const odd = Number(seq[2]) % 2 === 1
  if (odd !== male) seq = seq.slice(0, 2) + String((Number(seq[2]) + 1) % 10)
  const first17 = `360902${birth}${seq}`
  return first17 + idCheckChar(first17)
}

function wrongCheck(id) {
  const right = id[17]
  return id.slice(0, 17) + (right === '0' ? '1' : '0')
}

function url(p) {
  return `${server.url}${p}`
}

async function figureOnDashboard(p, id) {
  const display = p.locator(`[data-figure="${id}"] [data-test="figure-display"]`)
  await display.waitFor({ timeout: 15_000 })
  return (await display.textContent()).trim()
}

function numberIn(text) {
  const m = /-?\d+(\.\d+)?/.exec(text.replace(/,/g, ''))
  assert.ok(m, `no number in “${text}”`)
  return Number(m[0])
}

async function ledgerTotal(p) {
  return Number((await p.locator('[data-test="ledger-total"]').textContent()).trim())
}

async function waitForTableIdle(p) {
  await p.waitForFunction(() => !document.querySelector('[data-test="ledger-table"] .el-loading-mask'))
}

async function chooseOption(p, formItem, option) {
  await formItem.locator('.el-select').click()
  await p.getByRole('option', { name: option, exact: true }).click()
}

// Signs in through the login page (the page it is on, or /login) and waits to leave it.
async function login(p, user, { from = '/login' } = {}) {
  if (from) await p.goto(url(from))
  await p.waitForURL(/\/login/)
  await p.locator('[data-test="login-user"]').fill(user.name)
  await p.locator('[data-test="login-password"]').fill(user.password)
  await p.locator('[data-test="login-submit"]').click()
  await p.waitForURL((u) => u.pathname !== '/login')
}

// One login attempt on the login page: the server's status and the message shown.
async function tryLogin(p, name, password) {
  await p.locator('[data-test="login-user"]').fill(name)
  await p.locator('[data-test="login-password"]').fill(password)
  const [response] = await Promise.all([
    p.waitForResponse((r) => new URL(r.url()).pathname === '/api/auth/login'),
    p.locator('[data-test="login-submit"]').click(),
  ])
  await p.locator('[data-test="login-submit"]:not(.is-loading)').waitFor()
  const shown = response.status() === 200 ? '' : (await p.locator('[data-test="login-error"]').textContent()).trim()
  return { status: response.status(), shown }
}

// The texts of one column in the ledger table's visible rows.
async function columnTexts(p, label) {
  return p.evaluate((label) => {
    const table = document.querySelector('[data-test="ledger-table"]')
    const heads = [...table.querySelectorAll('.el-table__header-wrapper thead tr:first-child th')].map((th) => th.textContent.trim())
    const i = heads.findIndex((h) => h.startsWith(label))
    if (i < 0) return null
    return [...table.querySelectorAll('.el-table__body-wrapper .el-table__row')].map((tr) => tr.children[i]?.textContent.trim())
  }, label)
}

async function newContext(viewport = DESKTOP) {
  const ctx = await browser.newContext({ viewport, locale: 'zh-CN', acceptDownloads: true })
  const p = await ctx.newPage()
  p.on('pageerror', (e) => console.error('page error:', e.message))
  return { ctx, p }
}

before(async () => {
  // TZ_E2E_URL points the tests at a server that is already running (for working on the tests
  // themselves; the accounts in USERS must exist there, and LOCKME must not be locked yet); the
  // real run starts its own.
  server = process.env.TZ_E2E_URL
    ? { url: process.env.TZ_E2E_URL.replace(/\/$/, ''), stop() {} }
    : await startServer({ bin, webDist: path.join(webDir, 'dist'), users: USERS })
  town = await new ApiSession(server.url).login(TOWN)
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
  context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', acceptDownloads: true })
  page = await context.newPage()
  page.on('pageerror', (e) => console.error('page error:', e.message))
  // The ledger, dashboard and report tests run as the town cadre (the context keeps the cookie
  // for every page it opens).
  await login(page, TOWN)
})

after(async () => {
  await browser?.close().catch(() => {})
  server?.stop()
})

test('screenshots (with TZ_SCREENSHOTS)', { skip: !shotsDir && 'TZ_SCREENSHOTS not set' }, async () => {
  mkdirSync(shotsDir, { recursive: true })
  const shots = await context.newPage()
  await shots.goto(url(`/dashboard?period=${PERIOD}`))
  await figureOnDashboard(shots, 'tekun.persons')
  await shots.locator('[data-test="trend-chart"] canvas').waitFor()
  await shots.waitForTimeout(1500) // chart animations
  await shots.screenshot({ path: path.join(shotsDir, 'dashboard.png') })
  await shots.screenshot({ path: path.join(shotsDir, 'dashboard-full.png'), fullPage: true })

  await shots.goto(url('/ledgers/tekun'))
  await shots.locator('[data-test="ledger-table"] .el-table__row').first().waitFor()
  await waitForTableIdle(shots)
  await shots.screenshot({ path: path.join(shotsDir, 'ledger.png') })

  await shots.goto(url(`/report?period=${PERIOD}`))
  await shots.locator('.fig-link').first().waitFor()
  await shots.screenshot({ path: path.join(shotsDir, 'report.png') })

  await shots.setViewportSize(PHONE)
  await shots.goto(url(`/dashboard?period=${PERIOD}`))
  await figureOnDashboard(shots, 'tekun.persons')
  await shots.waitForTimeout(800)
  await shots.screenshot({ path: path.join(shotsDir, 'dashboard-phone.png') })
  await shots.close()

  // Accounts (issue 5): the sign-in page, the administrator's users and the auditor's log.
  for (const [user, where, ready, file] of [
    [null, '/login', '[data-test="login-user"]', 'login.png'],
    [ADMIN, '/users', '[data-test="users-table"] .el-table__row', 'users.png'],
    [AUDITOR, '/audit', '[data-test="audit-table"] .el-table__row', 'audit.png'],
  ]) {
    const { ctx, p } = await newContext()
    if (user) await login(p, user)
    await p.goto(url(where))
    await p.locator(ready).first().waitFor()
    await p.waitForTimeout(500)
    await p.screenshot({ path: path.join(shotsDir, file) })
    await ctx.close()
  }
})

test('ledger page: menu, table, paging, filter, search', async () => {
  await page.goto(url('/'))
  await page.waitForURL(/\/dashboard/)
  await page.locator('.side-menu').getByText('乡村振兴', { exact: true }).click()
  await page.locator('.side-menu [data-ledger="tekun"]').click()
  await page.waitForURL(/\/ledgers\/tekun$/)
  await page.locator('[data-test="ledger-title"]', { hasText: '特困人员台账' }).waitFor()
  await page.locator('[data-test="ledger-table"] .el-table__row').first().waitFor()
  await waitForTableIdle(page)

  const all = await api('/ledgers/tekun/records?page_size=1')
  assert.equal(await ledgerTotal(page), all.total)
  assert.equal(await page.locator('[data-test="ledger-table"] .el-table__body-wrapper .el-table__row').count(), Math.min(20, all.total))

  // Page 2 of the pager.
  await page.locator('.pager .el-pager li', { hasText: /^2$/ }).click()
  await page.locator('.pager .el-pager li.is-active', { hasText: /^2$/ }).waitFor()
  await waitForTableIdle(page)
  const firstIndex = await page.locator('[data-test="ledger-table"] .el-table__body-wrapper .el-table__row').first().locator('td').first().textContent()
  assert.equal(firstIndex.trim(), '21')

  // Column filter on 供养方式 (a choice).
  await page.locator('[data-filter="供养方式"]').click()
  const pop = page.locator('.col-filter:visible')
  await pop.locator('.el-select').click()
  await pop.getByRole('option', { name: '集中供养', exact: true }).click()
  await pop.getByRole('button', { name: '筛选' }).click()
  await page.locator('.filter-tags', { hasText: '供养方式：集中供养' }).waitFor()
  await waitForTableIdle(page)
  const filtered = await api(`/ledgers/tekun/records?page_size=1&f.${encodeURIComponent('供养方式')}=${encodeURIComponent('集中供养')}`)
  assert.ok(filtered.total < all.total)
  assert.equal(await ledgerTotal(page), filtered.total)

  // The filter lives in the URL: a reload (or a shared link) shows the same rows.
  assert.ok(decodeURIComponent(page.url()).includes('f.供养方式=集中供养'), page.url())
  await page.reload()
  await page.locator('.filter-tags', { hasText: '供养方式：集中供养' }).waitFor()
  await page.locator('[data-test="ledger-table"] .el-table__row').first().waitFor()
  await waitForTableIdle(page)
  assert.equal(await ledgerTotal(page), filtered.total)

  // Search, then clear everything.
  const name = all.rows[0].cells[all.columns.indexOf('姓名')]
  await page.locator('[data-test="ledger-search"]').fill(name)
  const searched = await api(`/ledgers/tekun/records?page_size=1&q=${encodeURIComponent(name)}&f.${encodeURIComponent('供养方式')}=${encodeURIComponent('集中供养')}`)
  await page.waitForFunction((n) => Number(document.querySelector('[data-test="ledger-total"]').textContent) === n, searched.total)
  await page.getByRole('button', { name: '清除筛选' }).click()
  await page.waitForFunction((n) => Number(document.querySelector('[data-test="ledger-total"]').textContent) === n, all.total)
})

const newPerson = { name: '测试新增', id: idNumber('19580412', Date.now(), true) }

test('add a record through the form; the dashboard figure goes up by one', async () => {
  const layout = await api('/dashboard')
  assert.ok(layout.cards.some((c) => c.figures.includes('tekun.persons')), 'tekun.persons is on a dashboard card')
  const before = (await api(`/figures?period=${PERIOD}&ids=tekun.persons`)).figures[0]

  await page.goto(url(`/dashboard?period=${PERIOD}`))
  const shownBefore = await figureOnDashboard(page, 'tekun.persons')
  assert.equal(shownBefore, before.display)

  await page.goto(url('/ledgers/tekun'))
  await page.locator('[data-test="ledger-table"] .el-table__row').first().waitFor()
  await waitForTableIdle(page)
  const totalBefore = await ledgerTotal(page)
  await page.locator('[data-test="add-record"]').click()
  const form = page.locator('.record-dialog')
  await form.waitFor()

  // The ID check runs while typing, before anything is sent.
  const idItem = form.locator('[data-col="身份证号"]')
  await idItem.locator('input').fill(wrongCheck(newPerson.id))
  await idItem.locator('.el-form-item__error', { hasText: '身份证号校验位错误' }).waitFor()
  await idItem.locator('input').fill(newPerson.id)
  await idItem.locator('.el-form-item__error').waitFor({ state: 'detached' })
  await idItem.locator('.field-hint', { hasText: '1958-04-12' }).waitFor()

  // Saving with required fields empty is refused by the form itself.
  await form.locator('[data-test="save"]').click()
  await form.locator('[data-col="姓名"] .el-form-item__error', { hasText: '请填写姓名' }).waitFor()

  await form.locator('[data-col="姓名"] input').fill(newPerson.name)
  await chooseOption(page, form.locator('[data-col="所属村"]'), '院前村')
  await chooseOption(page, form.locator('[data-col="供养方式"]'), '分散供养')
  const dateInput = form.locator('[data-col="认定日期"] input')
  await dateInput.click()
  await dateInput.fill('2022-03-15')
  await dateInput.press('Enter')
  await form.locator('[data-col="是否建档立卡"]').getByText('否', { exact: true }).click()
  await form.locator('[data-test="save"]').click()
  await page.locator('.el-message--success', { hasText: '已新增一条记录' }).waitFor()
  await form.waitFor({ state: 'hidden' })
  await page.waitForFunction((n) => Number(document.querySelector('[data-test="ledger-total"]').textContent) === n, totalBefore + 1)

  const afterApi = (await api(`/figures?period=${PERIOD}&ids=tekun.persons`)).figures[0]
  assert.equal(afterApi.value, before.value + 1)
  await page.goto(url(`/dashboard?period=${PERIOD}`))
  await page.locator('[data-figure="tekun.persons"] [data-test="figure-display"]', { hasText: afterApi.display }).waitFor()
  assert.equal(numberIn(await figureOnDashboard(page, 'tekun.persons')), numberIn(shownBefore) + 1)
})

test('dashboard: village picker drives the cards and charts', async () => {
  await page.goto(url(`/dashboard?period=${PERIOD}`))
  await figureOnDashboard(page, 'tekun.persons')
  await page.locator('[data-test="village-chart"] canvas').waitFor()
  await page.locator('[data-test="trend-chart"] canvas').waitFor()
  await page.locator('[data-test="unit-picker"]').click()
  await page.getByRole('option', { name: '院前村', exact: true }).click()
  await page.waitForURL((u) => u.searchParams.get('unit') === '院前村' && u.searchParams.get('period') === PERIOD)
  const village = (await api(`/figures?period=${PERIOD}&unit=${encodeURIComponent('院前村')}&ids=tekun.persons`)).figures[0]
  await page.locator('[data-figure="tekun.persons"] [data-test="figure-display"]', { hasText: village.display }).waitFor()
  await page.locator('[data-test="scope-title"]', { hasText: '院前村' }).waitFor()

  // A card figure with no value for a village shows "—" and the reason, never a 0.
  const layout = await api('/dashboard')
  const ids = layout.cards.flatMap((c) => c.figures)
  const all = (await api(`/figures?period=${PERIOD}&unit=${encodeURIComponent('院前村')}&ids=${ids.join(',')}`)).figures
  const missing = all.find((f) => f.value === null)
  assert.ok(missing, 'some card figure has no value for a village')
  const tile = page.locator(`[data-figure="${missing.id}"]`)
  assert.equal((await tile.locator('[data-test="figure-display"]').textContent()).trim(), missing.display)
  assert.notEqual(missing.display, '0')
  await tile.locator('.figure-note', { hasText: missing.note }).waitFor()
})

test('edit and delete the record', async () => {
  await page.goto(url('/ledgers/tekun'))
  await page.locator('[data-test="ledger-search"]').fill(newPerson.name)
  await page.waitForFunction(() => Number(document.querySelector('[data-test="ledger-total"]').textContent) === 1)
  await waitForTableIdle(page)
  const row = page.locator('[data-test="ledger-table"] .el-table__body-wrapper .el-table__row').first()
  await row.locator('[data-test="edit-record"]').click()
  const form = page.locator('.record-dialog')
  // The ID number comes back masked; saving it unchanged keeps it.
  const idInput = form.locator('[data-col="身份证号"] input')
  await idInput.waitFor()
  await page.waitForFunction((el) => el.value.includes('*'), await idInput.elementHandle())
  await form.locator('[data-col="姓名"] input').fill(`${newPerson.name}改`)
  await form.locator('[data-test="save"]').click()
  await page.locator('.el-message--success', { hasText: '已保存修改' }).waitFor()
  await page.locator('[data-test="ledger-search"]').fill(`${newPerson.name}改`)
  await page.locator('[data-test="ledger-table"] .el-table__row', { hasText: `${newPerson.name}改` }).waitFor()
  await waitForTableIdle(page)

  await page.locator('[data-test="ledger-table"] .el-table__body-wrapper .el-table__row').first().locator('[data-test="delete-record"]').click()
  const confirm = page.locator('.el-message-box', { hasText: '删除后不能恢复' })
  await confirm.getByRole('button', { name: '删除' }).click()
  await page.locator('.el-message--success', { hasText: '已删除' }).waitFor()
  await page.waitForFunction(() => Number(document.querySelector('[data-test="ledger-total"]').textContent) === 0)
  const left = await api(`/ledgers/tekun/records?page_size=1&q=${encodeURIComponent(newPerson.name)}`)
  assert.equal(left.total, 0)
})

function csvFor(ledger, rows) {
  const quote = (v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)
  const lines = [ledger.columns.map((c) => c.label), ...rows.map((r) => ledger.columns.map((c) => r[c.label] ?? ''))]
  return lines.map((l) => l.map(quote).join(',')).join('\r\n') + '\r\n'
}

test('import a file with one bad row: the row and its error are shown, nothing imported', async () => {
  const ledger = await api('/ledgers/tekun')
  const good = {
    身份证号: idNumber('19470101', Date.now() + 7, false),
    姓名: '导入测试甲',
    所属村: '西坑村',
    供养方式: '集中供养',
    认定日期: '2022-02-01',
    是否建档立卡: '是',
  }
  const bad = { ...good, 身份证号: wrongCheck(idNumber('19500202', Date.now() + 13, true)), 姓名: '导入测试乙' }
  const before = (await api('/ledgers/tekun/records?page_size=1')).total

  await page.goto(url('/ledgers/tekun'))
  await page.locator('[data-test="open-import"]').click()
  const dialog = page.locator('.import-dialog')
  await dialog.waitFor()
  await dialog.locator('input[type="file"]').setInputFiles({
    name: '特困人员导入.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(csvFor(ledger, [good, bad]), 'utf8'),
  })
  await dialog.locator('[data-test="import-start"]').click()
  await dialog.locator('[data-test="import-error"]').waitFor()
  const issueRow = dialog.locator('[data-test="import-issues"] .el-table__row').first()
  await issueRow.waitFor()
  const cells = (await issueRow.locator('td').allTextContents()).map((t) => t.trim())
  assert.equal(cells[0], '3', 'the bad row is spreadsheet row 3 (header, good row, bad row)')
  assert.equal(cells[1], '身份证号')
  assert.match(cells[2], /校验位/)
  assert.equal((await api('/ledgers/tekun/records?page_size=1')).total, before, 'nothing was imported')

  // The same file without the bad row goes in.
  await dialog.locator('input[type="file"]').setInputFiles({
    name: '特困人员导入-改.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(csvFor(ledger, [good]), 'utf8'),
  })
  await dialog.locator('[data-test="import-start"]').click()
  await dialog.locator('[data-test="import-result"]', { hasText: '新增 1 行' }).waitFor()
  assert.equal((await api('/ledgers/tekun/records?page_size=1')).total, before + 1)
  await dialog.getByRole('button', { name: '关闭', exact: true }).click()
  await page.waitForFunction((n) => Number(document.querySelector('[data-test="ledger-total"]').textContent) === n, before + 1)
})

test('template and export downloads', async () => {
  await page.goto(url('/ledgers/tekun'))
  await page.locator('[data-test="ledger-table"] .el-table__row').first().waitFor()
  const [template] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test="download-template"]').click()])
  assert.match(template.suggestedFilename(), /\.xlsx$/)

  await page.locator('[data-test="open-export"]').click()
  const dialog = page.locator('[data-test="export-dialog"]').and(page.locator('.el-dialog'))
  await dialog.getByText('CSV', { exact: true }).click()
  const [exported] = await Promise.all([page.waitForEvent('download'), dialog.locator('[data-test="export-start"]').click()])
  assert.match(exported.suggestedFilename(), /\.csv$/)
  const file = await exported.path()
  assert.ok(file)
})

test('report: every figure is a link to the records behind it', async () => {
  const report = await api(`/report?period=${PERIOD}`)
  // Figures that read no ledger (the year, the period's words) read as plain text; every other
  // figure is a link.
  const all = report.blocks.flatMap((b) => b.pieces).filter((p) => p.figure)
  const pieces = all.filter((p) => p.records)
  assert.ok(all.some((p) => p.figure === 'period.year' && p.records === false))
  assert.equal(report.blocks.filter((b) => b.kind === 'h2').length, 3)
  assert.ok(pieces.length > 20)
  const target = pieces.find((p) => p.figure === 'tekun.persons') || pieces.find((p) => p.has_value)

  await page.goto(url('/dashboard'))
  await page.locator('.side-menu').getByText('工作总结', { exact: true }).click()
  await page.waitForURL(/\/report/)
  await page.goto(url(`/report?period=${PERIOD}`))
  await page.locator('.fig-link').first().waitFor()
  assert.equal(await page.locator('.fig-link').count(), pieces.length)
  await page.locator('h2.page-title', { hasText: report.title }).waitFor()

  const [md] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test="download-md"]').click()])
  assert.match(md.suggestedFilename(), /\.md$/)

  await page.locator(`.fig-link[data-figure="${target.figure}"]`).first().click()
  await page.waitForURL((u) => u.pathname === `/figures/${target.figure}` && u.searchParams.get('period') === PERIOD)
  const drill = await api(`/figures/${target.figure}/records?period=${PERIOD}&limit=50`)
  await page.locator('[data-test="figure-title"]', { hasText: drill.figure.label }).waitFor()
  await page.locator('[data-test="figure-value"]', { hasText: drill.display }).waitFor()
  await page.locator('[data-test="figure-summary"]', { hasText: drill.figure.expr }).waitFor()
  const firstAgg = drill.aggregates.find((a) => a.applicable && a.total > 0)
  assert.ok(firstAgg, 'the figure counts some records')
  const card = page.locator('[data-test="aggregate"]', { hasText: firstAgg.ledger_title }).first()
  await card.locator('.aggregate-count', { hasText: `共 ${firstAgg.total} 条` }).waitFor()
  assert.equal(await card.locator('.el-table__body-wrapper .el-table__row').count(), firstAgg.records.length)

  // In a village's report a figure without a value links to its display and the reason.
  const unit = encodeURIComponent('院前村')
  const villageReport = await api(`/report?period=${PERIOD}&unit=${unit}`)
  const missing = villageReport.blocks.flatMap((b) => b.pieces).find((p) => p.figure && !p.has_value)
  assert.ok(missing, 'some figure has no value in a village report')
  await page.goto(url(`/report?period=${PERIOD}&unit=${unit}`))
  await page.locator('h2.page-title', { hasText: villageReport.title }).waitFor()
  await page.locator(`.fig-link.no-value[data-figure="${missing.figure}"]`).first().click()
  await page.waitForURL((u) => u.pathname === `/figures/${missing.figure}` && u.searchParams.get('unit') === '院前村')
  const info = await api(`/figures/${missing.figure}/records?period=${PERIOD}&unit=${unit}&limit=50`)
  assert.equal(info.value, null)
  await page.locator('[data-test="figure-value"]', { hasText: info.display }).waitFor()
  assert.ok(info.note, 'a figure without a value says why')
  await page.locator('[data-test="figure-note"]', { hasText: info.note }).waitFor()
})

test('report: Word (公文格式) and PDF downloads; a Word template comes back filled', async () => {
  await page.goto(url(`/report?period=${PERIOD}`))
  await page.locator('.fig-link').first().waitFor()
  const part = async (download, name) => readZipEntry(readFileSync(await download.path()), name)

  // Word, with the 数据来源 appendix (on by default), then without.
  const [docx] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test="download-docx"]').click()])
  assert.match(docx.suggestedFilename(), /\.docx$/)
  const doc = await part(docx, 'word/document.xml')
  assert.ok(doc.includes('<w:pgSz w:w="11906" w:h="16838"/>'), 'an A4 page')
  assert.ok(doc.includes('>数据来源<'), 'the appendix')
  await page.locator('[data-test="appendix"]').click()
  const [plain] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test="download-docx"]').click()])
  assert.ok(!(await part(plain, 'word/document.xml')).includes('>数据来源<'), 'no appendix when unticked')

  // PDF, converted by LibreOffice on the server.
  const [pdf] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test="download-pdf"]').click()])
  assert.match(pdf.suggestedFilename(), /\.pdf$/)
  assert.equal(readFileSync(await pdf.path()).subarray(0, 5).toString('latin1'), '%PDF-')

  // A template written in Word, placeholders split across runs, filled for this period.
  const [filled] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('[data-test="word-template-input"]').setInputFiles({
      name: '上半年报告模板.docx',
      mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      buffer: zipDirectory(path.resolve(webDir, '../tests/fixtures/docx/word_template')),
    }),
  ])
  assert.equal(filled.suggestedFilename(), '上半年报告模板.docx')
  const body = await part(filled, 'word/document.xml')
  assert.ok(!body.includes('{{'), 'no placeholder left')
  assert.ok(body.includes('<w:t>2022</w:t>'), 'the text box holds the year')
  const header = await part(filled, 'word/header1.xml')
  assert.ok(header.includes('人民政府') && !header.includes('{{'), 'the header is filled')
})

test('a drill-down URL opens directly (bookmark, reload): figure ids have dots', async () => {
  const direct = await context.newPage()
  const response = await direct.goto(url(`/figures/tekun.persons?period=${PERIOD}`))
  assert.equal(response.status(), 200, 'the server answers /figures/tekun.persons with the app, not a 404')
  await direct.locator('[data-test="figure-title"]', { hasText: '特困人员人数' }).waitFor()
  await direct.reload()
  await direct.locator('[data-test="figure-value"]').waitFor()
  await direct.close()
})

test('phone width: menu in a drawer, tables scroll sideways, forms in one column', async () => {
  const phone = await context.newPage()
  await phone.setViewportSize(PHONE)
  await phone.goto(url(`/dashboard?period=${PERIOD}`))
  await figureOnDashboard(phone, 'tekun.persons')
  assert.equal(await phone.locator('.app-aside').count(), 0)
  await phone.getByRole('button', { name: '打开菜单' }).click()
  const drawer = phone.locator('.menu-drawer')
  await drawer.waitFor()
  await drawer.getByText('乡村振兴', { exact: true }).click()
  await drawer.locator('[data-ledger="tekun"]').click()
  await phone.waitForURL(/\/ledgers\/tekun$/)
  await drawer.waitFor({ state: 'hidden' })
  await phone.locator('[data-test="ledger-table"] .el-table__row').first().waitFor()
  const wraps = await phone.locator('[data-test="ledger-table"] .el-table__body-wrapper .el-scrollbar__wrap').evaluate((el) => [el.scrollWidth, el.clientWidth])
  assert.ok(wraps[0] > wraps[1], `the table scrolls sideways (${wraps})`)
  const bodyWidth = await phone.evaluate(() => document.documentElement.scrollWidth)
  assert.ok(bodyWidth <= PHONE.width, `the page itself does not scroll sideways (${bodyWidth})`)

  await phone.locator('[data-test="add-record"]').click()
  const form = phone.locator('.record-dialog')
  await form.waitFor()
  const a = await form.locator('[data-col="身份证号"]').boundingBox()
  const b = await form.locator('[data-col="姓名"]').boundingBox()
  assert.equal(Math.round(a.x), Math.round(b.x), 'fields stack in one column')
  assert.ok(b.y > a.y)
  await phone.close()
})

// ---- accounts, roles, data scope, audit (issue 5) ----

test('town cadre: header shows the user; "显示完整信息" shows full ID numbers', async () => {
  await page.goto(url('/ledgers/tekun'))
  await page.locator('[data-test="user-name"]', { hasText: TOWN.displayName }).waitFor()
  await page.locator('[data-test="user-role"]', { hasText: '镇干部' }).waitFor()
  await page.locator('[data-test="ledger-table"] .el-table__row').first().waitFor()
  await waitForTableIdle(page)
  const masked = await columnTexts(page, '身份证号')
  assert.ok(masked?.length && masked.every((v) => v === '' || v.includes('*')), `masked at first: ${masked}`)
  await page.locator('[data-test="unmask-toggle"]').click()
  await page.waitForFunction(() => {
    const table = document.querySelector('[data-test="ledger-table"]')
    return !table.querySelector('.el-loading-mask') && [...table.querySelectorAll('.el-table__body-wrapper .el-table__row td')].some((td) => /^\d{17}[\dX]$/.test(td.textContent.trim()))
  })
  const full = await columnTexts(page, '身份证号')
  assert.ok(full.some((v) => /^\d{17}[\dX]$/.test(v)), `unmasked: ${full}`)
})

test('login: a signed-out visit goes to /login and back; the landing page is the dashboard', async () => {
  const { ctx, p } = await newContext()
  try {
    await p.goto(url('/'))
    await p.waitForURL((u) => u.pathname === '/login')
    await login(p, TOWN, { from: '' })
    await p.waitForURL((u) => u.pathname === '/dashboard')
    await figureOnDashboard(p, 'tekun.persons')
    await p.locator('[data-test="user-name"]', { hasText: TOWN.displayName }).waitFor()

    // A page asked for before signing in is where the login leads.
    const { ctx: ctx2, p: p2 } = await newContext()
    try {
      await p2.goto(url('/ledgers/tekun?q=%E7%8E%8B'))
      await p2.waitForURL((u) => u.pathname === '/login' && u.searchParams.get('redirect') === '/ledgers/tekun?q=%E7%8E%8B')
      await login(p2, TOWN, { from: '' })
      await p2.waitForURL((u) => u.pathname === '/ledgers/tekun' && u.searchParams.get('q') === '王')
      await p2.locator('[data-test="ledger-title"]', { hasText: '特困人员台账' }).waitFor()
    } finally {
      await ctx2.close()
    }
  } finally {
    await ctx.close()
  }
})

test('login: 5 wrong passwords lock the account; the right one then fails with the same message', async () => {
  const { ctx, p } = await newContext()
  try {
    await p.goto(url('/login'))
    const unknown = await tryLogin(p, 'nosuchuser', 'Whatever-2022')
    assert.deepEqual(unknown, { status: 401, shown: LOGIN_FAILED })
    for (let i = 1; i <= 5; i++) {
      const attempt = await tryLogin(p, LOCKME.name, `Wrong-Pass-${i}x`)
      assert.deepEqual(attempt, { status: 401, shown: LOGIN_FAILED }, `wrong password ${i}`)
    }
    const right = await tryLogin(p, LOCKME.name, LOCKME.password)
    assert.deepEqual(right, { status: 401, shown: LOGIN_FAILED }, 'locked: the right password fails the same way')
    assert.equal(new URL(p.url()).pathname, '/login')
  } finally {
    await ctx.close()
  }
})

test('logout: back to /login, and the old session cookie no longer works', async () => {
  const { ctx, p } = await newContext()
  try {
    await login(p, TOWN)
    const cookie = (await ctx.cookies()).find((c) => c.name === 'tz_session')
    assert.ok(cookie, 'the session cookie is set')
    assert.ok(cookie.httpOnly, 'the session cookie is HttpOnly')
    const me = await fetch(url('/api/auth/me'), { headers: { Cookie: `tz_session=${cookie.value}` } })
    assert.equal(me.status, 200)

    await p.locator('[data-test="logout"]').click()
    await p.waitForURL((u) => u.pathname === '/login')
    const replayed = await fetch(url('/api/auth/me'), { headers: { Cookie: `tz_session=${cookie.value}` } })
    assert.equal(replayed.status, 401, 'the old cookie is refused after logout')
    assert.equal((await replayed.json()).error.code, 'unauthenticated')

    await p.goto(url('/dashboard'))
    await p.waitForURL((u) => u.pathname === '/login')
  } finally {
    await ctx.close()
  }
})

test('village cadre: only their village in the unit picker and in the ledger', async () => {
  const village = await new ApiSession(server.url).login(VILLAGE)
  assert.equal(village.profile.scope, 'village')
  const { ctx, p } = await newContext()
  try {
    await login(p, VILLAGE)
    await p.waitForURL((u) => u.pathname === '/dashboard')
    await figureOnDashboard(p, 'tekun.persons')
    await p.locator('[data-test="scope-title"]', { hasText: VILLAGE.unit }).waitFor()
    await p.locator('[data-test="user-role"]', { hasText: `村干部 · ${VILLAGE.unit}` }).waitFor()

    await p.locator('[data-test="unit-picker"]').click()
    const options = p.locator('.el-select-dropdown:visible .el-select-dropdown__item')
    await options.first().waitFor()
    assert.deepEqual((await options.allTextContents()).map((t) => t.trim()), [VILLAGE.unit])
    await p.keyboard.press('Escape')

    // The ledger lists the village's rows only.
    const all = await api('/ledgers/tekun/records?page_size=1')
    const mine = await api(`/ledgers/tekun/records?page_size=1&unit=${encodeURIComponent(VILLAGE.unit)}`)
    assert.ok(mine.total > 0 && mine.total < all.total, `${mine.total} of ${all.total}`)
    assert.equal((await village.get('/ledgers/tekun/records?page_size=1')).total, mine.total)
    await p.goto(url('/ledgers/tekun?size=100'))
    await p.locator('[data-test="ledger-table"] .el-table__row').first().waitFor()
    await waitForTableIdle(p)
    assert.equal(await ledgerTotal(p), mine.total)
    const villages = await columnTexts(p, '所属村')
    assert.ok(villages?.length > 0, 'the ledger has a 所属村 column')
    assert.deepEqual([...new Set(villages)], [VILLAGE.unit])
    assert.equal(await p.locator('[data-test="unmask-toggle"]').count(), 0, 'no unmask for a village cadre')

    // Another village is refused by the server; the app says so and does not break.
    await p.goto(url(`/dashboard?period=${PERIOD}&unit=${encodeURIComponent('西坑村')}`))
    await p.locator('.el-message--error').first().waitFor()
    await p.locator('.side-menu').getByText('工作总结', { exact: true }).waitFor()
  } finally {
    await ctx.close()
  }
})

test('admin: creates a user and sees the generated password; the new user must change it', async () => {
  const { ctx, p } = await newContext()
  let generated = ''
  const NEW = { name: `xin${Date.now() % 100000}`, displayName: '新来的村干部' }
  try {
    await login(p, ADMIN)
    await p.waitForURL((u) => u.pathname === '/users')
    assert.equal(await p.locator('.side-menu').getByText('工作概览', { exact: true }).count(), 0, 'no dashboard for the admin')
    await p.locator('[data-test="users-table"] .el-table__row', { hasText: VILLAGE.name }).first().waitFor()

    await p.locator('[data-test="add-user"]').click()
    const dialog = p.locator('[data-test="user-dialog"]').and(p.locator('.el-dialog'))
    await dialog.waitFor()
    await dialog.locator('[data-field="name"] input').fill(NEW.name)
    await dialog.locator('[data-field="display_name"] input').fill(NEW.displayName)
    await dialog.locator('[data-field="role"] .el-select').click()
    await p.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: '村干部' }).click()
    await dialog.locator('[data-field="unit"] .el-select').click()
    await p.getByRole('option', { name: '院前村', exact: true }).click()
    await dialog.locator('[data-test="save-user"]').click()

    const shown = p.locator('[data-test="password-shown"]').and(p.locator('.el-dialog'))
    await shown.waitFor()
    generated = (await shown.locator('[data-test="generated-password"]').textContent()).trim()
    assert.ok(generated.length >= 10, `a generated password is shown: “${generated}”`)
    await shown.getByText('首次登录时须修改密码').waitFor()
    await shown.getByRole('button', { name: '我已记下' }).click()
    const row = p.locator('[data-test="users-table"] .el-table__row', { hasText: NEW.name }).first()
    await row.getByText('待修改初始密码').waitFor()
    await row.getByText('院前村').waitFor()
  } finally {
    await ctx.close()
  }

  // The new user signs in with it and cannot go on before changing it.
  const { ctx: ctx2, p: p2 } = await newContext()
  try {
    await login(p2, { name: NEW.name, password: generated })
    const forced = p2.locator('[data-test="password-dialog"]').and(p2.locator('.el-dialog'))
    await forced.getByText('请先修改初始密码').waitFor()
    assert.equal(await forced.locator('.el-dialog__headerbtn').count(), 0, 'no close button')
    await p2.keyboard.press('Escape')
    await p2.waitForTimeout(300)
    assert.ok(await forced.isVisible(), 'Escape does not close it')
    await forced.locator('[data-test="old-password"]').fill(generated)
    await forced.locator('[data-test="new-password"]').fill('short')
    await forced.locator('[data-test="confirm-password"]').fill('short')
    await forced.locator('[data-test="password-save"]').click()
    await forced.locator('[data-test="password-error"]').waitFor()
    await forced.locator('[data-test="new-password"]').fill('Brand-New-Pass-9')
    await forced.locator('[data-test="confirm-password"]').fill('Brand-New-Pass-9')
    await forced.locator('[data-test="password-save"]').click()
    await forced.waitFor({ state: 'hidden' })
    await figureOnDashboard(p2, 'tekun.persons')
  } finally {
    await ctx2.close()
  }
})

test('auditor: the audit page lists entries and the chain verifies', async () => {
  const { ctx, p } = await newContext()
  try {
    await login(p, AUDITOR)
    await p.waitForURL((u) => u.pathname === '/audit')
    const rows = p.locator('[data-test="audit-table"] .el-table__body-wrapper .el-table__row')
    await rows.first().waitFor()
    assert.ok(Number(await p.locator('[data-test="audit-total"]').textContent()) > 0)
    await p.locator('[data-test="audit-table"]').getByText('登录失败').first().waitFor()
    await p.locator('[data-test="audit-verify"]').click()
    const result = p.locator('[data-test="audit-verify-result"]')
    await result.waitFor()
    assert.match(await result.textContent(), /完整/)
    assert.ok(await result.evaluate((el) => el.classList.contains('el-alert--success')))

    // Pages the role may not open lead back to its own.
    await p.goto(url(`/dashboard?period=${PERIOD}`))
    await p.waitForURL((u) => u.pathname === '/audit')
    assert.equal(await p.locator('.side-menu').getByText('工作概览', { exact: true }).count(), 0)
  } finally {
    await ctx.close()
  }
})
