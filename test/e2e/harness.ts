// The e2e harness, split by concern under harness/: prerequisites (Chromium, the built SPA, ports), the stack
// (emulator + BFF + Chromium), browser sessions and what they record, per-test bookkeeping, artifacts, page helpers.
// This barrel keeps every name importable from './harness'.
export { ARTIFACTS_DIR, CHROMIUM_PATH, ROOT_DIR, chromiumMissingReason, ensureClientBuilt, freePort } from './harness/prerequisites';
export { bffConfigFor, startBffFor, startStack, type Stack } from './harness/stack';
export type { ConsoleLine, RecordedRequest } from './harness/record';
export { BrowserSession, type SessionOptions } from './harness/browserSession';
export { SessionTracker } from './harness/sessionTracker';
export { slug, writeJsonArtifact } from './harness/artifacts';
export { bootstrapIn, browserStorage } from './harness/pageHelpers';
