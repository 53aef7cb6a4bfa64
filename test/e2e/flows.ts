// Scenario building blocks shared by the e2e specs: sign in to the profile page, read what the page shows.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import type { BrowserSession } from './harness';

export interface SignInResult {
  /** Date.now() when the browser requested /auth/callback. */
  callbackAt: number;
  /** Date.now() when the profile name and the contacts were both on screen. */
  renderedAt: number;
}

/** Expected profile data of seeded users (name, sign-in name, contact names). */
export const USERS = {
  adele: {
    name: 'Adele Vance',
    username: 'adele.vance@contoso.example',
    contacts: ['Megan Bowen', 'Nestor Wilke', 'Lee Gu', 'Rob Young'],
  },
  alex: {
    name: 'Alex Wilber',
    username: 'alex.wilber@contoso.example',
    contacts: ['Adele Vance', 'Diego Siciliani', 'Maya Ortiz'],
  },
  bobby: {
    name: `Robert "Bobby" </script><script>alert(1)</script> O'Hara`,
    username: 'bobby@contoso.example',
    contacts: ['Eve <img src=x onerror=alert(2)>', "Mallory O'Brien", 'Trent Trusted'],
  },
  pat: {
    name: 'Pat Personal',
    username: 'pat@outlook.example',
    contacts: ['Sam Sibling', 'Terry Tennis', 'Alex Wilber'],
  },
} as const;
export type UserKey = keyof typeof USERS;

/** Waits for the profile page to show a name and at least one contact. */
export async function waitForProfile(page: Page): Promise<void> {
  await page.getByTestId('profile-name').waitFor({ state: 'visible', timeout: 30_000 });
  await page.getByTestId('contact-item').first().waitFor({ state: 'visible', timeout: 30_000 });
}

export async function profileName(page: Page): Promise<string> {
  return (await page.getByTestId('profile-name').textContent()) ?? '';
}

/** The contacts' display names, as rendered (the <strong> of each item). */
export async function contactNames(page: Page): Promise<string[]> {
  return page.getByTestId('contact-item').locator('strong').allTextContents();
}

export async function expectProfileOf(page: Page, user: UserKey): Promise<void> {
  await waitForProfile(page);
  expect(await profileName(page), 'profile name').to.equal(USERS[user].name);
  expect(await contactNames(page), 'contacts').to.have.members([...USERS[user].contacts]);
}

/** Opens /, goes to Profile, signs in as `user` from there and waits for the profile and contacts. */
export async function signInToProfile(
  session: BrowserSession,
  user: UserKey,
  page: Page = session.page,
): Promise<SignInResult> {
  await page.goto(`${session.appUrl}/`);
  await page.getByTestId('auth-status').waitFor();
  await page.getByTestId('nav-profile').click();
  await page.getByTestId('sign-in-prompt').waitFor();
  const callbackAt = await session.signIn(page, user);
  await waitForProfile(page);
  const renderedAt = Date.now();
  await expectProfileOf(page, user);
  return { callbackAt, renderedAt };
}

/** Goes to Home inside the SPA (no page load) and returns the auth status and token source it shows. */
export async function homeFacts(
  page: Page,
): Promise<{ status: string | null; source: string | null; user: string | null }> {
  await page.getByTestId('nav-home').click();
  const status = page.getByTestId('auth-status');
  await status.waitFor();
  return {
    status: await status.getAttribute('data-status'),
    source: await page.getByTestId('token-source').getAttribute('data-source'),
    user: await page.getByTestId('home-user').textContent(),
  };
}

export function expectNoProblems(session: BrowserSession): void {
  expect(session.problems(), 'CSP violations, page errors, dialogs or popups').to.deep.equal([]);
}
