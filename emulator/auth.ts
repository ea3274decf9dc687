import type { IncomingMessage } from 'node:http';
import { ApiError } from './http.js';
import type { ApiKeyConfig } from './types.js';

export const FILES_SCOPE = 'files';

/** Bearer keys with scopes and workspaces, as the contract's Authentication section reads. */
export class KeyRing {
  private readonly byKey: Map<string, ApiKeyConfig>;

  constructor(
    keys: readonly ApiKeyConfig[],
    private readonly workspaces: ReadonlySet<string>,
  ) {
    this.byKey = new Map(keys.map((k) => [k.key, k]));
  }

  /** 401 for a missing or unknown key, 403 for a key without the files scope. */
  authenticate(req: IncomingMessage): ApiKeyConfig {
    const header = req.headers.authorization;
    const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match?.[1] === undefined) {
      throw new ApiError(401, 'unauthorized', 'missing Bearer API key');
    }
    const key = this.byKey.get(match[1]);
    if (key === undefined) throw new ApiError(401, 'unauthorized', 'unknown API key');
    if (!key.scopes.includes(FILES_SCOPE)) {
      throw new ApiError(403, 'forbidden', `API key lacks the '${FILES_SCOPE}' scope`);
    }
    return key;
  }

  /** 403 when the key may not use the workspace, or the workspace does not exist here. */
  authorizeWorkspace(key: ApiKeyConfig, workspace: string): void {
    const allowed = key.workspaces === '*' || key.workspaces.includes(workspace);
    if (!allowed || !this.workspaces.has(workspace)) {
      throw new ApiError(403, 'forbidden', `API key has no access to workspace '${workspace}'`);
    }
  }
}
