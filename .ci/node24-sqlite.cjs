/**
 * Loaded with --require into the Node 24 test runs (.ci/run) and every Node process they start:
 * node_modules holds better-sqlite3 built for Node 20, which the main test run needs; this loads
 * the copy .ci/run built for Node 24 instead (WSYNC_BETTER_SQLITE3_NODE names it).
 */
'use strict';
const target = process.env.WSYNC_BETTER_SQLITE3_NODE;
const dlopen = process.dlopen;
process.dlopen = function dlopenNode24Build(module, filename, ...rest) {
  const wanted = target && /[\\/]better-sqlite3[\\/]build[\\/]Release[\\/]better_sqlite3\.node$/.test(filename) ? target : filename;
  return dlopen.call(this, module, wanted, ...rest);
};
