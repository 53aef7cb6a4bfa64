// Reads the repository's Dockerfile and .dockerignore and replays the stages on the host (there is no container engine
// here): each stage gets its own directory standing in for the image's filesystem, COPY copies (honouring .dockerignore),
// RUN runs the stage's shell command with the stage's ENV, and the final stage's CMD and HEALTHCHECK are returned for
// the test to start. Anything the replay does not understand fails loudly, so the Dockerfile cannot drift silently.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';

export interface Instruction {
  op: string;
  args: string;
  line: number;
}

export interface Stage {
  name: string;
  base: string;
  instructions: Instruction[];
}

/** Instructions, with continuation lines joined and comments/parser directives dropped. */
export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i + 1;
    let line = lines[i]!.trim();
    if (!line || line.startsWith('#')) continue;
    while (line.endsWith('\\') && i + 1 < lines.length) line = `${line.slice(0, -1).trim()} ${lines[++i]!.trim()}`;
    const m = /^([A-Za-z]+)\s+(.*)$/.exec(line);
    if (!m) throw new Error(`Dockerfile line ${start}: cannot read "${line}"`);
    const op = m[1]!.toUpperCase();
    const args = m[2]!;
    if (op === 'FROM') {
      const from = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      if (!from) throw new Error(`Dockerfile line ${start}: FROM ${args}`);
      stages.push({ base: from[1]!, name: from[2] ?? String(stages.length), instructions: [] });
      continue;
    }
    if (!stages.length) throw new Error(`Dockerfile line ${start}: ${op} before FROM`);
    stages.at(-1)!.instructions.push({ op, args, line: start });
  }
  return stages;
}

/** ENV a=b c="d e" (the key=value form only). */
export function parseEnv(args: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("([^"]*)"|(\S*))/g)) out[m[1]!] = m[3] ?? m[4] ?? '';
  if (!Object.keys(out).length) throw new Error(`ENV ${args}: only the key=value form is supported`);
  return out;
}

/** The JSON array of an exec-form CMD / HEALTHCHECK CMD. */
export function execForm(args: string): string[] {
  const json = args.slice(args.indexOf('['));
  const parsed: unknown = JSON.parse(json);
  if (!Array.isArray(parsed) || !parsed.every((x) => typeof x === 'string'))
    throw new Error(`not an exec-form array: ${args}`);
  return parsed as string[];
}

/** .dockerignore patterns → a predicate on context-relative paths (the subset used here: names, globs with *). */
export function dockerignore(text: string): (rel: string) => boolean {
  const patterns = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  if (patterns.some((p) => p.startsWith('!')))
    throw new Error('.dockerignore: exceptions (!) are not supported by this replay');
  const regexes = patterns.map((p) => {
    const body = p
      .replace(/\/+$/, '')
      .split('*')
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('[^/]*');
    // A pattern without a slash matches at the top level (Docker semantics); directories exclude what is inside them.
    return new RegExp(`^${body}(/.*)?$`);
  });
  return (rel) => regexes.some((r) => r.test(rel));
}

function copyFiltered(fromDir: string, toDir: string, ignored: (rel: string) => boolean, contextRoot: string): void {
  for (const name of readdirSync(fromDir)) {
    const abs = join(fromDir, name);
    const rel = relative(contextRoot, abs).split('\\').join('/');
    if (ignored(rel)) continue;
    if (statSync(abs).isDirectory()) {
      mkdirSync(join(toDir, name), { recursive: true });
      copyFiltered(abs, join(toDir, name), ignored, contextRoot);
    } else cpSync(abs, join(toDir, name));
  }
}

export interface ReplayedStage {
  name: string;
  /** The directory standing in for the stage's filesystem root. */
  root: string;
  /** WORKDIR on the host. */
  workdir: string;
  env: Record<string, string>;
  user: string | null;
  cmd: string[] | null;
  healthcheck: string[] | null;
  /** Each RUN: its command and how long it took. */
  runs: { command: string; ms: number }[];
}

export interface ReplayOptions {
  contextDir: string;
  workDir: string;
  /** The host environment RUN steps start from (PATH, HOME…); the stage's ENV is layered on top. */
  baseEnv: Record<string, string>;
  log?: (line: string) => void;
}

/** Replays every stage in order and returns them (the last is the image). */
export function replayDockerfile(stages: Stage[], options: ReplayOptions): ReplayedStage[] {
  const ignored = dockerignore(
    existsSync(join(options.contextDir, '.dockerignore'))
      ? readFileSync(join(options.contextDir, '.dockerignore'), 'utf8')
      : '',
  );
  const done: ReplayedStage[] = [];
  for (const stage of stages) {
    const root = join(options.workDir, `stage-${stage.name}`);
    mkdirSync(root, { recursive: true });
    const s: ReplayedStage = {
      name: stage.name,
      root,
      workdir: root,
      env: {},
      user: null,
      cmd: null,
      healthcheck: null,
      runs: [],
    };
    let cwd = '/';
    const inStage = (containerPath: string) => join(root, posix.resolve(cwd, containerPath));
    for (const ins of stage.instructions) {
      const where = `Dockerfile line ${ins.line} (${ins.op} ${ins.args})`;
      switch (ins.op) {
        case 'WORKDIR':
          cwd = posix.resolve(cwd, ins.args.trim());
          s.workdir = join(root, cwd);
          mkdirSync(s.workdir, { recursive: true });
          break;
        case 'ENV':
          Object.assign(s.env, parseEnv(ins.args));
          break;
        case 'COPY': {
          const words = ins.args.split(/\s+/);
          const flags = words.filter((w) => w.startsWith('--'));
          const paths = words.filter((w) => !w.startsWith('--'));
          const from = flags.find((f) => f.startsWith('--from='))?.slice('--from='.length);
          for (const f of flags)
            if (!/^--(from|chown|chmod)=/.test(f)) throw new Error(`${where}: unsupported flag ${f}`);
          const dest = paths.pop()!;
          const source = from ? done.find((d) => d.name === from) : null;
          if (from && !source) throw new Error(`${where}: no earlier stage "${from}"`);
          for (const src of paths) {
            const srcAbs = source ? join(source.root, src) : join(options.contextDir, src);
            if (!existsSync(srcAbs)) throw new Error(`${where}: ${src} does not exist`);
            const destAbs = inStage(dest);
            if (statSync(srcAbs).isDirectory()) {
              mkdirSync(destAbs, { recursive: true });
              if (source) cpSync(srcAbs, destAbs, { recursive: true });
              else copyFiltered(srcAbs, destAbs, ignored, options.contextDir);
            } else {
              const target = dest.endsWith('/') || paths.length > 1 ? join(destAbs, posix.basename(src)) : destAbs;
              mkdirSync(dirname(target), { recursive: true });
              if (!source && ignored(relative(options.contextDir, srcAbs)))
                throw new Error(`${where}: ${src} is excluded by .dockerignore`);
              cpSync(srcAbs, target);
            }
          }
          break;
        }
        case 'RUN': {
          // BuildKit flags (cache mounts) change where npm keeps its cache, not what the step produces.
          const command = ins.args.replace(/^(--mount=\S+\s+)+/, '');
          if (command.startsWith('[')) throw new Error(`${where}: use the shell form for RUN`);
          options.log?.(`RUN ${command}`);
          const t0 = performance.now();
          try {
            execFileSync('/bin/sh', ['-c', command], {
              cwd: s.workdir,
              env: { ...options.baseEnv, ...s.env },
              stdio: ['ignore', 'pipe', 'pipe'],
              maxBuffer: 64 * 1024 * 1024,
            });
          } catch (err) {
            const e = err as { stdout?: Buffer; stderr?: Buffer; status?: number };
            throw new Error(
              `${where} failed (exit ${e.status}):\n${e.stdout?.toString().slice(-2000) ?? ''}\n${e.stderr?.toString().slice(-4000) ?? ''}`,
              { cause: err },
            );
          }
          s.runs.push({ command, ms: performance.now() - t0 });
          break;
        }
        case 'USER':
          s.user = ins.args.trim();
          break;
        case 'EXPOSE':
          break;
        case 'HEALTHCHECK':
          s.healthcheck = execForm(ins.args.slice(ins.args.indexOf('CMD')));
          break;
        case 'CMD':
          s.cmd = execForm(ins.args);
          break;
        default:
          throw new Error(`${where}: the host replay does not understand ${ins.op}`);
      }
    }
    done.push(s);
  }
  return done;
}
