// Forks TypeScript child processes (node --import tsx) that talk JSON over IPC, and always stops them.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface Child<T> {
  child: ChildProcess;
  /** The first IPC message (the result, or {ready} for servers); rejects when the child exits first. */
  first: Promise<T>;
  stop(): Promise<void>;
}

export function forkTs<T>(
  script: string,
  args: string[] = [],
  options: { env?: Record<string, string>; execArgv?: string[] } = {},
): Child<T> {
  const path = fileURLToPath(new URL(script, import.meta.url));
  const child = fork(path, args, {
    execArgv: ['--import', 'tsx', ...(options.execArgv ?? [])],
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  const first = new Promise<T>((ok, fail) => {
    child.once('message', (m) => ok(m as T));
    child.once('exit', (code, signal) => fail(new Error(`${script} exited (${signal ?? code}) before reporting`)));
    child.once('error', fail);
  });
  first.catch(() => undefined);
  return {
    child,
    first,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (child.connected) child.send('stop');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Runs a child to completion and returns its one result message. */
export async function runChild<T>(
  script: string,
  args: string[] = [],
  options: { env?: Record<string, string>; execArgv?: string[] } = {},
): Promise<T> {
  const c = forkTs<T | { error: string }>(script, args, options);
  try {
    const result = await c.first;
    if (result && typeof result === 'object' && 'error' in result) throw new Error(`${script}: ${result.error}`);
    return result as T;
  } finally {
    await c.stop();
  }
}

export { freePort } from '../scripts/lib/freePort';
