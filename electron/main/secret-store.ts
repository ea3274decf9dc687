/**
 * The API key at rest: encrypted with Electron's safeStorage (async API), stored as base64. Never
 * written in plain text: where no encryption is available, saving a key fails with a clear message.
 */
import type { KeyStorage } from '../shared/ipc.js';
import type { SafeStoragePort } from './ports.js';

export class KeyStorageUnavailableError extends Error {
  constructor() {
    super('This computer offers no way to store the API key encrypted, so wsync will not save it.');
    this.name = 'KeyStorageUnavailableError';
  }
}

export const BASIC_TEXT_WARNING =
  'No keyring was found (Electron fell back to its "basic_text" store): the API key is encrypted with ' +
  'a fixed password that any program running as you can undo. Install and unlock a keyring ' +
  '(GNOME Keyring or KWallet) and restart wsync to protect it.';

export interface SecretStore {
  describe(): Promise<KeyStorage>;
  encrypt(apiKey: string): Promise<string>;
  /** Returns the key and whether it should be encrypted again (the OS rotated its key). */
  decrypt(stored: string): Promise<{ apiKey: string; reEncrypt: boolean }>;
}

export function createSecretStore(safeStorage: SafeStoragePort, platform: NodeJS.Platform): SecretStore {
  return {
    async describe() {
      const available = await safeStorage.isAsyncEncryptionAvailable();
      if (platform !== 'linux') {
        return { available, backend: platform === 'darwin' ? 'keychain' : 'dpapi', protectedByKeyring: available };
      }
      const backend = safeStorage.getSelectedStorageBackend();
      const protectedByKeyring = available && backend !== 'basic_text' && backend !== 'unknown';
      return backend === 'basic_text'
        ? { available, backend, protectedByKeyring, warning: BASIC_TEXT_WARNING }
        : { available, backend, protectedByKeyring };
    },
    async encrypt(apiKey) {
      if (!(await safeStorage.isAsyncEncryptionAvailable())) throw new KeyStorageUnavailableError();
      return (await safeStorage.encryptStringAsync(apiKey)).toString('base64');
    },
    async decrypt(stored) {
      const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(Buffer.from(stored, 'base64'));
      return { apiKey: result, reEncrypt: shouldReEncrypt };
    },
  };
}
