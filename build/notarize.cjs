/**
 * electron-builder afterSign hook: notarises the signed macOS app with Apple, reading the
 * credentials from the environment (nothing secret lives in the repository):
 * - an App Store Connect API key: APPLE_API_KEY (path to the .p8), APPLE_API_KEY_ID, APPLE_API_ISSUER; or
 * - an Apple ID: APPLE_ID, APPLE_APP_SPECIFIC_PASSWORD, APPLE_TEAM_ID.
 * Without them the build goes on un-notarised, with a warning, unless WSYNC_REQUIRE_NOTARIZATION=1
 * (set it on the release machine), which makes a missing credential fail the build.
 */
'use strict';
const { join } = require('node:path');

/** The notarize() options the environment provides, or null; throws for half a set. */
function credentialsFrom(env) {
  const apiKey = ['APPLE_API_KEY', 'APPLE_API_KEY_ID', 'APPLE_API_ISSUER'];
  const appleId = ['APPLE_ID', 'APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_TEAM_ID'];
  const present = (names) => names.filter((n) => env[n]);
  if (present(apiKey).length === apiKey.length) {
    return { appleApiKey: env.APPLE_API_KEY, appleApiKeyId: env.APPLE_API_KEY_ID, appleApiIssuer: env.APPLE_API_ISSUER };
  }
  if (present(appleId).length === appleId.length) {
    return { appleId: env.APPLE_ID, appleIdPassword: env.APPLE_APP_SPECIFIC_PASSWORD, teamId: env.APPLE_TEAM_ID };
  }
  const partial = [...present(apiKey), ...present(appleId)];
  if (partial.length > 0) {
    const missing = [apiKey, appleId].map((set) => set.filter((n) => !env[n]).join(', '));
    throw new Error(`notarization credentials are incomplete (set ${partial.join(', ')}): missing ${missing.join(' or ')}`);
  }
  return null;
}

async function notarizeApp(context, { env = process.env, notarize, log = console.log } = {}) {
  if (context.electronPlatformName !== 'darwin') return 'skipped: not macOS';
  const credentials = credentialsFrom(env);
  if (!credentials) {
    if (env.WSYNC_REQUIRE_NOTARIZATION === '1') throw new Error('WSYNC_REQUIRE_NOTARIZATION=1 but no Apple credentials are in the environment');
    log('  • not notarised: no Apple credentials in the environment (see docs/desktop-app.md)');
    return 'skipped: no credentials';
  }
  const appPath = join(context.appOutDir, `${context.packager.appInfo.productFilename}.app`);
  const run = notarize ?? (await import('@electron/notarize')).notarize;
  await run({ appPath, ...credentials });
  log(`  • notarised ${appPath}`);
  return 'notarised';
}

module.exports = (context) => notarizeApp(context);
module.exports.default = module.exports;
module.exports.notarizeApp = notarizeApp;
module.exports.credentialsFrom = credentialsFrom;
