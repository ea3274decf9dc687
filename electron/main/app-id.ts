/** The application id: electron-builder's `appId` (a test keeps the two equal) and Windows' AppUserModelID. */
export const APP_ID = 'dev.wsync.desktop';
