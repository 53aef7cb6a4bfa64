// The e2e harness, split by concern under harness/: prerequisites (Chromium, the built SPA, ports), the stack
// (emulator + BFF + Chromium), browser sessions and what they record, per-test bookkeeping, artifacts, page helpers.
// This barrel re-exports what the test files use from './harness'.
export { ARTIFACTS_DIR, ROOT_DIR, chromiumMissingReason, freePort } from './harness/prerequisites';
export { bffConfigFor, startBffFor, startStack, type Stack } from './harness/stack';
export { BrowserSession, type SessionOptions } from './harness/browserSession';
export { SessionTracker } from './harness/sessionTracker';
export { writeJsonArtifact } from './harness/artifacts';
export { browserStorage } from './harness/pageHelpers';
