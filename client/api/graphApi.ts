// Microsoft Graph, called by the browser with its own token (graphBaseQuery): its own api because its base URL, token
// and error shape differ from the BFF's. The profile feature adds its endpoints (features/profile/profileApi.ts).
import { createApi } from '@reduxjs/toolkit/query/react';
import { graphBaseQuery } from './graphBaseQuery';

export const graphApi = createApi({
  reducerPath: 'graphApi',
  baseQuery: graphBaseQuery,
  endpoints: () => ({}),
});
