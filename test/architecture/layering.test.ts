import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(join(root, dir), { withFileTypes: true, recursive: true });
  } catch {
    return [];
  }
  return entries
    .filter((e) => e.isFile() && /\.(ts|tsx)$/.test(e.name) && !e.name.endsWith('.d.ts'))
    .map((e) => relative(root, join(e.parentPath, e.name)));
}

/** Every module specifier a file imports, re-exports or loads dynamically. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const specs: string[] = [];
  const pattern = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g;
  for (const m of text.matchAll(pattern)) specs.push((m[1] ?? m[2] ?? m[3]) as string);
  return specs;
}

function violations(dir: string, banned: (spec: string, file: string) => boolean): string[] {
  return sourceFiles(dir).flatMap((file) =>
    importsOf(file)
      .filter((spec) => banned(spec, file))
      .map((spec) => `${file} imports ${spec}`),
  );
}

const reaches = (spec: string, file: string, folder: string): boolean =>
  spec.startsWith('.') && relative(root, join(root, file, '..', spec)).startsWith(folder);

describe('imports run one way: shared ← engine ← main, and app sees only shared', () => {
  it('the engine never imports electron, the main process, the preload or the renderer', () => {
    expect(
      violations(
        'electron/engine',
        (s, f) => s === 'electron' || s.startsWith('electron/') || ['electron/main', 'electron/preload', 'app'].some((d) => reaches(s, f, d)),
      ),
    ).toEqual([]);
  });

  it('shared code imports neither Node built-ins nor anything outside shared', () => {
    expect(
      violations('electron/shared', (s, f) => s.startsWith('node:') || s === 'electron' || (s.startsWith('.') && !reaches(s, f, 'electron/shared'))),
    ).toEqual([]);
  });

  it('the renderer (app/src) imports no Node built-ins, no electron, and of the project only electron/shared', () => {
    expect(
      violations(
        'app/src',
        (s, f) =>
          s.startsWith('node:') ||
          s === 'electron' ||
          ['electron/engine', 'electron/main', 'electron/preload', 'emulator'].some((d) => reaches(s, f, d)),
      ),
    ).toEqual([]);
  });

  it('only the renderer bridge module touches the preload API', () => {
    const touching = sourceFiles('app/src').filter((f) => /window\.wsync\b/.test(readFileSync(join(root, f), 'utf8')));
    expect(touching.filter((f) => !/app\/src\/bridge\.tsx?$/.test(f))).toEqual([]);
  });

  it('the model (three trees, etag rules, the one "same version") imports no Node module, no package and nothing outside the model', () => {
    expect(violations('electron/engine/model', (s, f) => !s.startsWith('.') || !reaches(s, f, 'electron/engine/model'))).toEqual([]);
  });

  it('the planner imports no Node module and of the engine only itself and the model', () => {
    expect(
      violations(
        'electron/engine/plan',
        (s, f) => s.startsWith('node:') || (s.startsWith('.') && !['electron/engine/plan', 'electron/engine/model'].some((d) => reaches(s, f, d))),
      ),
    ).toEqual([]);
  });

  it('the one-shot part of sync (session, trees, cycle, recovery) imports nothing of the background part', () => {
    expect(violations('electron/engine/sync/once', (s, f) => reaches(s, f, 'electron/engine/sync/background'))).toEqual([]);
  });

  it("the engine's modules import each other without cycles", () => {
    const files = sourceFiles('electron/engine');
    const edges = new Map(
      files.map((f) => [
        f,
        importsOf(f)
          .filter((s) => s.startsWith('.'))
          .map((s) => relative(root, join(root, f, '..', s)).replace(/\.js$/, '.ts'))
          .filter((t) => files.includes(t)),
      ]),
    );
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, path: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...path.slice(path.indexOf(file)), file].join(' -> '));
        return;
      }
      state.set(file, 'open');
      for (const next of edges.get(file) ?? []) visit(next, [...path, file]);
      state.set(file, 'done');
    };
    for (const f of files) visit(f, []);
    expect(cycles).toEqual([]);
  });

  it('the preload imports nothing from the engine or the main process', () => {
    expect(violations('electron/preload', (s, f) => ['electron/engine', 'electron/main'].some((d) => reaches(s, f, d)))).toEqual([]);
  });
});
