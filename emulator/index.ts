export { startEmulator, DEFAULT_MAX_UPLOAD_BYTES, DEFAULT_PRESIGN_TTL_SECONDS } from './emulator.js';
export { defaultFaults } from './faults.js';
export { DEFAULT_KEYS } from './types.js';
export type { ApiKeyConfig, Emulator, EmulatorOptions, FaultConfig, RequestKind, RequestRecord, StorageConfig, StoredFile } from './types.js';
export type { FileMeta } from './file-meta.js';
export type { EtagStyle } from './etags.js';
