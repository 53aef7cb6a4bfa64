// Plain auth events the thunks dispatch mid-flight (kept apart from the slice so thunks and slice import no cycle).
import { createAction } from '@reduxjs/toolkit';
import type { PendingInteraction } from './authTypes';

/** The one-time spa code has been handed to MSAL. */
export const spaCodeConsumed = createAction('auth/spaCodeConsumed');
/** A top-level navigation for a token is starting; the page is about to unload. */
export const interactionStarted = createAction<PendingInteraction>('auth/interactionStarted');
/** The BFF said the server session is gone (any /api 401). */
export const sessionExpired = createAction<{ signInUrl?: string; message?: string; reason?: string } | undefined>(
  'session/expired',
);
