/**
 * The engine process: started by the main process with Electron's `utilityProcess.fork` (a Node
 * child with the same `process.parentPort` stands in for it in tests). It hosts every folder's
 * controller off the UI thread and serves them over the protocol of engine-protocol.ts.
 */
import Database from 'better-sqlite3';
import { configureNetwork, pacResultToProxyUrl, trustSources } from '../engine/api/network.js';
import { createController, openFilesApi } from './controller-factory.js';
import { serveEngine, type EngineServer, type ParentPortLike } from './engine-server.js';
import { FolderHost } from './folder-host.js';
import { createProxyCache } from './proxy-cache.js';

// Electron's types declare parentPort on every process; it exists only in a utility process.
const parent = (process as { parentPort?: ParentPortLike }).parentPort;
if (!parent) {
  process.stderr.write('wsync engine: this program is started by the wsync app, not on its own\n');
  process.exit(2);
}

const log = (message: string): void => {
  process.stderr.write(`wsync engine: ${message}\n`);
};

// Proxies as the system settings (or their PAC file) say, through the main process: a utility
// process has no session of its own to ask. Asked once per origin a minute, not per connection.
// eslint-disable-next-line prefer-const -- read (undefined: DIRECT) by a proxy lookup made before serveEngine returns
let server: EngineServer | undefined;
const proxies = createProxyCache(async (url) => pacResultToProxyUrl((await server?.resolveProxy(url)) ?? 'DIRECT'));
configureNetwork({ proxyFor: (url) => proxies.proxyFor(url) });

const host = new FolderHost({
  createController,
  openFilesApi,
  onError: (folderId, err) => log(`folder ${folderId}: ${err instanceof Error ? err.message : String(err)}`),
});

server = serveEngine({
  parent,
  host,
  log,
  selfCheck: () => {
    const db = new Database(':memory:');
    try {
      const row = db.prepare('select sqlite_version() as version').get() as { version: string };
      return { sqlite: row.version, node: process.versions.node, trust: trustSources() };
    } finally {
      db.close();
    }
  },
});

parent.postMessage({ type: 'ready', pid: process.pid, node: process.versions.node });
