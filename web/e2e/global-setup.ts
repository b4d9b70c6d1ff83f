// Starts a real `gmao serve` for the end-to-end tests: a fresh embedded PostgreSQL in a temporary
// directory with the demo company, the built app from dist/, a random port read from stdout.
// Without SMTP, every mail is written under <data dir>/outbox/ and announced on stdout as one
// line (`✉ mail to <address>: <subject> → <link>  (<path>)`): those lines are appended to a file
// the tests read (`mailLog`, see `waitForMail` in helpers.ts). Stopped with SIGTERM at the end,
// whatever happened (the server then stops its database).
import { spawn, type ChildProcess } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    /** The file where the server's "✉ mail to …" lines land, one per mail, in delivery order. */
    mailLog: string;
  }
}

const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Access tokens this short (the minimum gmao accepts) make every flow of the run go through invisible refreshes. */
export const ACCESS_TOKEN_TTL_SECS = 30;

function waitForUrl(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      reject(
        new Error(
          `gmao did not start within ${timeoutMs / 1000} s.\nstdout:\n${stdout}\nstderr:\n${stderr.slice(-4000)}`,
        ),
      );
    }, timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /gmao is running at (http:\/\/\S+?)\/?\s/.exec(stdout);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (process.env.GMAO_E2E_SERVER_LOG) process.stderr.write(chunk);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(
        new Error(
          `gmao exited early (code ${code}, signal ${signal}).\nstderr:\n${stderr.slice(-4000)}`,
        ),
      );
    });
  });
}

/** Appends the server's mail lines to `file` as they come. */
function collectMails(child: ChildProcess, file: string): void {
  writeFileSync(file, '');
  let pending = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    const mails = lines.filter((line) => line.startsWith('✉ mail to '));
    if (mails.length > 0) appendFileSync(file, mails.map((line) => `${line}\n`).join(''));
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
      return;
    }
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export default async function setup(project: TestProject) {
  const bin = path.resolve(webDir, process.env.GMAO_BIN ?? '../target/debug/gmao');
  const dist = path.join(webDir, 'dist');
  if (!existsSync(bin)) {
    throw new Error(
      `gmao binary not found at ${bin}: build it (cargo build -p gmao) or set GMAO_BIN`,
    );
  }
  if (!existsSync(path.join(dist, 'index.html'))) {
    throw new Error('web/dist is missing: run `npm run build` first');
  }
  const screenshots = path.join(webDir, 'e2e/screenshots');
  rmSync(screenshots, { recursive: true, force: true });
  mkdirSync(screenshots, { recursive: true });

  // Reachable by the `postgres` user when gmao runs as root.
  const dataDir = mkdtempSync(path.join(tmpdir(), 'gmao-e2e-'));
  chmodSync(dataDir, 0o755);

  const env: NodeJS.ProcessEnv = { ...process.env };
  // gmao refuses GMAO_* variables that are not settings.
  delete env.GMAO_BIN;
  delete env.GMAO_E2E_SERVER_LOG;
  env.GMAO_WEB_DIR = dist;
  env.GMAO_ACCESS_TOKEN_TTL_SECS = String(ACCESS_TOKEN_TTL_SECS);
  env.GMAO_LOG__LEVEL = env.GMAO_LOG__LEVEL ?? 'warn';
  // The in-process worker runs (it creates the job queue the jobs page reads, and handles the
  // jobs meter readings queue), but its periodic sweeps wait for a 1st of January at 03:00 UTC:
  // what the tests see does not change under them.
  env.GMAO_PM_SWEEP_CRON = '0 0 3 1 1 *';
  env.GMAO_WORKER__HOUSEKEEPING_CRON = '0 0 3 1 1 *';
  // Every test comes from 127.0.0.1: the budgets per client address are for a whole office, not
  // for one machine creating a dozen companies and asking for several links within the hour.
  env.GMAO_LIMITS__SIGNUPS_PER_ADDRESS_PER_HOUR = '100';
  env.GMAO_LIMITS__PASSWORD_RESETS_PER_ADDRESS_PER_HOUR = '100';

  // `--demo`: the demo company (two sites, two years of history, five preventive plans) for the
  // tests of preventive maintenance and the calendar; the other tests make their own companies.
  const child = spawn(
    bin,
    ['serve', '--port', '0', '--demo', '--data-dir', path.join(dataDir, 'data')],
    {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const onExit = () => child.kill('SIGTERM');
  process.once('exit', onExit);
  const mailLog = path.join(dataDir, 'mails.log');
  collectMails(child, mailLog);

  try {
    const url = await waitForUrl(child, 120_000);
    project.provide('baseUrl', url);
    project.provide('mailLog', mailLog);
  } catch (error) {
    await stop(child);
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }

  return async () => {
    process.off('exit', onExit);
    await stop(child);
    rmSync(dataDir, { recursive: true, force: true });
  };
}
