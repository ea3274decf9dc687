/**
 * electron-builder afterPack hook: fails the build loudly unless the packaged better-sqlite3
 * binary was built for Electron's ABI. A rebuild that could not fetch Electron's headers can
 * report success and still leave a binary for Node's ABI, which would crash the app at start.
 * The ABI is read from the module's exported `node_register_module_v<ABI>` symbol.
 */
'use strict';
const { readdirSync, readFileSync, statSync } = require('node:fs');
const { join } = require('node:path');

/** NODE_MODULE_VERSION a native addon was built for, or null when the binary names none. */
function abiOfNativeModule(bytes) {
  const match = /node_register_module_v(\d+)/.exec(bytes.toString('latin1'));
  return match ? Number(match[1]) : null;
}

function findFiles(dir, name, found = []) {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) findFiles(path, name, found);
    else if (entry === name) found.push(path);
  }
  return found;
}

function electronAbi(electronVersion) {
  return Number(require('node-abi').getAbi(electronVersion, 'electron'));
}

/** Throws unless every better_sqlite3.node under appOutDir was built for `expected`. */
function checkPackagedAbi(appOutDir, expected, target) {
  const binaries = findFiles(appOutDir, 'better_sqlite3.node');
  if (binaries.length === 0) {
    throw new Error(`better_sqlite3.node is missing from ${appOutDir}: check asarUnpack in electron-builder.yml`);
  }
  for (const binary of binaries) {
    const abi = abiOfNativeModule(readFileSync(binary));
    if (abi !== expected) {
      throw new Error(
        `${binary} was built for NODE_MODULE_VERSION ${abi} but ${target} needs ${expected}. ` +
          "The native rebuild did not target Electron (it needs network access to fetch Electron's headers).",
      );
    }
  }
  return { expected, binaries };
}

async function afterPack(context) {
  const electronVersion = context.packager.config.electronVersion || require('electron/package.json').version;
  const { expected, binaries } = checkPackagedAbi(context.appOutDir, electronAbi(electronVersion), `Electron ${electronVersion}`);
  console.log(`  • better-sqlite3 built for Electron ABI ${expected}: ${binaries.length} binary checked`);
}

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.abiOfNativeModule = abiOfNativeModule;
module.exports.checkPackagedAbi = checkPackagedAbi;
module.exports.electronAbi = electronAbi;
