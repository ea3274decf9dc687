/**
 * The renderer's end-to-end tests drive Debian's chromium (the Electron binary and Playwright's
 * own browser builds cannot be downloaded here). Installs it through apt where it is missing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const executable = process.env.WSYNC_CHROMIUM ?? '/usr/bin/chromium';

if (!existsSync(executable)) {
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || !existsSync('/usr/bin/apt-get')) {
    process.stderr.write(
      `chromium was not found at ${executable}; the UI tests need it.\n` +
        'Install it with: sudo apt-get update && sudo apt-get install -y chromium\n' +
        '(or point WSYNC_CHROMIUM at a Chromium executable).\n',
    );
    process.exit(2);
  }
  process.stdout.write('Installing chromium for the UI tests (apt-get)...\n');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
}
