/**
 * Electron's security checklist for every web contents: no navigation away from the app, no new
 * windows, no <webview>, no permissions. Links to the web open in the user's browser instead.
 */
import type { BrowserWindowConstructorOptions, Event, WebContents } from 'electron';
import { APP_HOST, APP_SCHEME } from './app-protocol.js';

export const APP_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

export function isAppUrl(url: string): boolean {
  return url.startsWith(`${APP_SCHEME}://${APP_HOST}/`);
}

/** Only plain web links may leave the app, and only to the default browser. */
export function isExternalLink(url: string): boolean {
  return url.startsWith('https://');
}

export function secureWebPreferences(preload: string): NonNullable<BrowserWindowConstructorOptions['webPreferences']> {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  };
}

export type HardenablePort = Pick<WebContents, 'on' | 'setWindowOpenHandler'> & {
  session: Pick<WebContents['session'], 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>;
};

export function hardenWebContents(contents: HardenablePort, openExternal: (url: string) => void): void {
  const blockNavigation = (event: Event, url: string): void => {
    if (isAppUrl(url)) return;
    event.preventDefault();
    if (isExternalLink(url)) openExternal(url);
  };
  contents.on('will-navigate', (event, url) => blockNavigation(event, url));
  contents.on('will-redirect', (event, url) => blockNavigation(event, url));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalLink(url)) openExternal(url);
    return { action: 'deny' };
  });
  contents.session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  contents.session.setPermissionCheckHandler(() => false);
}
