// A logger whose output is kept in memory, for "never logged" assertions.
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../bff/http/logger';

export function captureLogs(level = 'trace'): { log: Logger; text: () => string } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { log: createLogger(level, sink), text: () => lines.join('') };
}
