/**
 * Names that cannot coexist: two spellings of one name (case, where the local file system folds
 * it, or Unicode normalisation, in the file name or any folder above it), or one name used both as
 * a file and as a folder. They are judged on the trees as the cycle will leave them, after its
 * deletions and moves: a file replaced by a folder of the same name (a delete plus creates) is no
 * clash, and a name clashes only where this cycle would bring it. Only what would arrive is
 * refused; what is already in place on a side keeps syncing, so one new name in a synced folder
 * never blocks the folder's other files.
 */
import { sortInSlices, type Sliced, type Slicer } from '../model/slices.js';
import { nameKey } from './names.js';
import type { Trees } from './moves.js';
import type { PlannedAction, RefusedName } from './types.js';

type Side = 'local' | 'remote';

/** A name on one side as the cycle will leave it. */
export interface AfterEntry {
  path: string;
  /** Where the name will be. */
  side: Side;
  /** Whose name it is: the side that holds it now (where a refusal is reported). */
  source: Side;
  /** True when this cycle brings it to `side`; false when it is there already. */
  arriving: boolean;
}

interface Node {
  /** The spellings of this name (a file or a folder prefix) and the entries that hold each. */
  spellings: Map<string, AfterEntry[]>;
  files: AfterEntry[];
  folders: AfterEntry[];
}

interface Clash {
  partners: AfterEntry[];
  why: string;
}

const quote = (path: string): string => JSON.stringify(path);

/** Every entry that clashes with another: each clash, shallowest name first, with the entries it clashes with and why. */
function* clashesAmong(entries: AfterEntry[], caseInsensitiveFs: boolean, slicer: Slicer): Sliced<Map<AfterEntry, Clash[]>> {
  const nodes = new Map<string, Node>();
  for (const entry of entries) {
    const segments = entry.path.split('/');
    if (slicer.tick(segments.length)) yield;
    for (let depth = 1; depth <= segments.length; depth++) {
      const spelling = segments.slice(0, depth).join('/');
      const key = nameKey(spelling, caseInsensitiveFs);
      let node = nodes.get(key);
      if (node === undefined) {
        node = { spellings: new Map(), files: [], folders: [] };
        nodes.set(key, node);
      }
      const holders = node.spellings.get(spelling) ?? [];
      holders.push(entry);
      node.spellings.set(spelling, holders);
      (depth === segments.length ? node.files : node.folders).push(entry);
    }
  }
  const clashes = new Map<AfterEntry, Clash[]>();
  const note = (entry: AfterEntry, partners: AfterEntry[], why: string): void => {
    const found = clashes.get(entry);
    if (found === undefined) clashes.set(entry, [{ partners, why }]);
    else found.push({ partners, why });
  };
  for (const node of yield* sortInSlices([...nodes.values()], (a, b) => depthOf(a) - depthOf(b), slicer)) {
    if (slicer.tick(node.spellings.size)) yield;
    if (node.spellings.size > 1) {
      for (const [spelling, holders] of node.spellings) {
        const others = [...node.spellings].filter(([s]) => s !== spelling).flatMap(([, h]) => h);
        const why = [...node.spellings.keys()].every((s) => s.normalize('NFC') === spelling.normalize('NFC'))
          ? 'the names differ only in Unicode normalisation (NFC/NFD)'
          : 'the names differ only in letter case, which this file system ignores';
        for (const entry of holders) note(entry, others, why);
      }
    }
    if (node.files.length > 0 && node.folders.length > 0) {
      for (const entry of node.files) note(entry, node.folders, 'one name cannot be both a file and a folder');
      for (const entry of node.folders) note(entry, node.files, 'one name cannot be both a file and a folder');
    }
  }
  return clashes;
}

function depthOf(node: Node): number {
  const [first] = node.spellings.keys();
  return first === undefined ? 0 : first.split('/').length;
}

/** Names entries by whose names they are (an arriving entry is the other side's name). */
function nameAll(entries: AfterEntry[], self: AfterEntry): string {
  const unique = new Map<string, AfterEntry>();
  for (const e of entries) {
    const id = `${e.source}\u0000${e.path}`;
    if (id !== `${self.source}\u0000${self.path}`) unique.set(id, e);
  }
  const all = [...unique.values()].sort((a, b) =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : a.source < b.source ? -1 : a.source > b.source ? 1 : 0,
  );
  const named = all
    .slice(0, 3)
    .map((e) => `${e.source} ${quote(e.path)}`)
    .join(', ');
  return all.length > 3 ? `${named} and ${all.length - 3} more` : named;
}

// eslint-disable-next-line no-control-regex -- the ASCII range starts at NUL on purpose
const ASCII = /^[\x00-\x7f]*$/;
const isNfc = (path: string): boolean => ASCII.test(path) || path.normalize('NFC') === path;

/**
 * The cheap pass before `clashesAmong`: whether any clash is possible among these paths. A clash
 * needs one name with two spellings, or one spelling used as both a file and a folder; when
 * neither occurs (the usual cycle) there is nothing to group. Saying yes wrongly costs only the
 * full grouping.
 */
function* mayClash(lists: readonly string[][], caseInsensitiveFs: boolean, slicer: Slicer): Sliced<boolean> {
  // On a case-sensitive file system an NFC name is its own key (folders above it are NFC too:
  // normalisation never reaches across a '/'), so two spellings of one name need a non-NFC one.
  if (caseInsensitiveFs || (yield* someNotNfc(lists, slicer))) return yield* spellingsOrUsesClash(lists, caseInsensitiveFs, slicer);
  const folders = new Set<string>();
  for (const paths of lists) {
    let previous = '';
    for (const path of paths) {
      if (slicer.tick()) yield;
      // Paths come mostly grouped by folder: a path directly in the previous folder adds nothing.
      const slash = path.lastIndexOf('/');
      if (slash === previous.length && slash > 0 && path.startsWith(previous)) continue;
      previous = slash > 0 ? path.slice(0, slash) : '';
      for (let at = slash; at > 0; at = path.lastIndexOf('/', at - 1)) {
        const folder = path.slice(0, at);
        if (folders.has(folder)) break;
        folders.add(folder);
      }
    }
  }
  for (const paths of lists) {
    for (const path of paths) {
      if (folders.has(path)) return true;
      if (slicer.tick()) yield;
    }
  }
  return false;
}

function* someNotNfc(lists: readonly string[][], slicer: Slicer): Sliced<boolean> {
  for (const paths of lists) {
    for (const path of paths) {
      if (!isNfc(path)) return true;
      if (slicer.tick()) yield;
    }
  }
  return false;
}

const FILE = 1;
const FOLDER = 2;

/** `mayClash` by name keys: every file and folder name, with the ways each is used. */
function* spellingsOrUsesClash(lists: readonly string[][], caseInsensitiveFs: boolean, slicer: Slicer): Sliced<boolean> {
  const byKey = new Map<string, { spelling: string; uses: number }>();
  // Set inside visit(): declared as boolean, or the loop's checks read as always false.
  let clash = false as boolean;
  /** Records one use of a name: false when that use was seen already. */
  const visit = (spelling: string, use: number): boolean => {
    const key = nameKey(spelling, caseInsensitiveFs);
    const seen = byKey.get(key);
    if (seen === undefined) {
      byKey.set(key, { spelling, uses: use });
      return true;
    }
    if (seen.spelling !== spelling || (seen.uses | use) === (FILE | FOLDER)) clash = true;
    if ((seen.uses & use) !== 0) return false;
    seen.uses |= use;
    return true;
  };
  for (const paths of lists) {
    for (const path of paths) {
      if (slicer.tick()) yield;
      visit(path, FILE);
      // A folder seen before has had the folders above it visited.
      for (let slash = path.lastIndexOf('/'); slash > 0 && !clash; slash = path.lastIndexOf('/', slash - 1)) {
        if (!visit(path.slice(0, slash), FOLDER)) break;
      }
      if (clash) return true;
    }
  }
  return false;
}

/** What each action does to the names on each side. */
function* afterTrees(
  trees: Trees,
  actions: PlannedAction[],
  slicer: Slicer,
): Sliced<{ local: Map<string, AfterEntry>; remote: Map<string, AfterEntry> }> {
  const local = new Map<string, AfterEntry>();
  const remote = new Map<string, AfterEntry>();
  for (const path of trees.local.keys()) {
    local.set(path, { path, side: 'local', source: 'local', arriving: false });
    if (slicer.tick()) yield;
  }
  for (const path of trees.remote.keys()) {
    remote.set(path, { path, side: 'remote', source: 'remote', arriving: false });
    if (slicer.tick()) yield;
  }
  const arrive = (map: Map<string, AfterEntry>, side: Side, path: string, source: Side): void => {
    if (!map.has(path)) map.set(path, { path, side, source, arriving: true });
  };
  for (const a of actions) {
    if (slicer.tick()) yield;
    switch (a.kind) {
      case 'upload':
        arrive(remote, 'remote', a.path, 'local');
        break;
      case 'download':
        arrive(local, 'local', a.path, 'remote');
        break;
      case 'delete-remote':
        remote.delete(a.path);
        break;
      case 'delete-local':
        local.delete(a.path);
        break;
      case 'conflict':
        // The local version moves to the copy on both sides; the remote one replaces it at the path.
        arrive(local, 'local', a.copyPath, 'local');
        arrive(remote, 'remote', a.copyPath, 'local');
        break;
      case 'rename-local':
        local.delete(a.from);
        arrive(local, 'local', a.to, 'remote');
        break;
      case 'move-remote':
        remote.delete(a.from);
        arrive(remote, 'remote', a.to, 'local');
        break;
      case 'record':
      case 'forget':
        break;
    }
  }
  return { local, remote };
}

function bringsNames(action: PlannedAction): boolean {
  return action.kind !== 'delete-local' && action.kind !== 'delete-remote' && action.kind !== 'record' && action.kind !== 'forget';
}

/** Every path an action touches, on either side. */
export function touchedPaths(action: PlannedAction): string[] {
  if (action.kind === 'rename-local' || action.kind === 'move-remote') return [action.from, action.to];
  return action.kind === 'conflict' ? [action.path, action.copyPath] : [action.path];
}

export interface JudgedClashes {
  actions: PlannedAction[];
  refused: RefusedName[];
}

/**
 * Refuses every name the plan would bring to a side where it clashes with another name there after
 * the cycle, and drops every action that touches a refused path, on either side. A newcomer that
 * clashes with a name already in place is refused first; newcomers that then still clash with
 * each other are all refused. Names in place are never refused: the clash is reported on the
 * newcomer. Dropping actions only takes names away, so no new clash can follow from it. Both sides
 * are judged by this file system's rules: each side's names become the other's.
 */
export function* judgeClashes(trees: Trees, actions: PlannedAction[], caseInsensitiveFs: boolean, slicer: Slicer): Sliced<JudgedClashes> {
  // Only a name this cycle brings to a side is ever refused: a plan that brings none (a quiet
  // cycle, a first sync of equal trees) needs no after-trees.
  if (!actions.some(bringsNames)) return { actions, refused: [] };
  const after = yield* afterTrees(trees, actions, slicer);
  const refused = new Map<string, RefusedName>();
  const refusedEntries = new Set<AfterEntry>();
  const refuse = (entry: AfterEntry, clash: Clash, partners: AfterEntry[]): void => {
    refusedEntries.add(entry);
    const id = `${entry.source}\u0000${entry.path}`;
    const named = nameAll(partners, entry);
    if (!refused.has(id) && named !== '') refused.set(id, { path: entry.path, side: entry.source, reason: `clashes with ${named}: ${clash.why}` });
  };
  for (const side of [after.local, after.remote]) {
    if (!(yield* mayClash([[...side.keys()]], caseInsensitiveFs, slicer))) continue;
    const entries = [...side.values()];
    for (const [entry, clashes] of yield* clashesAmong(entries, caseInsensitiveFs, slicer)) {
      if (slicer.tick(clashes.length)) yield;
      if (!entry.arriving) continue;
      for (const clash of clashes) {
        const inPlace = clash.partners.filter((p) => !p.arriving);
        if (inPlace.length > 0) {
          refuse(entry, clash, inPlace);
          break;
        }
      }
    }
    const rest = entries.filter((e) => !refusedEntries.has(e));
    for (const [entry, clashes] of yield* clashesAmong(rest, caseInsensitiveFs, slicer)) {
      const first = clashes[0];
      if (entry.arriving && first !== undefined) refuse(entry, first, first.partners);
    }
  }
  if (refused.size === 0) return { actions, refused: [] };
  const blocked = new Set([...refused.values()].map((r) => r.path));
  const kept: PlannedAction[] = [];
  for (const a of actions) {
    if (!touchedPaths(a).some((p) => blocked.has(p))) kept.push(a);
    if (slicer.tick()) yield;
  }
  return { actions: kept, refused: [...refused.values()] };
}
