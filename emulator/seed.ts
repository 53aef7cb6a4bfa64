// The emulator's default world: one tenant's users (plus a guest and a personal account), the app, identities, a vault.
import { EMULATOR_DEFAULTS } from '../config/emulatorDefaults';
import type { Seed, SeedContact, SeedMessage } from './seedTypes';

export const CONTOSO_TENANT_ID = EMULATOR_DEFAULTS.tenantId;
export const FABRIKAM_TENANT_ID = 'c4a1e7d2-5b3f-4e6a-8d9c-0f2b4a6c8e13';
/** The fixed tenant id of personal Microsoft accounts. */
export const CONSUMERS_TENANT_ID = '9188040d-6c67-4c5b-b112-36a304b66dad';

/** Scopes every seeded user has already consented to for the default app (Mail.Send deliberately missing). */
export const SEEDED_CONSENT = ['openid', 'profile', 'offline_access', 'email', 'User.Read', 'Contacts.Read', 'Mail.Read'];

export const SYSTEM_MI_CLIENT_ID = 'e2c7f1a9-3b5d-4f8e-a6c2-9d1b3f5a7c31';
/** A user-assigned identity that exists but holds no vault role (for 403 tests). */
export const UNAUTHORIZED_MI_CLIENT_ID = 'f3d8a2b0-4c6e-4a9f-b7d3-0e2c4a6b8d42';

const contact = (givenName: string, surname: string, email: string, companyName: string, jobTitle: string, mobilePhone?: string): SeedContact =>
  ({ givenName, surname, email, companyName, jobTitle, ...(mobilePhone ? { mobilePhone } : {}) });

const msg = (hoursAgo: number, fromName: string, fromAddress: string, subject: string, body: string, extra: Partial<SeedMessage> = {}): SeedMessage =>
  ({ hoursAgo, fromName, fromAddress, subject, body, ...extra });

/** 25 messages so paging (default page size 10) shows three pages. */
const ADELE_SUBJECTS: Array<[string, string, string]> = [
  ['Megan Bowen', 'megan.bowen@contoso.example', 'Q3 marketing plan review'],
  ['Nestor Wilke', 'nestor.wilke@contoso.example', 'Budget approval for the trade show'],
  ['Lee Gu', 'lee.gu@contoso.example', 'Lunch on Thursday?'],
  ['Microsoft 365', 'no-reply@microsoft.example', 'Your weekly digest'],
  ['Isaiah Langer', 'isaiah.langer@contoso.example', 'Contract draft v2'],
  ['Lidia Holloway', 'lidia.holloway@contoso.example', 'Design sync moved to 3 pm'],
  ['Megan Bowen', 'megan.bowen@contoso.example', 'Re: Q3 marketing plan review'],
  ['Joni Sherman', 'joni.sherman@contoso.example', 'Legal sign-off needed'],
  ['Miriam Graham', 'miriam.graham@contoso.example', 'Team offsite: pick a date'],
  ['Patti Fernandez', 'patti.fernandez@contoso.example', 'Travel itinerary for Seattle'],
  ['Grady Archie', 'grady.archie@contoso.example', 'Prototype feedback'],
  ['Henrietta Mueller', 'henrietta.mueller@contoso.example', 'Onboarding checklist'],
  ['Johanna Lorenz', 'johanna.lorenz@contoso.example', 'Expense report reminder'],
  ['Lynne Robbins', 'lynne.robbins@contoso.example', 'Customer visit recap'],
  ['Pradeep Gupta', 'pradeep.gupta@contoso.example', 'Release notes for 2.4'],
  ['Nestor Wilke', 'nestor.wilke@contoso.example', 'Re: Budget approval for the trade show'],
  ['IT Helpdesk', 'helpdesk@contoso.example', 'Planned maintenance this weekend'],
  ['Diego Siciliani', 'diego.siciliani@contoso.example', 'Sales numbers for October'],
  ['Lee Gu', 'lee.gu@contoso.example', 'Re: Lunch on Thursday?'],
  ['Christie Cline', 'christie.cline@contoso.example', 'Brand guidelines update'],
  ['Alex Wilber', 'alex.wilber@contoso.example', 'Slides for Monday'],
  ['Megan Bowen', 'megan.bowen@contoso.example', 'Campaign assets are ready'],
  ['Irvin Sayers', 'irvin.sayers@contoso.example', 'Warehouse inventory count'],
  ['Joni Sherman', 'joni.sherman@contoso.example', 'Re: Legal sign-off needed'],
  ['Microsoft 365', 'no-reply@microsoft.example', 'Welcome to your new mailbox'],
];

/** Builds the default seed; the registered client certificate is the one generated into the state dir. */
export function createDefaultSeed(options: { clientCertPem: string; referenceTime?: number }): Seed {
  const origin = `http://localhost:${EMULATOR_DEFAULTS.bffPort}`;
  return {
    referenceTime: options.referenceTime ?? Date.UTC(2025, 10, 20, 9, 0, 0),
    tenants: [
      { id: CONTOSO_TENANT_ID, domains: ['contoso.example'], displayName: 'Contoso (emulator)' },
      { id: FABRIKAM_TENANT_ID, domains: ['fabrikam.example'], displayName: 'Fabrikam (emulator)' },
      { id: CONSUMERS_TENANT_ID, domains: [], displayName: 'Microsoft Accounts' },
    ],
    users: [
      {
        key: 'adele',
        displayName: 'Adele Vance',
        givenName: 'Adele',
        surname: 'Vance',
        username: 'adele.vance@contoso.example',
        jobTitle: 'Retail Manager',
        officeLocation: '18/2111',
        mobilePhone: '+1 425 555 0109',
        homeTenantId: CONTOSO_TENANT_ID,
        oid: '1a5e0c3b-7d24-4f6e-9b81-3c5d7e9f1a01',
        hasPhoto: true,
        contacts: [
          contact('Megan', 'Bowen', 'megan.bowen@contoso.example', 'Contoso', 'Marketing Manager', '+1 412 555 0109'),
          contact('Nestor', 'Wilke', 'nestor.wilke@contoso.example', 'Contoso', 'Director'),
          contact('Lee', 'Gu', 'lee.gu@contoso.example', 'Contoso', 'Director'),
          contact('Rob', 'Young', 'rob.young@northwind.example', 'Northwind Traders', 'Buyer', '+1 206 555 0110'),
        ],
        messages: ADELE_SUBJECTS.map(([name, address, subject], i) =>
          msg(i * 5 + 1, name, address, subject, `Hi Adele,\n\n${subject} — details inside. (message ${i + 1} of 25)\n\nThanks,\n${name}`, {
            isRead: i % 3 !== 0,
            importance: i % 7 === 1 ? 'high' : 'normal',
          }),
        ),
      },
      {
        key: 'alex',
        displayName: 'Alex Wilber',
        givenName: 'Alex',
        surname: 'Wilber',
        username: 'alex.wilber@contoso.example',
        jobTitle: 'Marketing Assistant',
        officeLocation: '131/1104',
        homeTenantId: CONTOSO_TENANT_ID,
        oid: '2b6f1d4c-8e35-4a7f-ac92-4d6e8f0a2b02',
        hasPhoto: true,
        contacts: [
          contact('Adele', 'Vance', 'adele.vance@contoso.example', 'Contoso', 'Retail Manager'),
          contact('Diego', 'Siciliani', 'diego.siciliani@contoso.example', 'Contoso', 'HR Manager'),
          contact('Maya', 'Ortiz', 'maya.ortiz@litware.example', 'Litware', 'Account Executive', '+1 312 555 0142'),
        ],
        messages: [
          msg(2, 'Adele Vance', 'adele.vance@contoso.example', 'Re: Slides for Monday', 'Looks good, two small comments inline.'),
          msg(9, 'Megan Bowen', 'megan.bowen@contoso.example', 'Social media calendar', 'Draft calendar for next month attached.', { isRead: false }),
          msg(30, 'IT Helpdesk', 'helpdesk@contoso.example', 'Your laptop is ready', 'Pick it up at the front desk.'),
          msg(52, 'Lee Gu', 'lee.gu@contoso.example', 'Webinar follow-ups', 'Here is the attendee list.'),
        ],
      },
      {
        key: 'bobby',
        // Markup and quotes on purpose: every page and the SPA bootstrap must escape user-controlled names.
        displayName: `Robert "Bobby" </script><script>alert(1)</script> O'Hara`,
        givenName: 'Robert',
        surname: "O'Hara",
        username: 'bobby@contoso.example',
        jobTitle: 'Security Tester',
        homeTenantId: CONTOSO_TENANT_ID,
        oid: '3c7a2e5d-9f46-4b8a-bd03-5e7f9a1b3c03',
        contacts: [
          contact('Eve', '<img src=x onerror=alert(2)>', 'eve@contoso.example', 'Contoso "Red Team"', 'Pen tester'),
          contact('Mallory', "O'Brien", 'mallory@contoso.example', 'Contoso', 'Auditor'),
          contact('Trent', 'Trusted', 'trent@contoso.example', 'Contoso', 'Notary'),
        ],
        messages: [
          msg(3, 'Eve', 'eve@contoso.example', '<script>alert("subject")</script>', 'Body with <b>markup</b> & "quotes".', { isRead: false }),
          msg(20, 'Mallory', 'mallory@contoso.example', "Audit findings: it's fine", 'Nothing to see here.'),
          msg(44, 'Trent', 'trent@contoso.example', 'Notarised copy', 'Attached, signed.'),
        ],
      },
      {
        key: 'gina',
        displayName: 'Gina Guest',
        givenName: 'Gina',
        surname: 'Guest',
        username: 'gina@fabrikam.example',
        jobTitle: 'Consultant',
        homeTenantId: FABRIKAM_TENANT_ID,
        oid: '4d8b3f6e-a057-4c9b-8e14-6f8a0b2c4d04',
        guestOf: [{ tenantId: CONTOSO_TENANT_ID, oid: '5e9c4a7f-b168-4dac-9f25-7a9b1c3d5e05' }],
        contacts: [
          contact('Frank', 'Fabrikam', 'frank@fabrikam.example', 'Fabrikam', 'Partner'),
          contact('Adele', 'Vance', 'adele.vance@contoso.example', 'Contoso', 'Retail Manager'),
          contact('Wendy', 'Wong', 'wendy.wong@fabrikam.example', 'Fabrikam', 'Engagement Lead'),
        ],
        messages: [
          msg(4, 'Frank Fabrikam', 'frank@fabrikam.example', 'Statement of work', 'SOW for the Contoso engagement.'),
          msg(27, 'Adele Vance', 'adele.vance@contoso.example', 'Welcome to the Contoso project', 'You now have guest access.'),
        ],
      },
      {
        key: 'pat',
        displayName: 'Pat Personal',
        givenName: 'Pat',
        surname: 'Personal',
        username: 'pat@outlook.example',
        homeTenantId: CONSUMERS_TENANT_ID,
        // Personal-account object ids look like this (zero prefix, then the account's PUID).
        oid: '00000000-0000-0000-6a1b-2c3d4e5f6a06',
        guestOf: [{ tenantId: CONTOSO_TENANT_ID, oid: '6fad5b8a-c279-4ebd-a036-8b0c2d4e6f07' }],
        personal: true,
        contacts: [
          contact('Sam', 'Sibling', 'sam@outlook.example', 'Family', 'Sibling'),
          contact('Terry', 'Tennis', 'terry@outlook.example', 'Tennis club', 'Coach'),
          contact('Alex', 'Wilber', 'alex.wilber@contoso.example', 'Contoso', 'Marketing Assistant'),
        ],
        messages: [
          msg(6, 'Sam Sibling', 'sam@outlook.example', 'Dinner on Sunday', 'Bring dessert!', { isRead: false }),
          msg(33, 'Tennis club', 'club@outlook.example', 'Court booking confirmed', 'Court 3, Saturday 10:00.'),
          msg(70, 'Outlook', 'no-reply@outlook.example', 'Welcome to Outlook', 'Your mailbox is ready.'),
        ],
      },
    ],
    apps: [
      {
        clientId: EMULATOR_DEFAULTS.clientId,
        displayName: 'hybrid-spa-bff (emulator)',
        homeTenantId: CONTOSO_TENANT_ID,
        servicePrincipalOid: '7b1e6c9d-d38a-4fce-b147-9c1d3e5f7a08',
        secrets: [EMULATOR_DEFAULTS.clientSecret],
        certificates: [options.clientCertPem],
        webRedirectUris: [`${origin}/auth/callback`],
        spaRedirectUris: [`${origin}/`],
        postLogoutRedirectUris: [`${origin}/`],
        frontChannelLogoutUrl: `${origin}/auth/frontchannel-logout`,
      },
    ],
    managedIdentities: [
      {
        clientId: SYSTEM_MI_CLIENT_ID,
        principalId: '8c2f7dae-e49b-4a0f-8258-ad2e4f6a8b09',
        resourceId: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/emulator/providers/Microsoft.Web/sites/hybrid-spa-bff',
        systemAssigned: true,
      },
      {
        clientId: UNAUTHORIZED_MI_CLIENT_ID,
        principalId: '9d3a8ebf-f5ac-4b1a-9369-be3f5a7b9c10',
        resourceId: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/emulator/providers/Microsoft.ManagedIdentity/userAssignedIdentities/no-vault-access',
        systemAssigned: false,
      },
    ],
    vault: {
      secrets: [
        {
          name: EMULATOR_DEFAULTS.keyVaultSecretName,
          value: 'hello-from-key-vault',
          version: '4387e9f3d6e14c459867679a90fd0f79',
          created: 1_735_689_600,
          enabled: true,
          tags: { purpose: 'demo' },
        },
      ],
      secretReaders: ['8c2f7dae-e49b-4a0f-8258-ad2e4f6a8b09'],
    },
    consents: ['adele', 'alex', 'bobby', 'gina', 'pat'].map((userKey) => ({
      userKey,
      clientId: EMULATOR_DEFAULTS.clientId,
      scopes: [...SEEDED_CONSENT],
    })),
  };
}
