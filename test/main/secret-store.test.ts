import { describe, expect, it } from 'vitest';
import { BASIC_TEXT_WARNING, createSecretStore, KeyStorageUnavailableError } from '../../electron/main/secret-store.js';
import { FakeSafeStorage } from '../support/fake-electron.js';

describe('secret store', () => {
  it('round-trips a key through the async safeStorage API, and the stored form does not contain it', async () => {
    const store = createSecretStore(new FakeSafeStorage(), 'linux');
    const stored = await store.encrypt('sk-live-123456');
    expect(stored).not.toContain('sk-live-123456');
    expect(Buffer.from(stored, 'base64').toString('latin1')).not.toContain('sk-live-123456');
    expect(await store.decrypt(stored)).toEqual({ apiKey: 'sk-live-123456', reEncrypt: false });
  });

  it('refuses to store a key where no encryption is available', async () => {
    const safe = new FakeSafeStorage();
    safe.available = false;
    await expect(createSecretStore(safe, 'win32').encrypt('k')).rejects.toBeInstanceOf(KeyStorageUnavailableError);
  });

  it('warns on Linux when the basic_text backend (a fixed password) is in use', async () => {
    const safe = new FakeSafeStorage();
    safe.backend = 'basic_text';
    expect(await createSecretStore(safe, 'linux').describe()).toEqual({
      available: true,
      backend: 'basic_text',
      protectedByKeyring: false,
      warning: BASIC_TEXT_WARNING,
    });
  });

  it('reports a keyring backend on Linux as protected, without a warning', async () => {
    const safe = new FakeSafeStorage();
    safe.backend = 'kwallet6';
    expect(await createSecretStore(safe, 'linux').describe()).toEqual({ available: true, backend: 'kwallet6', protectedByKeyring: true });
  });

  it('reports the OS store on macOS and Windows without asking for a Linux backend', async () => {
    const safe = new FakeSafeStorage();
    safe.backend = 'basic_text';
    expect(await createSecretStore(safe, 'darwin').describe()).toEqual({ available: true, backend: 'keychain', protectedByKeyring: true });
  });

  it('passes on the request to re-encrypt after the OS rotated its key', async () => {
    const safe = new FakeSafeStorage();
    const store = createSecretStore(safe, 'darwin');
    const stored = await store.encrypt('k');
    safe.rotated = true;
    expect(await store.decrypt(stored)).toEqual({ apiKey: 'k', reEncrypt: true });
  });
});
