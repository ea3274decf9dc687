import { expect } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../../emulator/index.js';
import type { Emulator, EmulatorOptions } from '../../emulator/types.js';

export const KEY = 'test-key';
export const WS = 'ws_test';

export const TEST_KEYS: NonNullable<EmulatorOptions['keys']> = [
  { key: KEY, scopes: ['files'], workspaces: [WS, 'ws_other'] },
  { key: 'no-scope-key', scopes: ['jobs'], workspaces: '*' },
  { key: 'other-ws-key', scopes: ['files'], workspaces: ['ws_other'] },
];

export interface Harness {
  emu: Emulator;
  dataDir: string;
  /** fetch against the emulator with the test key. */
  api(path: string, init?: RequestInit): Promise<Response>;
  /** Multipart upload of small in-memory bytes. */
  upload(name: string, bytes: Buffer | string, fields?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

export async function startHarness(options: Partial<EmulatorOptions> = {}, dataDir?: string): Promise<Harness> {
  const dir = dataDir ?? (await mkdtemp(join(tmpdir(), 'wsync-emu-')));
  const emu = await startEmulator({
    dataDir: dir,
    keys: TEST_KEYS,
    workspaces: [WS, 'ws_other'],
    maxUploadBytes: 1_000_000,
    ...options,
  });
  const api = (path: string, init: RequestInit = {}): Promise<Response> =>
    fetch(`${emu.url}${path}`, {
      ...init,
      headers: { Authorization: `Bearer ${KEY}`, ...(init.headers as Record<string, string> | undefined) },
    });
  return {
    emu,
    dataDir: dir,
    api,
    upload: (name, bytes, fields = {}) => {
      const form = new FormData();
      form.set('workspace_id', WS);
      for (const [k, v] of Object.entries(fields)) form.set(k, v);
      form.set('file', new Blob([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)]), name);
      return api('/v1/files/upload', { method: 'POST', body: form });
    },
    close: async () => {
      await emu.close();
      if (dataDir === undefined) await rm(dir, { recursive: true, force: true });
    },
  };
}

export function query(params: Record<string, string | number>): string {
  return new URLSearchParams(Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)]))).toString();
}

export interface ErrorBody {
  error: { code: string; message: string };
}

export async function errorOf(res: Response): Promise<ErrorBody['error']> {
  expect(res.headers.get('content-type')).toMatch(/application\/json/);
  const body = (await res.json()) as ErrorBody;
  expect(typeof body.error.code).toBe('string');
  expect(typeof body.error.message).toBe('string');
  return body.error;
}
