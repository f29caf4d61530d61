// Starts a throwaway taizhang server for the browser tests: a fresh demo database in a temp
// directory, `taizhang serve --port 0 --web dist`, and the port read from its first line.
import { execFile, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

// The binary can be missing for a moment while it is being rebuilt: wait a little for it.
async function waitForFile(file, ms) {
  const end = Date.now() + ms
  while (!existsSync(file)) {
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

export async function startServer({ bin, webDist, seed = 2022 }) {
  await waitForFile(bin, 60_000)
  checkBuilt(webDist)
  const dir = mkdtempSync(path.join(tmpdir(), 'taizhang-e2e-'))
  const db = path.join(dir, 'demo.db')
  await run(bin, ['--db', db, 'demo', '--seed', String(seed)], { timeout: 180_000 })

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
    return { url, pid: child.pid, stop, stderr: () => stderr }
  } catch (error) {
    stop()
    throw error
  }
}
