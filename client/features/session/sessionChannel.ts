// Cross-tab session messages: BroadcastChannel, with a localStorage `storage`-event fallback for browsers without it.

/** What one tab tells the others. Never personal data: the storage fallback briefly writes it to localStorage. */
export type SessionMessage =
  | { type: 'ended'; reason: SessionEndReason }
  | { type: 'state'; idleExpiresInSeconds: number; absoluteExpiresInSeconds: number };

export type SessionEndReason = 'signed_out' | 'ended' | 'idle_timeout';

export interface SessionChannel {
  post(message: SessionMessage): void;
  /** Returns the unsubscribe function. */
  subscribe(listener: (message: SessionMessage) => void): () => void;
  close(): void;
}

const NAME = 'hybrid-spa:session';

/** The window features the channel uses (a real window in the browser, a stand-in in tests). */
export interface ChannelHost {
  BroadcastChannel?: typeof BroadcastChannel;
  localStorage?: Pick<Storage, 'setItem' | 'removeItem'>;
  addEventListener(type: 'storage', listener: (event: StorageEvent) => void): void;
  removeEventListener(type: 'storage', listener: (event: StorageEvent) => void): void;
}

function parseSessionMessage(value: unknown): SessionMessage | null {
  if (typeof value !== 'object' || value === null) return null;
  const m = value as Record<string, unknown>;
  if (m.type === 'ended' && (m.reason === 'signed_out' || m.reason === 'ended' || m.reason === 'idle_timeout')) {
    return { type: 'ended', reason: m.reason };
  }
  const seconds = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
  if (m.type === 'state' && seconds(m.idleExpiresInSeconds) && seconds(m.absoluteExpiresInSeconds)) {
    return {
      type: 'state',
      idleExpiresInSeconds: m.idleExpiresInSeconds,
      absoluteExpiresInSeconds: m.absoluteExpiresInSeconds,
    };
  }
  return null;
}

export function createSessionChannel(host: ChannelHost): SessionChannel {
  const listeners = new Set<(message: SessionMessage) => void>();
  const deliver = (raw: unknown) => {
    const message = parseSessionMessage(raw);
    if (message) for (const l of listeners) l(message);
  };

  if (host.BroadcastChannel) {
    const channel = new host.BroadcastChannel(NAME);
    channel.onmessage = (event: MessageEvent) => deliver(event.data);
    return {
      post: (message) => channel.postMessage(message),
      subscribe(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      close: () => channel.close(),
    };
  }

  // Fallback: other tabs of the origin get a `storage` event for every write; the key is removed again at once.
  const onStorage = (event: StorageEvent) => {
    if (event.key !== NAME || !event.newValue) return;
    try {
      deliver(JSON.parse(event.newValue));
    } catch {
      // Not ours or corrupt: ignore.
    }
  };
  host.addEventListener('storage', onStorage);
  return {
    post(message) {
      try {
        // A nonce makes every write a change, so repeated identical messages still fire the event.
        host.localStorage?.setItem(NAME, JSON.stringify({ ...message, nonce: Math.random() }));
        host.localStorage?.removeItem(NAME);
      } catch {
        // Storage disabled (private mode quotas): the other tabs will notice at their next check.
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => host.removeEventListener('storage', onStorage),
  };
}

/** A channel that reaches no other tab (tests, server rendering). */
export function createLocalSessionChannel(): SessionChannel {
  return { post: () => undefined, subscribe: () => () => undefined, close: () => undefined };
}
