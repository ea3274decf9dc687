/**
 * `npx tsx test/bench/profile-summary.ts FILE.cpuprofile [top]`: where a `--cpu-prof` profile of
 * the bench's driver spent its time, by function (self time) and by module, with idle time apart.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

function moduleOf(url: string): string {
  if (url === '') return '(native)';
  // The driver is one esbuild bundle: its own and the engine's code share this URL.
  if (/wsync-bench\/driver-\d+\.mjs/.test(url)) return 'wsync engine (bundle)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1] ?? url;
  const src = /(electron\/engine\/[^?#]+|test\/bench\/[^?#]+)/.exec(url);
  if (src) return src[1] ?? url;
  if (url.startsWith('node:')) return url;
  return url.replace(/^file:\/\//, '');
}

const [file, topArg] = process.argv.slice(2);
if (file === undefined) throw new Error('usage: profile-summary FILE.cpuprofile [top]');
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

const byFunction = new Map<string, number>();
const byModule = new Map<string, number>();
let total = 0;
for (const [id, us] of selfUs) {
  const node = byId.get(id);
  if (!node) continue;
  total += us;
  const { functionName, url, lineNumber } = node.callFrame;
  const mod = moduleOf(url);
  const fn = `${functionName || '(anonymous)'}  ${mod}${url ? `:${lineNumber + 1}` : ''}`;
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
  byModule.set(mod, (byModule.get(mod) ?? 0) + us);
}
const pct = (us: number) => `${((us / total) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms`;
const show = (title: string, map: Map<string, number>) => {
  process.stdout.write(`\n${title}\n`);
  for (const [name, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) process.stdout.write(`${pct(us)}  ${name}\n`);
};
process.stdout.write(`${file}: ${((profile.endTime - profile.startTime) / 1e6).toFixed(2)} s profiled\n`);
show('self time by function', byFunction);
show('self time by module', byModule);
