import { copyFile, mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const afterPack = require('../../build/after-pack.cjs') as {
  abiOfNativeModule(bytes: Buffer): number | null;
  electronAbi(version: string): number;
  checkPackagedAbi(appOutDir: string, expected: number, target: string): { expected: number; binaries: string[] };
};
const electronVersion = (require('electron/package.json') as { version: string }).version;
const nodeBinary = require.resolve('better-sqlite3/build/Release/better_sqlite3.node');

async function packagedApp(): Promise<string> {
  const out = await mkdtemp(join(tmpdir(), 'wsync-pack-'));
  const dir = join(out, 'resources', 'app.asar.unpacked', 'node_modules', 'better-sqlite3', 'build', 'Release');
  await mkdir(dir, { recursive: true });
  await copyFile(nodeBinary, join(dir, 'better_sqlite3.node'));
  return out;
}

describe('packaging checks the native module ABI', () => {
  it('reads the ABI the installed better-sqlite3 was built for (this Node’s)', async () => {
    expect(afterPack.abiOfNativeModule(await readFile(nodeBinary))).toBe(Number(process.versions.modules));
  });

  it('knows Electron’s ABI, which differs from Node’s', () => {
    expect(afterPack.electronAbi(electronVersion)).toBeGreaterThan(Number(process.versions.modules));
  });

  it('fails the build when the packaged binary was built for Node rather than Electron', async () => {
    const out = await packagedApp();
    const electron = afterPack.electronAbi(electronVersion);
    expect(() => afterPack.checkPackagedAbi(out, electron, `Electron ${electronVersion}`)).toThrow(
      `was built for NODE_MODULE_VERSION ${process.versions.modules} but Electron ${electronVersion} needs ${electron}`,
    );
  });

  it('passes when the packaged binary matches the target ABI', async () => {
    const out = await packagedApp();
    const checked = afterPack.checkPackagedAbi(out, Number(process.versions.modules), 'Node');
    expect(checked.binaries).toHaveLength(1);
  });

  it('fails when the binary is missing from the package', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'wsync-pack-'));
    expect(() => afterPack.checkPackagedAbi(empty, 150, 'Electron')).toThrow(/better_sqlite3.node is missing/);
  });
});
