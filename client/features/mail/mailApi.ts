// The mail endpoints of the BFF api: the inbox, paged, and sending (which may answer consent_required).
import { bffApi } from '../../api/bffApi';
import type { MailListResponse, SendMailRequest, SendMailResponse } from '../../../shared-types/api';

interface MailPageArgs {
  top: number;
  skip: number;
}

export const mailApi = bffApi.injectEndpoints({
  endpoints: (build) => ({
    mail: build.query<MailListResponse, MailPageArgs>({
      query: ({ top, skip }) => `/mail?top=${top}&skip=${skip}`,
      providesTags: ['Mail'],
    }),
    sendMail: build.mutation<SendMailResponse, SendMailRequest>({
      query: (body) => ({ url: '/mail/send', method: 'POST', body }),
      invalidatesTags: (_result, error) => (error ? [] : ['Mail']),
    }),
  }),
});

export const { useMailQuery, useSendMailMutation } = mailApi;
