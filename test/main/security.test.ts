import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { hardenWebContents, secureWebPreferences, type HardenablePort } from '../../electron/main/security.js';

function fakeContents() {
  const emitter = new EventEmitter();
  const state = {
    openHandler: null as null | ((d: { url: string }) => { action: string }),
    permission: null as null | ((c: unknown, p: string, cb: (ok: boolean) => void) => void),
    check: null as null | (() => boolean),
  };
  const contents = {
    on: (name: string, fn: (...args: unknown[]) => void) => emitter.on(name, fn),
    setWindowOpenHandler: (fn: typeof state.openHandler) => (state.openHandler = fn),
    session: {
      setPermissionRequestHandler: (fn: typeof state.permission) => (state.permission = fn),
      setPermissionCheckHandler: (fn: typeof state.check) => (state.check = fn),
    },
  } as unknown as HardenablePort;
  const navigate = (event: string, url: string) => {
    let prevented = false;
    emitter.emit(event, { preventDefault: () => (prevented = true) }, url);
    return prevented;
  };
  return { contents, state, navigate };
}

describe('web contents hardening', () => {
  it('blocks navigation away from the app and opens https links in the browser instead', () => {
    const { contents, navigate } = fakeContents();
    const opened: string[] = [];
    hardenWebContents(contents, (u) => opened.push(u));
    expect(navigate('will-navigate', 'wsync://app/index.html#settings')).toBe(false);
    expect(navigate('will-navigate', 'https://example.com/help')).toBe(true);
    expect(navigate('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(navigate('will-redirect', 'http://evil.example/')).toBe(true);
    expect(navigate('will-attach-webview', 'wsync://app/')).toBe(true);
    expect(opened).toEqual(['https://example.com/help']);
  });

  it('denies every new window and every permission', () => {
    const { contents, state } = fakeContents();
    hardenWebContents(contents, () => undefined);
    expect(state.openHandler?.({ url: 'wsync://app/index.html' })).toEqual({ action: 'deny' });
    let granted: boolean | undefined;
    state.permission?.(null, 'notifications', (ok) => (granted = ok));
    expect(granted).toBe(false);
    expect(state.check?.()).toBe(false);
  });

  it('windows get context isolation, the sandbox and no Node', () => {
    expect(secureWebPreferences('/p.cjs')).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
      preload: '/p.cjs',
    });
  });
});
