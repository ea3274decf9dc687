/**
 * The IPC edge: every message is checked for its sender frame and validated against its command's
 * schema before any handler sees it. Handlers receive parsed input and answer with a value; any
 * failure becomes an error envelope with a kind and a message fit for the user.
 */
import type * as z from 'zod';
import { IPC_COMMANDS, commandChannel, type IpcCommand, type IpcResult } from '../shared/ipc-channels.js';
import { ipcContract, type CommandOutput, type IpcContract } from '../shared/ipc.js';
import type { IpcMainPort } from './ports.js';

export type IpcHandlers = {
  [C in IpcCommand]: (input: z.output<IpcContract[C]['input']>) => Promise<CommandOutput<C>>;
};

export type IpcDispatch = (command: string, payload: unknown, senderUrl: string | undefined) => Promise<IpcResult<unknown>>;

/** The app is served from here (see app-protocol.ts); no other frame may call the main process. */
export const APP_ORIGIN = 'wsync://app/';

export function isAppFrame(url: string | undefined, origin = APP_ORIGIN): boolean {
  return typeof url === 'string' && url.startsWith(origin);
}

const isCommand = (name: string): name is IpcCommand => (IPC_COMMANDS as readonly string[]).includes(name);

function errorKind(err: unknown): string {
  const kind = (err as { kind?: unknown } | null)?.kind;
  return typeof kind === 'string' ? kind : 'fatal';
}

export function createIpcDispatch(
  handlers: IpcHandlers,
  isTrustedSender: (url: string | undefined) => boolean,
  onHandlerError?: (command: IpcCommand, err: unknown) => void,
): IpcDispatch {
  return async (command, payload, senderUrl) => {
    if (!isTrustedSender(senderUrl)) {
      return { ok: false, error: { kind: 'forbidden', message: 'This window may not control wsync' } };
    }
    if (!isCommand(command)) {
      return { ok: false, error: { kind: 'invalid-input', message: `Unknown command ${command}` } };
    }
    const parsed = ipcContract[command].input.safeParse(payload);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
      return { ok: false, error: { kind: 'invalid-input', message: `${where}${issue?.message ?? 'Invalid input'}` } };
    }
    try {
      const handler = handlers[command] as (input: unknown) => Promise<unknown>;
      return { ok: true, value: await handler(parsed.data) };
    } catch (err) {
      onHandlerError?.(command, err);
      return { ok: false, error: { kind: errorKind(err), message: err instanceof Error ? err.message : String(err) } };
    }
  };
}

/** Binds every command to `ipcMain.handle`, passing the sender frame's URL to the dispatcher. */
export function registerIpc(ipcMain: IpcMainPort, dispatch: IpcDispatch): void {
  for (const command of IPC_COMMANDS) {
    ipcMain.handle(commandChannel(command), (event, payload: unknown) => dispatch(command, payload, event.senderFrame?.url));
  }
}
