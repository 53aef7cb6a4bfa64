// Pre-typed thunk creators: every thunk sees RootState, AppDispatch and AppExtra.
import { createAsyncThunk, type ThunkAction, type UnknownAction } from '@reduxjs/toolkit';
import type { AppDispatch, AppExtra, RootState } from './store';

export const createAppAsyncThunk = createAsyncThunk.withTypes<{
  state: RootState;
  dispatch: AppDispatch;
  extra: AppExtra;
}>();

/** A synchronous thunk (navigation helpers, draft storage). */
export type AppThunk<R = void> = ThunkAction<R, RootState, AppExtra, UnknownAction>;
