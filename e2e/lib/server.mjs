// Starts a real keepsim (`keepsim serve`) for browser tests: SQLite in a fresh
// temporary data directory, demo data seeded, free ports for HTTP, Diameter and
// metrics; waits until GET /readyz answers 200.
//
//   const ks = await startKeepsim();            // or startKeepsim({ env: { KEEPSIM_SEED: 'none' } })
//   ks.baseUrl                                  // http://127.0.0.1:<port>
//   await ks.cli(['stock'])                     // → { code, stdout, stderr }
//   const key = await ks.createApiKey(['network']);
//   await ks.stop();
//
// The binary is $KEEPSIM_BIN, else $CARGO_TARGET_DIR/debug/keepsim, else
// <repo>/target/debug/keepsim (build it first: `cargo build -p keepsim`).
// The server's stdout and stderr go to e2e/artifacts/server-<n>.log.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const E2E_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_ROOT = path.resolve(E2E_DIR, '..');
export const ARTIFACTS_DIR = process.env.KEEPSIM_E2E_ARTIFACTS
  ? path.resolve(process.env.KEEPSIM_E2E_ARTIFACTS)
  : path.join(E2E_DIR, 'artifacts');

/** How long the first start may take (it generates the sandbox payment RSA keys). */
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 15_000;
const BANNER = 'keepsim is running at';

/** The keepsim binary the tests run. */
export function keepsimBinary() {
  if (process.env.KEEPSIM_BIN) return path.resolve(process.env.KEEPSIM_BIN);
  const target = process.env.CARGO_TARGET_DIR
    ? path.resolve(REPO_ROOT, process.env.CARGO_TARGET_DIR)
    : path.join(REPO_ROOT, 'target');
  return path.join(target, 'debug', 'keepsim');
}

/** A TCP port nobody listens on right now (127.0.0.1). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function distinctFreePorts(n) {
  const ports = new Set();
  while (ports.size < n) ports.add(await freePort());
  return [...ports];
}

/** Opens artifacts/server-<n>.log with the first n not used yet (test files run in separate processes). */
function openServerLog() {
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  for (let n = 1; ; n++) {
    const file = path.join(ARTIFACTS_DIR, `server-${n}.log`);
    try {
      return { file, fd: fs.openSync(file, 'wx') };
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
    }
  }
}

// Every running server, killed when this process exits however it exits.
const running = new Set();
let exitHooksInstalled = false;

function installExitHooks() {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.on('exit', () => {
    for (const s of running) s.killNow();
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(signal, () => {
      for (const s of running) s.killNow();
      process.kill(process.pid, signal); // the default action, now that our handler is gone
    });
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function tail(file, lines = 40) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Runs a program to completion: → { code, stdout, stderr }. */
function run(binary, args, { env, cwd, input, timeoutMs = 60_000 }) {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { env, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
    child.stdin.on('error', () => {}); // the program may exit without reading its input
    child.stdin.end(input ?? '');
  });
}

/**
 * Starts `keepsim serve` and waits until it is ready.
 *
 * @param {object} [options]
 * @param {Record<string, string|undefined|null>} [options.env] extra environment (KEEPSIM_SEED: 'none',
 *   KEEPSIM_DEMO_PROFILES, payment settings…); a value of undefined or null removes the variable.
 * @returns {Promise<{baseUrl: string, dataDir: string, httpPort: number, diameterPort: number,
 *   metricsPort: number, metricsUrl: string, logFile: string, env: Record<string,string>,
 *   admin: {email: string, password: string}|null,
 *   cli: (args: string[], opts?: {input?: string, env?: object}) => Promise<{code: number, stdout: string, stderr: string}>,
 *   createApiKey: (scopes?: string[], opts?: {partner?: string}) => Promise<string>,
 *   createStaff: (opts: {email: string, role: string, password?: string}) => Promise<{email: string, password: string}>,
 *   logTail: (lines?: number) => string, stop: () => Promise<void>}>}
 */
export async function startKeepsim({ env = {} } = {}) {
  const binary = keepsimBinary();
  if (!fs.existsSync(binary)) {
    throw new Error(`keepsim binary not found at ${binary}: run \`cargo build -p keepsim\` first (or set KEEPSIM_BIN)`);
  }
  // A port picked free can be taken before keepsim binds it: try again with others.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(binary, env);
    } catch (e) {
      if (!(e instanceof PortTaken) || attempt >= 3) throw e;
    }
  }
}

class PortTaken extends Error {}

async function startOnce(binary, extraEnv) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keepsim-e2e-'));
  const dataDir = path.join(tmp, 'data');
  fs.mkdirSync(dataDir);
  const [httpPort, diameterPort, metricsPort] = await distinctFreePorts(3);
  const baseUrl = `http://127.0.0.1:${httpPort}`;

  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('KEEPSIM_') && k !== 'DATABASE_URL'),
  );
  Object.assign(env, {
    KEEPSIM_DATA_DIR: dataDir,
    DATABASE_URL: `sqlite://${dataDir}/keepsim.db`,
    KEEPSIM_HTTP_LISTEN: `127.0.0.1:${httpPort}`,
    KEEPSIM_DIAMETER_LISTEN: `127.0.0.1:${diameterPort}`,
    KEEPSIM_METRICS_LISTEN: `127.0.0.1:${metricsPort}`,
    KEEPSIM_PUBLIC_URL: baseUrl,
  });
  for (const [k, v] of Object.entries(extraEnv)) {
    if (v === undefined || v === null) delete env[k];
    else env[k] = String(v);
  }

  const log = openServerLog();
  const child = spawn(binary, ['serve'], { env, cwd: tmp, stdio: ['ignore', log.fd, log.fd] });
  fs.closeSync(log.fd);
  let exited = null;
  const exitedPromise = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      resolve(exited);
    });
  });
  child.on('error', () => {}); // reported through 'exit' / the readiness timeout

  let removed = false;
  const removeTmp = () => {
    if (removed || process.env.KEEPSIM_E2E_KEEP_TMP) return;
    removed = true;
    fs.rmSync(tmp, { recursive: true, force: true });
  };
  const handle = {
    killNow() {
      if (!exited) child.kill('SIGKILL');
      removeTmp();
    },
  };
  installExitHooks();
  running.add(handle);

  const stop = async () => {
    if (!running.has(handle)) return;
    running.delete(handle);
    if (!exited) {
      child.kill('SIGTERM');
      let timer;
      const timeout = new Promise((resolve) => {
        timer = setTimeout(() => resolve('timeout'), STOP_TIMEOUT_MS);
      });
      const outcome = await Promise.race([exitedPromise, timeout]);
      clearTimeout(timer);
      if (outcome === 'timeout') {
        child.kill('SIGKILL');
        await exitedPromise;
      }
    }
    removeTmp();
  };

  // Ready when /readyz answers 200 (the banner is printed just before the listener serves).
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (exited) {
      const logText = tail(log.file);
      await stop();
      if (/Address already in use|address in use/i.test(logText)) throw new PortTaken(logText);
      throw new Error(`keepsim exited (${exited.code ?? exited.signal}) before it was ready; ${log.file}:\n${logText}`);
    }
    try {
      const r = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(2_000) });
      if (r.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`keepsim was not ready within ${START_TIMEOUT_MS / 1000} s; ${log.file}:\n${tail(log.file)}`);
    }
    await sleep(100);
  }

  const startLog = fs.readFileSync(log.file, 'utf8');
  if (!startLog.includes(BANNER)) {
    // Not fatal: the banner's wording may change; /readyz is what counts.
    process.emitWarning(`keepsim is ready but its log lacks ${JSON.stringify(BANNER)}`);
  }
  const adminEmail = startLog.match(/Created the first admin: (\S+)/)?.[1];
  const adminPassword = startLog.match(/One-time password \(shown only now\): (\S+)/)?.[1];

  /** Runs `keepsim <args>` against the same data directory and database. */
  const cli = (args, { input, env: more = {} } = {}) => {
    const cliEnv = { ...env };
    for (const [k, v] of Object.entries(more)) {
      if (v === undefined || v === null) delete cliEnv[k];
      else cliEnv[k] = String(v);
    }
    return run(binary, args, { env: cliEnv, cwd: tmp, input });
  };

  const must = async (args, opts) => {
    const r = await cli(args, opts);
    if (r.code !== 0) {
      throw new Error(`keepsim ${args.join(' ')} exited ${r.code}:\n${r.stdout}${r.stderr}`);
    }
    return r;
  };

  /** `keepsim api-key create --scope …`: the key, printed once. */
  const createApiKey = async (scopes = ['network'], { partner } = {}) => {
    const args = ['api-key', 'create', '--scope', scopes.join(',')];
    if (partner) args.push('--partner', partner);
    const r = await must(args);
    const key = r.stdout.match(/Key \(shown only now\): (\S+)/)?.[1];
    if (!key) throw new Error(`no key in the output of keepsim ${args.join(' ')}:\n${r.stdout}`);
    return key;
  };

  /** `keepsim admin create-user`: the password is given on stdin, or generated and parsed. */
  const createStaff = async ({ email, role, password }) => {
    const args = ['admin', 'create-user', '--email', email, '--role', role];
    const r = await must(args, { input: password ? `${password}\n` : '' });
    if (password) return { email, password };
    const generated = r.stdout.match(/Password \(shown only now\): (\S+)/)?.[1];
    if (!generated) throw new Error(`no password in the output of keepsim ${args.join(' ')}:\n${r.stdout}`);
    return { email, password: generated };
  };

  return {
    baseUrl,
    dataDir,
    httpPort,
    diameterPort,
    metricsPort,
    metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
    logFile: log.file,
    env,
    admin: adminEmail && adminPassword ? { email: adminEmail, password: adminPassword } : null,
    cli,
    createApiKey,
    createStaff,
    logTail: (lines = 40) => tail(log.file, lines),
    stop,
  };
}
