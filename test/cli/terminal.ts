/**
 * A person at a terminal, as tmux plays one: the built CLI runs in a real pseudo-terminal of a
 * given size, `type` sends keys (Ctrl-C included) the way a keyboard does, `screen` reads what is
 * on the screen now. Each terminal has its own tmux server (socket), so tests never share one.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cliEntry, KEY } from './harness.js';

export interface Terminal {
  /** The visible screen, one string per row, trailing blanks trimmed. */
  screen(): string[];
  /** Keys as tmux names them: 'C-c', 'Enter', or literal text. */
  type(...keys: string[]): void;
  /** Waits until the screen satisfies `check`; throws with the screen after `timeoutMs`. */
  waitFor(what: string, check: (screen: string[]) => boolean, timeoutMs?: number): Promise<string[]>;
  /** Waits for the command to end (the shell prints its exit status); the screen returned is the one that shows its exit status, so nothing printed before the exit is missing. */
  waitForExit(timeoutMs?: number): Promise<{ code: number; screen: string[] }>;
  close(): void;
}

const EXIT_MARK = '[wsync exited ';

function exitCodeOn(screen: string[]): number | null {
  const line = screen.find((l) => l.startsWith(EXIT_MARK));
  return line === undefined ? null : Number(line.slice(EXIT_MARK.length, -1));
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export function openTerminal(
  args: string[],
  options: { columns?: number; rows?: number; env?: Record<string, string>; cwd?: string } = {},
): Terminal {
  const socket = `wsync-test-${process.pid}-${randomBytes(4).toString('hex')}`;
  const tmux = (...a: string[]): string => execFileSync('tmux', ['-L', socket, '-f', '/dev/null', ...a], { encoding: 'utf8' });
  const env = { WSYNC_API_KEY: KEY, TZ: 'UTC', LANG: 'C.UTF-8', ...options.env };
  const exports = Object.entries(env)
    .map(([k, v]) => `${k}=${shellQuote(v)}`)
    .join(' ');
  // The shell traps Ctrl-C (with a command, so the program gets the default handling back) and lives on to print the exit status.
  const command = `trap true INT; cd ${shellQuote(options.cwd ?? process.cwd())} && env ${exports} ${shellQuote(process.execPath)} ${[cliEntry(), ...args].map(shellQuote).join(' ')}; echo "${EXIT_MARK}$?]"; sleep 3600`;
  tmux('new-session', '-d', '-s', 'w', '-x', String(options.columns ?? 100), '-y', String(options.rows ?? 30), 'sh', '-c', command);
  const screen = (): string[] =>
    tmux('capture-pane', '-p', '-t', 'w')
      .replace(/\n$/, '')
      .split('\n')
      .map((l) => l.replace(/\s+$/, ''));
  return {
    screen,
    type: (...keys) => void tmux('send-keys', '-t', 'w', ...keys),
    async waitFor(what, check, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const now = screen();
        if (check(now)) return now;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the screen:\n${now.join('\n')}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async waitForExit(timeoutMs = 30_000) {
      const shown = await this.waitFor('the exit', (s) => exitCodeOn(s) !== null, timeoutMs);
      return { code: exitCodeOn(shown) ?? -1, screen: shown };
    },
    close() {
      try {
        tmux('kill-server');
      } catch {
        // already gone
      }
    },
  };
}
