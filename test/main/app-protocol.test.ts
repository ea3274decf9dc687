import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, loadAppAsset } from '../../electron/main/app-protocol.js';

async function root(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'wsync-app-'));
  await mkdir(join(dir, 'assets'));
  await writeFile(join(dir, 'index.html'), '<!doctype html>');
  await writeFile(join(dir, 'assets', 'main.js'), 'export {}');
  await writeFile(join(dir, '..', 'secret.txt.js'), 'no');
  return dir;
}

describe('the renderer is served from the app scheme under a strict CSP', () => {
  it('serves index.html for "/" with the CSP and the right type', async () => {
    const asset = await loadAppAsset(await root(), '/');
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(asset.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe');
  });

  it('serves built assets', async () => {
    const asset = await loadAppAsset(await root(), '/assets/main.js');
    expect([asset.status, asset.headers['content-type'], asset.body.toString()]).toEqual([200, 'text/javascript; charset=utf-8', 'export {}']);
  });

  it.each(['/../secret.txt.js', '/%2e%2e/secret.txt.js', '/assets/../../secret.txt.js', '/missing.js', '/index.ts', '/%E0%A4%A', '/a%00.js'])(
    'answers 404 for %s',
    async (path) => {
      expect((await loadAppAsset(await root(), path)).status).toBe(404);
    },
  );
});
