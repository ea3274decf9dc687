/** Entry point of the `wsync` program (bundled by scripts/build-cli.ts into dist/cli/wsync.mjs). */
import * as nodeModule from 'node:module';
import { EXIT } from './exit-codes.js';
import { main } from './main.js';

// Node 22.1+ keeps the compiled code of the command chunks (loaded below, on demand) between
// runs: ~30 ms less per start for each of zod and got on Node 24. Older Nodes do not have it.
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();

/** Exits once stdout and stderr have drained (pipes are asynchronous), whatever sockets linger. */
function exitWith(code: number): void {
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

main(process.argv.slice(2)).then(exitWith, async (err: unknown) => {
  // Commands report their own failures; this is what escaped them (a bug): still one plain line.
  const { describeFailure } = await import('./failure.js');
  process.stderr.write(`wsync: ${describeFailure(err).message}\n`);
  if (process.env.WSYNC_DEBUG && err instanceof Error) process.stderr.write(`${err.stack ?? ''}\n`);
  exitWith(EXIT.partial);
});
