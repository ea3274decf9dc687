/**
 * The packaged app's own smoke test, for a build machine (build/smoke-packaged.cjs starts the app
 * with WSYNC_SMOKE_TEST=<result file>): once started, it checks that the window loaded
 * wsync://app/, that the preload's API answers from the page, that the tray exists and that the
 * engine process opens SQLite through better-sqlite3, writes the result as JSON and quits.
 */
import { writeFile } from 'node:fs/promises';

export interface SmokeCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface SmokeTarget {
  pageUrl: () => string | null;
  /** Runs JavaScript in the page (webContents.executeJavaScript). */
  evaluate: (code: string) => Promise<unknown>;
  trayExists: () => boolean;
  selfCheck: () => Promise<{ sqlite: string; node: string; trust: string[] }>;
}

/** What the page runs: the renderer's own door to the main process. */
export const PRELOAD_PROBE =
  'window.wsync.getSettings().then((s) => JSON.stringify({ startAtLogin: typeof s.startAtLogin, folders: s.folders.length }))';

async function check(name: string, run: () => Promise<string>): Promise<SmokeCheck> {
  try {
    return { name, ok: true, detail: await run() };
  } catch (err) {
    return { name, ok: false, detail: err instanceof Error ? err.message : String(err) };
  }
}

export async function runSmokeTest(target: SmokeTarget, resultFile: string): Promise<boolean> {
  const checks = [
    await check('the window loaded wsync://app/', async () => {
      const url = target.pageUrl();
      if (!url?.startsWith('wsync://app/')) throw new Error(`the page is ${url ?? 'not loaded'}`);
      return url;
    }),
    await check('the preload API answers', async () => {
      const answer = String(await target.evaluate(PRELOAD_PROBE));
      if (!answer.includes('"startAtLogin":"boolean"')) throw new Error(`getSettings answered ${answer}`);
      return answer;
    }),
    await check('the tray exists', async () => {
      if (!target.trayExists()) throw new Error('no tray');
      return 'yes';
    }),
    await check('better-sqlite3 opens in the engine process', async () => {
      const result = await target.selfCheck();
      return `SQLite ${result.sqlite} on Node ${result.node}; certificates: ${result.trust.join(', ')}`;
    }),
  ];
  const ok = checks.every((c) => c.ok);
  await writeFile(resultFile, `${JSON.stringify({ ok, checks }, null, 2)}\n`);
  return ok;
}
