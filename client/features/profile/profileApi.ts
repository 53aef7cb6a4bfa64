// The profile's Graph endpoints: /me, the photo and contacts, each with the scope it needs.
import { graphApi } from '../../api/graphApi';

interface GraphUser {
  id: string;
  displayName: string | null;
  mail: string | null;
  userPrincipalName: string;
  jobTitle?: string | null;
  officeLocation?: string | null;
}

interface GraphContact {
  id: string;
  displayName: string | null;
  companyName: string | null;
  emailAddresses: { name?: string | null; address?: string | null }[];
}

const USER_READ = ['User.Read'];
const CONTACTS_READ = ['Contacts.Read'];

export const profileApi = graphApi.injectEndpoints({
  endpoints: (build) => ({
    me: build.query<GraphUser, void>({
      query: () => '/me',
      extraOptions: { scopes: USER_READ },
    }),
    contacts: build.query<GraphContact[], void>({
      query: () => '/me/contacts?$select=displayName,emailAddresses,companyName&$top=50',
      extraOptions: { scopes: CONTACTS_READ },
      transformResponse: (body: { value?: GraphContact[] }) => body.value ?? [],
    }),
    /** An object URL for the signed-in user's photo, or null when they have none (Graph answers 404). */
    photo: build.query<string | null, void>({
      async queryFn(_arg, _api, _extraOptions, baseQuery) {
        const result = await baseQuery({ url: '/me/photo/$value', responseType: 'blob' });
        if (result.error) return result.error.status === 404 ? { data: null } : { error: result.error };
        return { data: URL.createObjectURL(result.data as Blob) };
      },
      extraOptions: { scopes: USER_READ },
      async onCacheEntryAdded(_arg, { cacheDataLoaded, cacheEntryRemoved }) {
        // Object URLs pin their blob until revoked: release it with the cache entry.
        let url: string | null = null;
        try {
          url = (await cacheDataLoaded).data;
        } catch {
          // The entry was removed before it loaded.
        }
        await cacheEntryRemoved;
        if (url) URL.revokeObjectURL(url);
      },
    }),
  }),
});

export const { useMeQuery, useContactsQuery, usePhotoQuery } = profileApi;
