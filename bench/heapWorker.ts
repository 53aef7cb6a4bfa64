// Child process (node --expose-gc): BFF heap per 10 000 signed-in sessions in memory mode — sessions, token caches and
// sid-index entries written through the real memory stores, heapUsed measured after full GCs before and after.
//   argv: <template token cache blob file> <template session JSON file> <count>
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadConfig } from '../config/loadConfig';
import { createMemoryStores } from '../bff/store/memoryStores';
import { createCloner } from './cacheClone';

export interface HeapResult {
  sessions: number;
  heapDeltaBytes: number;
  bytesPerSession: number;
}

function settledHeap(): number {
  const gc = globalThis.gc;
  if (!gc) throw new Error('run with --expose-gc');
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

async function main(): Promise<HeapResult> {
  const [blobFile, sessionFile, countArg] = process.argv.slice(2) as [string, string, string];
  const count = Number(countArg);
  const config = loadConfig(process.env, { rootDir: process.cwd() });
  const cloner = createCloner(readFileSync(blobFile, 'utf8'));
  const sessionTemplate = JSON.parse(readFileSync(sessionFile, 'utf8')) as { user: Record<string, unknown> } & Record<
    string,
    unknown
  >;
  const stores = createMemoryStores(config);
  // Inputs are generated inside the loop: what the stores keep is counted, the rest is garbage the final GC frees.
  const before = settledHeap();
  for (let i = 0; i < count; i++) {
    const clone = cloner.clone();
    const sessionId = randomBytes(32).toString('base64url');
    const sid = randomUUID();
    const session = {
      ...sessionTemplate,
      user: {
        ...sessionTemplate.user,
        homeAccountId: clone.user.homeAccountId,
        localAccountId: clone.user.localAccountId,
        sid,
      },
      signOutToken: randomBytes(24).toString('base64url'),
    };
    await stores.sessions.set(sessionId, session, config.session.idleTimeoutMs);
    await stores.tokenCache.set(clone.user.homeAccountId, clone.blob);
    await stores.sidIndex!.put(
      sid,
      { sessionKey: sessionId, homeAccountId: clone.user.homeAccountId },
      config.session.absoluteTimeoutMs,
    );
  }
  const after = settledHeap();
  // Keep the stores reachable until after the measurement (else V8 may collect them before it).
  if ((stores.sessions as unknown as { size: number }).size !== count)
    throw new Error('the session store lost entries');
  return { sessions: count, heapDeltaBytes: after - before, bytesPerSession: (after - before) / count };
}

main().then(
  (result) => process.send!(result, () => process.exit(0)),
  (err: Error) => process.send!({ error: err.stack ?? err.message }, () => process.exit(1)),
);
