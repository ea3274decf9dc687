import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { preloadBundle } from '../../scripts/electron-bundles.js';
import { IPC_COMMANDS } from '../../electron/shared/ipc-channels.js';

describe('the sandboxed preload bundle', () => {
  it('is one CommonJS file that requires nothing but electron', async () => {
    const outfile = join(await mkdtemp(join(tmpdir(), 'wsync-preload-')), 'index.cjs');
    await build({ ...preloadBundle(outfile), logLevel: 'silent', minify: false, sourcemap: false });
    const code = await readFile(outfile, 'utf8');
    const required = [...code.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect([...new Set(required)]).toEqual(['electron']);
    expect(code).not.toMatch(/^\s*(import|export)\s/m);
    expect(code).not.toContain('zod');
    for (const command of IPC_COMMANDS) expect(code).toContain(`"${command}"`);
  });
});
