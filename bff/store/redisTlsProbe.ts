// Why a TLS connection to Redis fails, found with one bare handshake: cluster and Sentinel clients only report
// "Connection is closed" (their slot-map and sentinel connections swallow the certificate error), so start-up asks directly.
import { connect, type ConnectionOptions } from 'node:tls';
import type { RedisNode, RedisStoreConfig } from '../../config/types';

/** The node a client reaches first: the server, the first cluster seed, or the first sentinel. */
export function firstNode(config: RedisStoreConfig): RedisNode | null {
  const { topology } = config;
  if (topology.mode === 'standalone') return topology.node;
  return (topology.mode === 'cluster' ? topology.seeds[0] : topology.sentinels[0]) ?? null;
}

/**
 * The error code of a TLS handshake with `node` (e.g. ERR_TLS_CERT_ALTNAME_INVALID, UNABLE_TO_VERIFY_LEAF_SIGNATURE,
 * EPROTO), or null when the handshake succeeds, the node does not answer within `timeoutMs`, or it refuses the TCP
 * connection: those are outages, not TLS configuration errors. Sends nothing after the handshake.
 */
export function tlsHandshakeError(
  node: RedisNode,
  options: ConnectionOptions,
  timeoutMs: number,
): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = connect({ ...options, host: node.host, port: node.port });
    const done = (code: string | null) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(code);
    };
    const timer = setTimeout(() => done(null), timeoutMs);
    timer.unref();
    socket.once('secureConnect', () => done(null));
    socket.once('error', (err: Error & { code?: string; syscall?: string }) =>
      done(err.syscall === 'connect' ? null : (err.code ?? err.name)),
    );
  });
}
