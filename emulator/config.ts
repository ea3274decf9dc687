import * as z from 'zod';
import { DEFAULT_KEYS, type ApiKeyConfig, type EmulatorOptions, type StorageConfig } from './types.js';

const KeySchema = z.object({
  key: z.string().min(1),
  scopes: z.array(z.string().min(1)).default(['files']),
  workspaces: z.union([z.literal('*'), z.array(z.string().min(1))]),
});

const StorageSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('disk') }),
  z.object({
    kind: z.literal('s3'),
    endpoint: z.url(),
    bucket: z.string().min(1),
    region: z.string().min(1).default('us-east-1'),
    accessKeyId: z.string().min(1),
    secretAccessKey: z.string().min(1),
    forcePathStyle: z.boolean().optional(),
  }),
]);

const EtagStyleSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('md5') }),
  z.strictObject({
    kind: z.literal('multipart'),
    partSize: z
      .number()
      .int()
      .positive()
      .default(8 * 1024 * 1024),
  }),
  z.strictObject({ kind: z.literal('kms') }),
]);

/** The `--config` file: every field optional, unknown fields refused (a typo should not pass). */
export const EmulatorConfigFile = z.strictObject({
  keys: z.array(KeySchema).min(1).optional(),
  workspaces: z.array(z.string().min(1)).min(1).optional(),
  maxUploadBytes: z.number().int().positive().optional(),
  presignTtlSeconds: z.number().int().positive().optional(),
  storage: StorageSchema.optional(),
  etags: EtagStyleSchema.optional(),
});
export type EmulatorConfigFile = z.infer<typeof EmulatorConfigFile>;

export function parseConfigFile(text: string, source: string): EmulatorConfigFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error(`${source}: not valid JSON`);
  }
  const parsed = EmulatorConfigFile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined || issue.path.length === 0 ? '(top level)' : issue.path.join('.');
    throw new Error(`${source}: ${where}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

export interface CliFlags {
  port: number;
  host: string;
  data: string;
  /** Extra keys with the files scope for the flag workspaces. */
  key: string[];
  workspace: string[];
  maxUploadBytes?: number;
  presignTtl?: number;
}

/** Flags win over the config file; with neither, the demo key and workspace. */
export function resolveOptions(flags: CliFlags, file: EmulatorConfigFile | null): EmulatorOptions {
  const workspaces = flags.workspace.length > 0 ? flags.workspace : (file?.workspaces ?? DEFAULT_KEYS.flatMap(workspacesOf));
  const flagKeys: ApiKeyConfig[] = flags.key.map((key) => ({ key, scopes: ['files'], workspaces }));
  const keys = flagKeys.length > 0 ? flagKeys : (file?.keys ?? DEFAULT_KEYS);
  const storage: StorageConfig = file?.storage ?? { kind: 'disk' };
  const options: EmulatorOptions = { dataDir: flags.data, host: flags.host, port: flags.port, keys, workspaces, storage };
  const maxUploadBytes = flags.maxUploadBytes ?? file?.maxUploadBytes;
  if (maxUploadBytes !== undefined) options.maxUploadBytes = maxUploadBytes;
  if (file?.etags !== undefined) options.etags = file.etags;
  const presignTtlSeconds = flags.presignTtl ?? file?.presignTtlSeconds;
  if (presignTtlSeconds !== undefined) options.presignTtlSeconds = presignTtlSeconds;
  return options;
}

function workspacesOf(key: ApiKeyConfig): string[] {
  return key.workspaces === '*' ? [] : key.workspaces;
}
