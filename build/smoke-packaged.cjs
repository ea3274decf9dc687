#!/usr/bin/env node
/**
 * The smoke test a build machine runs on the packaged app (docs/desktop-app.md):
 *   node build/smoke-packaged.cjs <the packaged executable>
 * e.g. release/linux-unpacked/wsync, release/mac/wsync.app/Contents/MacOS/wsync,
 * release/win-unpacked/wsync.exe. It starts the app with a fresh profile and
 * WSYNC_SMOKE_TEST=<result file>; the app checks that its window loaded wsync://app/, that the
 * preload API answers from the page, that the tray exists and that better-sqlite3 opens in the
 * engine process, writes the result and quits. On Linux without a display it runs under xvfb-run.
 */
'use strict';
const { spawn } = require('node:child_process');
const { existsSync, mkdtempSync, readFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const TIMEOUT_MS = 90_000;

function command(executable, profile, env) {
  const args = [`--user-data-dir=${profile}`];
  if (process.platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
    return ['xvfb-run', ['--auto-servernum', executable, ...args]];
  }
  return [executable, args];
}

async function main() {
  const executable = process.argv[2];
  if (!executable || !existsSync(executable)) {
    console.error('usage: node build/smoke-packaged.cjs <path to the packaged wsync executable>');
    process.exit(2);
  }
  const work = mkdtempSync(join(tmpdir(), 'wsync-smoke-'));
  const result = join(work, 'result.json');
  const env = { ...process.env, WSYNC_SMOKE_TEST: result };
  const [file, args] = command(executable, join(work, 'profile'), env);
  const child = spawn(file, args, { env, stdio: 'inherit' });
  const timer = setTimeout(() => {
    console.error(`the app did not finish its smoke test in ${TIMEOUT_MS / 1000} s`);
    child.kill('SIGKILL');
  }, TIMEOUT_MS);
  const code = await new Promise((resolve) => child.on('exit', (c) => resolve(c)));
  clearTimeout(timer);
  if (!existsSync(result)) {
    console.error(`the app exited with ${code} and wrote no result`);
    process.exit(1);
  }
  const report = JSON.parse(readFileSync(result, 'utf8'));
  for (const check of report.checks) console.log(`${check.ok ? 'ok  ' : 'FAIL'} ${check.name}: ${check.detail}`);
  process.exit(report.ok && code === 0 ? 0 : 1);
}

void main();
