/**
 * The test files that run in a module graph of their own (vitest's `isolate`). Every other file
 * shares its worker's graph with the files that ran before it there: zod, got and the engine are
 * imported once per worker rather than once per file. A file that replaces a module for its
 * engine (vi.mock) must be listed: in a shared graph its stand-in could miss the modules an
 * earlier file already loaded, or reach the files after it. test/architecture holds that rule.
 */
export const ISOLATED_FILES: readonly string[] = ['test/model/broken-engine.test.ts', 'test/model/local-races.test.ts'];
