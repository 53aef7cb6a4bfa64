// Starts a BFF as a real child process (its JSON log lines collected) and waits for its "ready" line; used by the
// shutdown and production-artifact tests.
import { spawn, type ChildProcess } from 'node:child_process';

export interface BffProcess {
  child: ChildProcess;
  /** Parsed JSON log lines so far (non-JSON output is kept as { raw }). */
  logs: Record<string, unknown>[];
  /** Everything the process wrote, for failure messages. */
  output(): string;
  /** Resolves with the first log line matching `predicate`. */
  waitForLog(
    predicate: (line: Record<string, unknown>) => boolean,
    timeoutMs: number,
    what: string,
  ): Promise<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(): void;
}

export function startBffProcess(
  command: string,
  args: string[],
  options: { cwd: string; env: Record<string, string> },
): BffProcess {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: Record<string, unknown>[] = [];
  let text = '';
  const waiters: (() => void)[] = [];
  let buffer = '';
  const onData = (chunk: Buffer) => {
    text += chunk.toString();
    buffer += chunk.toString();
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        logs.push({ raw: line });
      }
    }
    for (const w of waiters) w();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      resolve({ code, signal });
      for (const w of waiters) w();
    }),
  );
  return {
    child,
    logs,
    output: () => text,
    exited,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
    waitForLog(predicate, timeoutMs, what) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`timed out waiting for ${what}; output:\n${text.slice(-3000)}`)),
          timeoutMs,
        );
        const check = () => {
          const found = logs.find(predicate);
          if (found) {
            clearTimeout(timer);
            resolve(found);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            clearTimeout(timer);
            reject(
              new Error(
                `the process exited (${child.exitCode ?? child.signalCode}) before ${what}; output:\n${text.slice(-3000)}`,
              ),
            );
          }
        };
        waiters.push(check);
        check();
      });
    },
  };
}
