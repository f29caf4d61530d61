// Starts a throwaway taizhang server for the browser tests: a fresh demo database in a temp
// directory, the test accounts made with `taizhang user add`, `taizhang serve --port 0 --web
// dist`, and the port read from its first line.
//
// Every command that reads or writes ledger data names who runs it (issue 5): the tests run them
// as the local administrator (--local-admin).
import { execFile, spawn } from 'node:child_process'
import { accessSync, constants, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

function isExecutable(file) {
  try {
    accessSync(file, constants.X_OK)
    return true
  } catch {
    return false
  }
}

// The binary can be missing (or not yet executable, while the linker writes it) for a moment
// while it is being rebuilt: wait a little for it.
async function waitForFile(file, ms) {
  const end = Date.now() + ms
  while (!existsSync(file) || !isExecutable(file)) {
    if (Date.now() > end) throw new Error(`taizhang binary not found: ${file} (set TAIZHANG_BIN)`)
    await sleep(500)
  }
}

function newestMtime(p) {
  const st = statSync(p)
  if (!st.isDirectory()) return st.mtimeMs
  return Math.max(st.mtimeMs, ...readdirSync(p).map((name) => newestMtime(path.join(p, name))))
}

// The tests run against the built app: refuse a missing or out-of-date dist/.
function checkBuilt(webDist) {
  const index = path.join(webDist, 'index.html')
  if (!existsSync(index)) throw new Error(`${index} is missing: run \`npm run build\` first`)
  const web = path.dirname(webDist)
  const sources = ['src', 'index.html', 'vite.config.js', 'package-lock.json'].map((f) => path.join(web, f)).filter(existsSync)
  if (Math.max(...sources.map(newestMtime)) > statSync(index).mtimeMs) {
    throw new Error(`${webDist} is older than the sources: run \`npm run build\` first`)
  }
}

// Adds one account: `taizhang user add NAME --role ROLE [--unit …] [--display-name …]
// --local-admin`, the password in TAIZHANG_PASSWORD (without it the binary generates one and
// prints it; that password must be changed at the first login).
export async function addUser(bin, db, { name, role, unit, displayName, password }) {
  const argv = ['--db', db, 'user', 'add', name, '--role', role]
  if (unit) argv.push('--unit', unit)
  if (displayName) argv.push('--display-name', displayName)
  argv.push('--local-admin')
  const env = { ...process.env }
  delete env.TAIZHANG_PASSWORD
  if (password) env.TAIZHANG_PASSWORD = password
  try {
    const { stdout } = await run(bin, argv, { env, timeout: 60_000 })
    return password || stdout.trim()
  } catch (error) {
    throw new Error(`taizhang user add ${name} failed (${error.code}): ${error.stderr || error.message}`)
  }
}

// users: [{ name, role, unit?, displayName?, password }] — created before the server starts.
export async function startServer({ bin, webDist, seed = 2022, users = [] }) {
  await waitForFile(bin, 60_000)
  checkBuilt(webDist)
  const dir = mkdtempSync(path.join(tmpdir(), 'taizhang-e2e-'))
  const db = path.join(dir, 'demo.db')
  try {
    await run(bin, ['--db', db, 'demo', '--seed', String(seed), '--local-admin'], { timeout: 180_000 })
    for (const user of users) await addUser(bin, db, user)
  } catch (error) {
    rmSync(dir, { recursive: true, force: true })
    throw error
  }

  const child = spawn(bin, ['--db', db, 'serve', '--host', '127.0.0.1', '--port', '0', '--web', webDist], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (d) => (stderr += d))

  let stopped = false
  const stop = () => {
    if (stopped) return
    stopped = true
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(child.pid, 'SIGTERM')
      } catch {
        // already gone
      }
    }
    try {
      rmSync(dir, { recursive: true, force: true })
    } catch {
      // best effort
    }
  }
  // Whatever way this process ends, the server goes with it.
  process.once('exit', stop)
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      stop()
      process.exit(130)
    })
  }

  try {
    const url = await new Promise((resolve, reject) => {
      let out = ''
      const timer = setTimeout(() => reject(new Error(`server did not start in 30 s; stderr: ${stderr}`)), 30_000)
      child.stdout.on('data', (d) => {
        out += d
        const m = /taizhang 已启动：(http:\/\/[^/\s]+)\//.exec(out)
        if (m) {
          clearTimeout(timer)
          resolve(m[1])
        }
      })
      child.once('exit', (code) => {
        clearTimeout(timer)
        reject(new Error(`server exited with ${code} before it started; stderr: ${stderr}`))
      })
    })
    return { url, pid: child.pid, db, stop, stderr: () => stderr }
  } catch (error) {
    stop()
    throw error
  }
}
