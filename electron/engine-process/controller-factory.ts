/**
 * The production engine for one folder pair: the engine's FolderController with a Files API client
 * per cycle (paced by the controller's bandwidth buckets) and the folder's rotating log file,
 * which never contains the key.
 */
import { createFilesApi } from '../engine/api/client.js';
import { createFileLogger } from '../engine/log/file-logger.js';
import type { FolderController } from '../engine/sync/background/ports.js';
import { createFolderController, type FolderControllerOptions } from '../engine/sync/background/folder-controller.js';
import type { FilesApiFactory } from './connection-test.js';
import type { FolderRuntime } from './folder-host.js';

export const openFilesApi: FilesApiFactory = (connection) => createFilesApi(connection);

/** What a caller may tune beside the folder: the app tunes nothing; a test that must see a file keep failing within seconds turns the back-off off. */
export type ControllerTuning = Pick<FolderControllerOptions, 'fileBackoff'>;

export function createController(folder: FolderRuntime, tuning: ControllerTuning = {}): FolderController {
  const logger = createFileLogger({ dir: folder.dir, secrets: [folder.apiKey] });
  const controller = createFolderController({
    id: folder.id,
    dir: folder.dir,
    server: folder.server,
    workspace: folder.workspace,
    prefix: folder.prefix,
    bandwidth: folder.bandwidth,
    logger,
    ...tuning,
    api: (bandwidth) => createFilesApi({ server: folder.server, workspace: folder.workspace, apiKey: folder.apiKey, bandwidth, logger }),
  });
  return {
    ...controller,
    id: folder.id,
    async stop() {
      try {
        await controller.stop();
      } finally {
        await logger.close();
      }
    },
  };
}
