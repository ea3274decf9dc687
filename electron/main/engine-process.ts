/**
 * The engine process as the main process sees it: one small port over Electron's
 * `utilityProcess.fork`. The secret port (a MessageChannelMain whose other end is handed to the
 * engine at start) carries API keys, so that they never travel with the calls, the command line
 * or the environment. In tests, fake-electron's `utilityProcess` forks a Node child instead.
 */
import type { MessageChannelMain as MessageChannelMainType } from 'electron';
import type { MainToEngine, SecretMessage } from '../shared/engine-protocol.js';

export interface EngineProcess {
  readonly pid: number | undefined;
  send(message: MainToEngine): void;
  sendSecret(message: SecretMessage): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Once, when the process ended (crashed, was killed or exited); `code` as the OS reported it. */
  onExit(listener: (code: number) => void): void;
  kill(): void;
}

export type ForkEngine = () => EngineProcess;

type MessagePortMainType = MessageChannelMainType['port2'];

/** Electron's UtilityProcess, as far as this port uses it. */
export interface UtilityChild {
  readonly pid: number | undefined;
  postMessage(message: unknown, transfer?: MessagePortMainType[]): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  once(event: 'exit', listener: (code: number) => void): unknown;
  kill(): boolean;
}

export interface UtilityProcessPort {
  fork(
    modulePath: string,
    args?: string[],
    options?: { serviceName?: string; stdio?: 'inherit' | 'pipe' | 'ignore'; env?: NodeJS.ProcessEnv },
  ): UtilityChild;
}

export function utilityEngine(deps: {
  utilityProcess: UtilityProcessPort;
  MessageChannelMain: new () => Pick<MessageChannelMainType, 'port1' | 'port2'>;
  /** The engine bundle (dist/electron/engine/index.cjs). */
  entry: string;
  env?: NodeJS.ProcessEnv;
}): ForkEngine {
  return () => {
    const child = deps.utilityProcess.fork(deps.entry, [], { serviceName: 'wsync engine', stdio: 'inherit', ...(deps.env ? { env: deps.env } : {}) });
    const { port1, port2 } = new deps.MessageChannelMain();
    child.postMessage({ type: 'secret-port' } satisfies MainToEngine, [port2]);
    port1.start();
    return {
      get pid() {
        return child.pid;
      },
      send: (message) => child.postMessage(message),
      sendSecret: (message) => port1.postMessage(message),
      onMessage: (listener) => {
        child.on('message', listener);
      },
      onExit: (listener) => {
        child.once('exit', (code) => {
          port1.close();
          listener(code);
        });
      },
      kill: () => {
        child.kill();
      },
    };
  };
}
