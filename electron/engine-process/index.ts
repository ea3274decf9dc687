/**
 * The engine process: started by the main process with Electron's `utilityProcess.fork` (a Node
 * child with the same `process.parentPort` stands in for it in tests). It hosts every folder's
 * controller off the UI thread and serves them over the protocol of engine-protocol.ts.
 */
import Database from 'better-sqlite3';
import { createController, openFilesApi } from './controller-factory.js';
import { serveEngine, type ParentPortLike } from './engine-server.js';
import { FolderHost } from './folder-host.js';

const parent = (process as NodeJS.Process & { parentPort?: ParentPortLike }).parentPort;
if (!parent) {
  process.stderr.write('wsync engine: this program is started by the wsync app, not on its own\n');
  process.exit(2);
}

const log = (message: string): void => {
  process.stderr.write(`wsync engine: ${message}\n`);
};

const host = new FolderHost({
  createController,
  openFilesApi,
  onError: (folderId, err) => log(`folder ${folderId}: ${err instanceof Error ? err.message : String(err)}`),
});

serveEngine({
  parent,
  host,
  log,
  selfCheck: () => {
    const db = new Database(':memory:');
    try {
      const row = db.prepare('select sqlite_version() as version').get() as { version: string };
      return { sqlite: row.version, node: process.versions.node, trust: ['bundled'] };
    } finally {
      db.close();
    }
  },
});

parent.postMessage({ type: 'ready', pid: process.pid, node: process.versions.node });
