// The BFF's JSON API (mail via the server's token, Key Vault secret): the browser never holds those tokens. One api
// for the whole app, as RTK Query recommends per base URL; each feature adds its endpoints with injectEndpoints
// (features/mail/mailApi.ts, features/secret/secretApi.ts), so they load with the feature's chunk.
import { createApi } from '@reduxjs/toolkit/query/react';
import { bffBaseQuery } from './bffBaseQuery';

export const bffApi = createApi({
  reducerPath: 'bffApi',
  baseQuery: bffBaseQuery,
  tagTypes: ['Mail'],
  endpoints: () => ({}),
});
