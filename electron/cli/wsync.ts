/** Entry point of the headless CLI (`npm run -s wsync -- ...`). */
import { EXIT } from './exit-codes.js';
import { describeFailure, main } from './main.js';

/** Exits once stdout and stderr have drained (pipes are asynchronous), whatever sockets linger. */
function exitWith(code: number): void {
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

main(process.argv.slice(2)).then(exitWith, (err: unknown) => {
  process.stderr.write(`wsync: ${describeFailure(err)}\n`);
  exitWith(EXIT.partial);
});
