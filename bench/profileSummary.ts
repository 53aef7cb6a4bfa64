// Summarizes .cpuprofile files: the functions with the most self time (by package / file), for the closing note.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface Profile {
  nodes: ProfileNode[];
  samples?: number[];
}

function where(url: string): string {
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) return url.slice(nm + 'node_modules/'.length);
  const repo = url.indexOf('/main/');
  return repo >= 0 ? url.slice(repo + '/main/'.length) : url || '(native)';
}

/** Top `limit` functions by self time, and self time per package, over every .cpuprofile in `dir`. */
export function summarizeProfiles(dir: string, limit = 25): string {
  const selfByFn = new Map<string, number>();
  const selfByPkg = new Map<string, number>();
  let total = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Profile;
    for (const node of profile.nodes) {
      const hits = node.hitCount ?? 0;
      // Idle time depends on how long the process waited, not on the work: shares are of busy samples only.
      if (!hits || node.callFrame.functionName === '(idle)') continue;
      total += hits;
      const { functionName, url, lineNumber } = node.callFrame;
      const loc = where(url);
      const key = `${functionName || '(anonymous)'}  ${loc}${url ? `:${lineNumber + 1}` : ''}`;
      selfByFn.set(key, (selfByFn.get(key) ?? 0) + hits);
      const pkg = url.includes('node_modules/')
        ? loc
            .split('/')
            .slice(0, loc.startsWith('@') ? 2 : 1)
            .join('/')
        : url.startsWith('node:')
          ? 'node core'
          : url
            ? 'project'
            : functionName;
      selfByPkg.set(pkg, (selfByPkg.get(pkg) ?? 0) + hits);
    }
  }
  const pct = (n: number) => `${((100 * n) / total).toFixed(1).padStart(5)} %`;
  const top = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => `  ${pct(v)}  ${k}`);
  return [
    `Share of busy (non-idle) CPU samples, ${total} samples:`,
    'By package / category:',
    ...top(selfByPkg, 12),
    'By function:',
    ...top(selfByFn, limit),
  ].join('\n');
}

// CLI: tsx bench/profileSummary.ts <dir>
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!) && process.argv[2]) {
  console.log(summarizeProfiles(process.argv[2]));
}
