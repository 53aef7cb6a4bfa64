// The BFF's JSON API (mail via the server's token, Key Vault secret): the browser never holds those tokens.
import { createApi } from '@reduxjs/toolkit/query/react';
import type { MailListResponse, SecretResponse, SendMailRequest, SendMailResponse } from '../../../shared-types/api';
import { bffBaseQuery } from './bffBaseQuery';

export interface MailPageArgs {
  top: number;
  skip: number;
}

export const bffApi = createApi({
  reducerPath: 'bffApi',
  baseQuery: bffBaseQuery,
  tagTypes: ['Mail'],
  endpoints: (build) => ({
    mail: build.query<MailListResponse, MailPageArgs>({
      query: ({ top, skip }) => `/mail?top=${top}&skip=${skip}`,
      providesTags: ['Mail'],
    }),
    sendMail: build.mutation<SendMailResponse, SendMailRequest>({
      query: (body) => ({ url: '/mail/send', method: 'POST', body }),
      invalidatesTags: (_result, error) => (error ? [] : ['Mail']),
    }),
    secret: build.query<SecretResponse, void>({
      query: () => '/secret',
    }),
  }),
});

export const { useMailQuery, useSendMailMutation, useSecretQuery } = bffApi;
