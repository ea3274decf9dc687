import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigFile, resolveOptions, type CliFlags } from '../../emulator/config.js';
import { DEFAULT_KEYS } from '../../emulator/types.js';

const FLAGS: CliFlags = { port: 8080, host: '127.0.0.1', data: '/tmp/x', key: [], workspace: [] };

describe('emulator options from flags and config', () => {
  it('defaults to the demo key and workspace', () => {
    const options = resolveOptions(FLAGS, null);
    expect(options.keys).toEqual(DEFAULT_KEYS);
    expect(options.workspaces).toEqual(['ws_demo']);
    expect(options.storage).toEqual({ kind: 'disk' });
  });

  it('takes keys, workspaces, limits and S3 storage from the config file', () => {
    const file = parseConfigFile(
      JSON.stringify({
        keys: [
          { key: 'k1', workspaces: ['ws_a'] },
          { key: 'k2', scopes: ['jobs'], workspaces: '*' },
        ],
        workspaces: ['ws_a', 'ws_b'],
        maxUploadBytes: 1000,
        storage: { kind: 's3', endpoint: 'http://127.0.0.1:9000', bucket: 'b', accessKeyId: 'a', secretAccessKey: 's' },
      }),
      'cfg.json',
    );
    const options = resolveOptions(FLAGS, file);
    expect(options.keys).toEqual([
      { key: 'k1', scopes: ['files'], workspaces: ['ws_a'] },
      { key: 'k2', scopes: ['jobs'], workspaces: '*' },
    ]);
    expect(options.workspaces).toEqual(['ws_a', 'ws_b']);
    expect(options.maxUploadBytes).toBe(1000);
    expect(options.storage).toMatchObject({ kind: 's3', region: 'us-east-1', bucket: 'b' });
  });

  it('lets flags win over the config file', () => {
    const file = parseConfigFile(JSON.stringify({ keys: [{ key: 'k1', workspaces: '*' }], maxUploadBytes: 5 }), 'cfg.json');
    const options = resolveOptions({ ...FLAGS, key: ['flag-key'], workspace: ['ws_f'], maxUploadBytes: 9 }, file);
    expect(options.keys).toEqual([{ key: 'flag-key', scopes: ['files'], workspaces: ['ws_f'] }]);
    expect(options.workspaces).toEqual(['ws_f']);
    expect(options.maxUploadBytes).toBe(9);
  });

  it('refuses bad JSON, unknown fields and wrong types, naming the field', () => {
    expect(() => parseConfigFile('{', 'cfg.json')).toThrow('cfg.json: not valid JSON');
    expect(() => parseConfigFile('{"workspace": ["x"]}', 'cfg.json')).toThrow(/cfg\.json/);
    expect(() => parseConfigFile('{"keys": [{"key": "k", "workspaces": "all"}]}', 'cfg.json')).toThrow(/keys\.0\.workspaces/);
    expect(() => parseConfigFile('{"storage": {"kind": "s3", "bucket": "b"}}', 'cfg.json')).toThrow(/storage/);
  });
});

describe('npm run emulator', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wsync-emu-cli-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Starts the CLI, waits for its banner, runs `use`, then stops it with SIGTERM. */
  async function withCli(args: string[], use: (url: string, banner: string) => Promise<void>): Promise<number | null> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'emulator/cli.ts', '--port', '0', ...args], {
      cwd: join(import.meta.dirname, '..', '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no banner: ${out}`)), 20_000);
        child.stdout.on('data', () => {
          const match = /listening on (http:\/\/\S+)/.exec(out);
          if (match?.[1] !== undefined && out.includes('try:')) {
            clearTimeout(timer);
            resolve(match[1]);
          }
        });
        child.on('exit', () => reject(new Error(`exited early: ${out}`)));
      });
      await use(url, out);
    } finally {
      child.kill('SIGTERM');
    }
    return exited;
  }

  it('starts with the demo key printed, serves the API, and stops cleanly on SIGTERM', async () => {
    const code = await withCli(['--data', join(dir, 'demo')], async (url, banner) => {
      expect(banner).toContain('ws_demo');
      expect(banner).toContain('wsync-demo-key');
      const res = await fetch(`${url}/v1/files?workspace_id=ws_demo`, { headers: { Authorization: 'Bearer wsync-demo-key' } });
      expect(res.status).toBe(200);
    });
    expect(code).toBe(0);
  });

  it('uses keys from --config and never prints them', async () => {
    const config = join(dir, 'cfg.json');
    await writeFile(config, JSON.stringify({ keys: [{ key: 'secret-key-123', workspaces: ['ws_lab'] }], workspaces: ['ws_lab'] }));
    const code = await withCli(['--data', join(dir, 'cfg'), '--config', config], async (url, banner) => {
      expect(banner).not.toContain('secret-key-123');
      expect(banner).toContain('ws_lab');
      const ok = await fetch(`${url}/v1/files?workspace_id=ws_lab`, { headers: { Authorization: 'Bearer secret-key-123' } });
      expect(ok.status).toBe(200);
      const demo = await fetch(`${url}/v1/files?workspace_id=ws_lab`, { headers: { Authorization: 'Bearer wsync-demo-key' } });
      expect(demo.status).toBe(401);
    });
    expect(code).toBe(0);
  });
});
