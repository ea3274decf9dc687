/**
 * `npm test`'s pre-test step: installs, through apt, every system program a test runs that is
 * missing, so that a fresh Debian machine passes the tests with nothing installed by hand. The
 * README names the same list (keep them in step).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

interface Tool {
  /** The program the tests run. */
  path: string;
  /** Debian's package that provides it. */
  pkg: string;
  why: string;
}

const TOOLS: readonly Tool[] = [
  {
    path: process.env.WSYNC_CHROMIUM ?? '/usr/bin/chromium',
    pkg: 'chromium',
    why: 'the renderer and desktop end-to-end tests (playwright-core drives it)',
  },
  { path: '/usr/bin/rclone', pkg: 'rclone', why: 'the bench peer scenario (test/bench/quick.test.ts)' },
  { path: '/usr/bin/curl', pkg: 'curl', why: 'the bench large-file baseline' },
  { path: '/usr/bin/time', pkg: 'time', why: 'peak memory of the bench baselines' },
  { path: '/usr/bin/tmux', pkg: 'tmux', why: 'the CLI terminal tests (a person at a terminal, as tmux plays it)' },
  { path: '/usr/bin/openssl', pkg: 'openssl', why: 'the CLI TLS error tests (a self-signed certificate)' },
  { path: '/usr/bin/chattr', pkg: 'e2fsprogs', why: 'the read-only folder tests' },
];

function missingTools(): Tool[] {
  return TOOLS.filter((t) => !existsSync(t.path));
}

/** apt-get as root, or through sudo when it needs no password; null when neither is possible. */
function aptRunner(): string[] | null {
  if (!existsSync('/usr/bin/apt-get')) return null;
  if (process.getuid?.() === 0) return [];
  try {
    execFileSync('sudo', ['-n', 'true'], { stdio: 'ignore' });
    return ['sudo', '-n'];
  } catch {
    return null;
  }
}

function main(): void {
  const missing = missingTools();
  if (missing.length === 0) return;
  const packages = [...new Set(missing.map((t) => t.pkg))];
  const runner = aptRunner();
  if (runner === null) {
    process.stderr.write(
      `The tests need programs that are not installed:\n${missing.map((t) => `  ${t.path} (${t.pkg}): ${t.why}`).join('\n')}\n` +
        `Install them with: sudo apt-get update && sudo apt-get install -y ${packages.join(' ')}\n`,
    );
    process.exit(2);
  }
  process.stdout.write(`Installing what the tests need (apt-get): ${packages.join(' ')}\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args: string[]): void => {
    const [command, ...rest] = runner.length === 0 ? ['apt-get', ...args] : [...runner, 'apt-get', ...args];
    execFileSync(command as string, rest, { stdio: 'inherit', env });
  };
  apt(['update', '-qq']);
  apt(['install', '-y', '-qq', ...packages]);
  const still = missingTools();
  if (still.length > 0) {
    process.stderr.write(`apt-get did not provide: ${still.map((t) => t.path).join(', ')}\n`);
    process.exit(2);
  }
}

main();
