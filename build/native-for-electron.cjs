/**
 * electron-builder beforeBuild hook: builds better-sqlite3 for Electron's ABI in a copy of the
 * package under release/native/, never in node_modules, so that `npm run dist` leaves the Node
 * build the tests load where it was. electron-builder.yml packs the copy's better_sqlite3.node
 * (files: from release/native/${platform}-${arch}); after-pack.cjs then checks its ABI.
 * Needs network: @electron/rebuild downloads Electron's headers. Native code cannot be
 * cross-compiled: build each platform on that platform.
 */
'use strict';
const { cpSync, existsSync, mkdirSync, rmSync, writeFileSync, copyFileSync } = require('node:fs');
const { join } = require('node:path');

const MODULE = 'better-sqlite3';
const BINARY = 'better_sqlite3.node';

/** Where the Electron build of the binary goes for a platform and arch (what electron-builder.yml packs). */
function nativeDir(projectDir, platform, arch) {
  return join(projectDir, 'release', 'native', `${platform}-${arch}`);
}

/**
 * Copies the package's sources (not its build/) into a throwaway project, rebuilds it there and
 * keeps the binary. `rebuild` is @electron/rebuild's (tests pass one that does not download).
 */
async function stageNativeBuild({ projectDir, electronVersion, platform, arch, rebuild }) {
  const source = join(projectDir, 'node_modules', MODULE);
  const stage = join(projectDir, 'release', 'native', `.build-${platform}-${arch}`);
  rmSync(stage, { recursive: true, force: true });
  const staged = join(stage, 'node_modules', MODULE);
  mkdirSync(staged, { recursive: true });
  cpSync(source, staged, { recursive: true, filter: (path) => !path.startsWith(join(source, 'build')) });
  // node-gyp resolves the module's own dependencies from here (bindings is pure JS).
  writeFileSync(join(stage, 'package.json'), `${JSON.stringify({ name: 'wsync-native', private: true, dependencies: { [MODULE]: '*' } })}\n`);
  await rebuild({ buildPath: stage, electronVersion, platform, arch, onlyModules: [MODULE], force: true });
  const built = join(staged, 'build', 'Release', BINARY);
  if (!existsSync(built)) throw new Error(`the rebuild of ${MODULE} for Electron ${electronVersion} left no ${built}`);
  const out = nativeDir(projectDir, platform, arch);
  mkdirSync(out, { recursive: true });
  copyFileSync(built, join(out, BINARY));
  rmSync(stage, { recursive: true, force: true });
  return join(out, BINARY);
}

function nameOf(value) {
  return typeof value === 'string' ? value : value && (value.nodeName || value.name);
}

async function beforeBuild(context) {
  const { Arch } = require('builder-util');
  const arch = typeof context.arch === 'string' ? context.arch : Arch[context.arch];
  const platform = nameOf(context.platform);
  const { rebuild } = await import('@electron/rebuild');
  const binary = await stageNativeBuild({ projectDir: context.appDir, electronVersion: context.electronVersion, platform, arch, rebuild });
  console.log(`  • ${MODULE} built for Electron ${context.electronVersion} (${platform}-${arch}) in ${binary}`);
  // Dependencies need no install or rebuild by electron-builder: node_modules stays as it is.
  return false;
}

module.exports = beforeBuild;
module.exports.default = beforeBuild;
module.exports.stageNativeBuild = stageNativeBuild;
module.exports.nativeDir = nativeDir;
