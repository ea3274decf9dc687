import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { copyFile, cp, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
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

const root = join(import.meta.dirname, '..', '..');
const yaml = require('js-yaml') as { load(text: string): unknown };
const builderConfig = (): Record<string, unknown> => yaml.load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;

describe('electron-builder.yml', () => {
  it('keeps electron-builder’s default deb dependencies, which include libsecret (a deb.depends list would replace them)', () => {
    const config = builderConfig() as { deb?: { depends?: unknown } };
    expect(config.deb?.depends).toBeUndefined();
    const FpmTarget = (require('app-builder-lib/out/targets/FpmTarget.js') as { default: { prototype: { getDefaultDepends(t: string): string[] } } })
      .default;
    expect(FpmTarget.prototype.getDefaultDepends.call({}, 'deb')).toEqual(
      expect.arrayContaining(['libsecret-1-0', 'libgtk-3-0', 'libnss3', 'libnotify4', 'xdg-utils']),
    );
  });

  it('builds a zip beside the dmg on macOS (electron-updater updates from it), and unpacks only native code', () => {
    const config = builderConfig() as { mac: { target: string[] }; asarUnpack: string[]; npmRebuild: boolean };
    expect(config.mac.target).toEqual(['dmg', 'zip']);
    expect(config.asarUnpack).toEqual(['**/*.node']);
    expect(config.npmRebuild).toBe(false);
  });

  it('keeps the fuses: no RunAsNode, no NODE_OPTIONS, no --inspect; asar integrity and only-from-asar', () => {
    expect(builderConfig().electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });
});

describe('the AppImage launcher (toolset 1.0.3: no libfuse2 needed)', () => {
  const appImageUtil = require('app-builder-lib/out/targets/appimage/appImageUtil.js') as { generateAppRunScript(c: object): string };
  const generateAppRunScript = (c: object): string => appImageUtil.generateAppRunScript(c);

  async function launch(userNamespaces: boolean): Promise<string> {
    expect((builderConfig().toolsets as { appimage: string }).appimage).toBe('1.0.3');
    const appDir = await mkdtemp(join(tmpdir(), 'wsync-appdir-'));
    const bin = join(appDir, 'fake-bin');
    await mkdir(bin);
    await writeFile(join(appDir, 'AppRun'), generateAppRunScript({ ExecutableName: 'wsync', ProductName: 'wsync', ProductFilename: 'wsync' }), {
      mode: 0o755,
    });
    await writeFile(join(appDir, 'wsync'), `#!/bin/sh\necho "$@" > "${join(appDir, 'args')}"\n`, { mode: 0o755 });
    // Ubuntu 24.04's AppArmor restriction makes an unprivileged user namespace fail, as this one does.
    await writeFile(join(bin, 'unshare'), `#!/bin/sh\nexit ${userNamespaces ? 0 : 1}\n`, { mode: 0o755 });
    execFileSync(join(appDir, 'AppRun'), ['--hidden'], {
      env: { PATH: `${bin}:/usr/bin:/bin`, APPDIR: appDir, APPIMAGE: '/home/ana/Apps/wsync.AppImage', HOME: appDir },
    });
    return (await readFile(join(appDir, 'args'), 'utf8')).trim();
  }

  it('starts the app with --no-sandbox where user namespaces are blocked (Ubuntu 24.04+), keeping the arguments', async () => {
    expect(await launch(false)).toBe('--no-sandbox --hidden');
  });

  it('keeps Chromium’s sandbox where user namespaces work', async () => {
    expect(await launch(true)).toBe('--hidden');
  });
});

describe('signing and notarisation hooks read their secrets from the environment', () => {
  const notarizeHook = require('../../build/notarize.cjs') as {
    notarizeApp(
      context: object,
      deps: { env: NodeJS.ProcessEnv; notarize?: (o: object) => Promise<void>; log?: (m: string) => void },
    ): Promise<string>;
  };
  const mac = { electronPlatformName: 'darwin', appOutDir: '/out/mac', packager: { appInfo: { productFilename: 'wsync' } } };

  it.each<[string, NodeJS.ProcessEnv, object]>([
    [
      'an App Store Connect API key',
      { APPLE_API_KEY: '/keys/AuthKey.p8', APPLE_API_KEY_ID: 'KEYID', APPLE_API_ISSUER: 'issuer' },
      { appleApiKey: '/keys/AuthKey.p8', appleApiKeyId: 'KEYID', appleApiIssuer: 'issuer' },
    ],
    [
      'an Apple ID',
      { APPLE_ID: 'ci@example.com', APPLE_APP_SPECIFIC_PASSWORD: 'pw', APPLE_TEAM_ID: 'TEAM' },
      { appleId: 'ci@example.com', appleIdPassword: 'pw', teamId: 'TEAM' },
    ],
  ])('notarises with %s', async (_name, env, credentials) => {
    const calls: object[] = [];
    expect(await notarizeHook.notarizeApp(mac, { env, notarize: async (o) => void calls.push(o), log: () => undefined })).toBe('notarised');
    expect(calls).toEqual([{ appPath: '/out/mac/wsync.app', ...credentials }]);
  });

  it('skips without credentials, unless the release machine requires them; half a set is an error', async () => {
    const log: string[] = [];
    expect(await notarizeHook.notarizeApp(mac, { env: {}, log: (m) => log.push(m) })).toBe('skipped: no credentials');
    expect(log[0]).toMatch(/not notarised/);
    await expect(notarizeHook.notarizeApp(mac, { env: { WSYNC_REQUIRE_NOTARIZATION: '1' } })).rejects.toThrow(/no Apple credentials/);
    await expect(notarizeHook.notarizeApp(mac, { env: { APPLE_ID: 'x' } })).rejects.toThrow(
      /missing APPLE_API_KEY.*or APPLE_APP_SPECIFIC_PASSWORD, APPLE_TEAM_ID/,
    );
    expect(await notarizeHook.notarizeApp({ ...mac, electronPlatformName: 'linux' }, { env: {} })).toBe('skipped: not macOS');
  });
});

describe('npm run dist leaves the Node build of better-sqlite3 in place', () => {
  const nativeHook = require('../../build/native-for-electron.cjs') as {
    stageNativeBuild(o: {
      projectDir: string;
      electronVersion: string;
      platform: string;
      arch: string;
      rebuild: (o: { buildPath: string; onlyModules: string[] }) => Promise<void>;
    }): Promise<string>;
  };

  it('rebuilds a copy under release/native, never node_modules; the packed binary is the copy', async () => {
    const project = await mkdtemp(join(tmpdir(), 'wsync-dist-'));
    const installed = join(project, 'node_modules', 'better-sqlite3');
    await mkdir(join(installed, 'build', 'Release'), { recursive: true });
    await writeFile(join(installed, 'package.json'), '{"name":"better-sqlite3"}');
    await mkdir(join(installed, 'src'));
    await writeFile(join(installed, 'src', 'better_sqlite3.cpp'), '// sources');
    await copyFile(nodeBinary, join(installed, 'build', 'Release', 'better_sqlite3.node'));
    const before = await readFile(join(installed, 'build', 'Release', 'better_sqlite3.node'));
    const asked: { buildPath: string; onlyModules: string[] }[] = [];
    const out = await nativeHook.stageNativeBuild({
      projectDir: project,
      electronVersion,
      platform: 'linux',
      arch: 'x64',
      // What @electron/rebuild does, without the download: compiles in the copy it is given.
      rebuild: async (o) => {
        asked.push(o);
        const copy = join(o.buildPath, 'node_modules', 'better-sqlite3');
        expect(await readFile(join(copy, 'src', 'better_sqlite3.cpp'), 'utf8')).toBe('// sources');
        await mkdir(join(copy, 'build', 'Release'), { recursive: true });
        await writeFile(join(copy, 'build', 'Release', 'better_sqlite3.node'), 'electron build');
      },
    });
    expect(asked.map((o) => o.onlyModules)).toEqual([['better-sqlite3']]);
    expect(out).toBe(join(project, 'release', 'native', 'linux-x64', 'better_sqlite3.node'));
    expect(await readFile(out, 'utf8')).toBe('electron build');
    expect(await readFile(join(installed, 'build', 'Release', 'better_sqlite3.node'))).toEqual(before);
  });

  it('packs the bundles and only better-sqlite3’s run-time files, unpacks only the .node, taken from release/native (electron-builder, for real, on a stand-in Electron dist)', async () => {
    const project = await mkdtemp(join(tmpdir(), 'wsync-pack-project-'));
    for (const file of [
      'dist/electron/main/index.cjs',
      'dist/electron/engine/index.cjs',
      'dist/electron/preload/index.cjs',
      'dist/app/index.html',
      'dist/app/assets/app.js',
    ]) {
      await mkdir(join(project, file, '..'), { recursive: true });
      await writeFile(join(project, file), '// built\n');
    }
    await writeFile(join(project, 'dist/electron/main/index.cjs.map'), '{}');
    await copyFile(join(root, 'package.json'), join(project, 'package.json'));
    await copyProductionModules(project);
    await cp(join(root, 'build', 'icons'), join(project, 'build', 'icons'), { recursive: true });
    const staged = join(project, 'release', 'native', 'linux-x64');
    await mkdir(staged, { recursive: true });
    const marked = Buffer.concat([await readFile(nodeBinary), Buffer.from('wsync-staged-electron-build')]);
    await writeFile(join(staged, 'better_sqlite3.node'), marked);
    // A stand-in for the Electron dist that cannot be downloaded here.
    const electronDist = join(project, 'electron-dist');
    await mkdir(join(electronDist, 'resources'), { recursive: true });
    for (const f of ['electron', 'chrome-sandbox']) await writeFile(join(electronDist, f), '#!/bin/sh\n', { mode: 0o755 });
    await writeFile(join(electronDist, 'LICENSE'), '');
    // The hooks need a real Electron (fuses, rebuild, ABI check, notarisation): the stand-in dist has none.
    const hooks = new Set(['electronFuses', 'beforeBuild', 'afterPack', 'afterSign']);
    const config = Object.fromEntries(Object.entries(builderConfig()).filter(([key]) => !hooks.has(key)));
    const { build: builder, Platform } = require('electron-builder') as typeof import('electron-builder');
    await builder({
      projectDir: project,
      targets: Platform.LINUX.createTarget('dir'),
      publish: 'never',
      config: { ...config, electronDist, electronVersion, directories: { output: join(project, 'out'), buildResources: 'build' } } as never,
    });
    const resources = join(project, 'out', 'linux-unpacked', 'resources');
    const asar = require('@electron/asar') as { listPackage(p: string, o: object): string[] };
    const listed = asar.listPackage(join(resources, 'app.asar'), {}).map((p) => p.replace(/\\/g, '/'));
    const packages = [...new Set(listed.filter((p) => /^\/node_modules\/[^/]+$/.test(p)))];
    expect(packages.sort()).toEqual(['/node_modules/better-sqlite3', '/node_modules/bindings', '/node_modules/file-uri-to-path']);
    expect(listed.filter((p) => p.startsWith('/node_modules/better-sqlite3/') && /\/(src|deps)(\/|$)/.test(p))).toEqual([]);
    expect(listed).toEqual(
      expect.arrayContaining([
        '/dist/electron/main/index.cjs',
        '/dist/electron/engine/index.cjs',
        '/dist/electron/preload/index.cjs',
        '/dist/app/index.html',
      ]),
    );
    expect(listed.filter((p) => p.endsWith('.map'))).toEqual([]);
    const unpacked = join(resources, 'app.asar.unpacked');
    const files = (await readdir(unpacked, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile())
      .map((e) => relative(unpacked, join(e.parentPath, e.name)));
    expect(files).toEqual([join('node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node')]);
    expect(await readFile(join(unpacked, files[0] as string))).toEqual(marked);
    expect(await readdir(join(resources, 'tray'))).toContain('idle.png');
  }, 180_000);
});

// electron-builder asks `npm list` for the production tree. Through a symlinked node_modules npm
// reads every package as outside the project and reports their own devDependencies as missing
// (a fresh `npm ci` whose hidden lockfile went stale shows it), so the stand-in project gets a real
// copy of the production closure, as a project being packed has.
async function copyProductionModules(project: string): Promise<void> {
  const listed = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: root, encoding: 'utf8', maxBuffer: 16 << 20 });
  const topLevel = new Set(
    listed
      .split('\n')
      .map((line) => relative(join(root, 'node_modules'), line.trim()).split('/'))
      .filter((parts) => parts[0] !== '..' && parts[0] !== '')
      .map((parts) => (parts[0]?.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/')),
  );
  for (const name of topLevel)
    await cp(join(root, 'node_modules', name), join(project, 'node_modules', name), { recursive: true, verbatimSymlinks: true });
}

describe('the packaged-app smoke runner (build/smoke-packaged.cjs)', () => {
  async function runWith(appScript: string): Promise<{ code: number | null; out: string }> {
    const dir = await mkdtemp(join(tmpdir(), 'wsync-smoke-runner-'));
    const app = join(dir, 'wsync');
    await writeFile(app, `#!${process.execPath}\n${appScript}\n`, { mode: 0o755 });
    const { spawnSync } = await import('node:child_process');
    const run = spawnSync(process.execPath, [join(root, 'build', 'smoke-packaged.cjs'), app], {
      env: { ...process.env, DISPLAY: ':0' },
      encoding: 'utf8',
    });
    return { code: run.status, out: `${run.stdout}${run.stderr}` };
  }
  // Stand-ins for the packaged app: what its WSYNC_SMOKE_TEST mode writes (app-lifecycle.test.ts tests that mode).
  const writes = (ok: boolean) =>
    `require('fs').writeFileSync(process.env.WSYNC_SMOKE_TEST, JSON.stringify({ ok: ${ok}, checks: [{ name: 'the tray exists', ok: ${ok}, detail: process.argv.slice(2).join(' ') }] })); process.exit(${ok ? 0 : 1});`;

  it('starts the app with its own profile and passes when every check passed', async () => {
    const { code, out } = await runWith(writes(true));
    expect(code).toBe(0);
    expect(out).toMatch(/ok {3}the tray exists: --user-data-dir=/);
  });

  it('fails when a check failed, or when the app wrote no result', async () => {
    expect((await runWith(writes(false))).code).toBe(1);
    const silent = await runWith('process.exit(0);');
    expect(silent.code).toBe(1);
    expect(silent.out).toContain('wrote no result');
  });
});
