/** Broken engines made by wrapping the Files API client the cycle is given (no module mocks needed). */
import type { FilesApi } from '../../electron/engine/api/types.js';

/** Every listing shows `path` with a new etag, as if it changed remotely each time: it moves every cycle (invariant 5). */
export function everListingChanges(path: string): (api: FilesApi) => FilesApi {
  // One count for every client made from this wrap: each cycle gets a new client, and a new etag.
  let n = 0;
  return (api) => ({
    ...api,
    list: async (p, o) => {
      const l = await api.list(p, o);
      n++;
      return { ...l, files: l.files.map((f) => (f.path === path ? { ...f, etag: `${f.etag}-${n}` } : f)) };
    },
  });
}
