// Scenario 9: the features the BFF serves with its own tokens: read mail, send mail (incremental consent), Key Vault.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { expectNoProblems, signInToProfile } from './flows';
import { openSession, stack } from './setup';

async function fillDraft(page: Page, draft: { to: string; subject: string; body: string }): Promise<void> {
  await page.getByTestId('send-to').fill(draft.to);
  await page.getByTestId('send-subject').fill(draft.subject);
  await page.getByTestId('send-body').fill(draft.body);
}

describe('e2e: server-side features', () => {
  it('9. reads mail, asks for Mail.Send consent once and then sends (the emulator outbox holds the message), and shows the Key Vault secret', async () => {
    const session = await openSession('adele');
    await signInToProfile(session, 'adele');
    const page = session.page;
    const admin = stack().emulator.admin;

    // Read mail: the BFF calls Graph with its own token; the first page has 10 of adele's 25 messages.
    await page.getByTestId('nav-mail').click();
    await page.getByTestId('mail-item').first().waitFor();
    expect(await page.getByTestId('mail-item').count(), 'messages on page 1').to.equal(10);
    expect(await page.getByTestId('mail-subject').allTextContents()).to.include('Q3 marketing plan review');
    const firstPage = await page.getByTestId('mail-subject').allTextContents();
    await page.getByTestId('mail-next').click();
    await page.waitForFunction((before) => {
      const now = [...document.querySelectorAll('[data-testid="mail-subject"]')].map((e) => e.textContent);
      return now.length > 0 && now.join('|') !== before;
    }, firstPage.join('|'));
    const secondPage = await page.getByTestId('mail-subject').allTextContents();
    expect(
      secondPage.filter((s) => firstPage.includes(s)),
      'page 2 repeats page 1',
    ).to.deep.equal([]);

    // Send mail: the first attempt needs Mail.Send, which adele never granted → consent banner, consent screen, back.
    const draft = {
      to: 'megan.bowen@contoso.example',
      subject: `e2e hello ${Date.now()}`,
      body: 'Sent by the browser test.',
    };
    await page.getByTestId('nav-send-mail').click();
    await fillDraft(page, draft);
    await page.getByTestId('send-button').click();
    await page.getByTestId('consent-banner').waitFor();
    expect(admin.outbox(), 'outbox before consent').to.deep.equal([]);

    const beforeConsent = session.mark();
    await page.getByTestId('grant-consent-button').click();
    await page.locator('#consentForm').waitFor();
    expect(
      await page
        .locator('#consentScopes [data-scope]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-scope'))),
    ).to.include('Mail.Send');
    await page.locator('#consentForm #idSIButton9').click();
    await page.waitForURL((url) => url.origin === new URL(session.appUrl).origin && url.pathname === '/mail/send');
    await page.getByTestId('draft-restored').waitFor();
    expect(await page.getByTestId('draft-restored').textContent(), 'told what to do next').to.contain(
      'Permission granted — press Send',
    );
    expect(await page.getByTestId('send-subject').inputValue(), 'restored subject').to.equal(draft.subject);
    await page.getByTestId('send-button').click();
    await page.getByTestId('send-status').waitFor();
    expect(await page.getByTestId('send-status').textContent()).to.include(draft.to);

    const outbox = admin.outbox();
    expect(outbox, 'outbox after sending').to.have.length(1);
    expect(outbox[0]).to.include({ from: 'adele.vance@contoso.example', userKey: 'adele' });
    expect(outbox[0]!.message.subject).to.equal(draft.subject);
    expect(outbox[0]!.message.toRecipients.map((r) => r.emailAddress.address)).to.deep.equal([draft.to]);

    // A second message goes straight out: consent was asked once.
    const afterConsent = session.mark();
    await fillDraft(page, { ...draft, subject: `${draft.subject} (2)` });
    await page.getByTestId('send-button').click();
    await page.getByTestId('send-status').waitFor();
    await page.waitForFunction(
      () => (document.querySelector('[data-testid="send-subject"]') as HTMLInputElement | null)?.value === '',
    );
    expect(admin.outbox().map((m) => m.message.subject)).to.deep.equal([draft.subject, `${draft.subject} (2)`]);
    expect(session.authorityNavigations(afterConsent), 'authority navigations for the second message').to.deep.equal(
      [],
    );
    const consentScreens = session
      .authorityNavigations(beforeConsent)
      .filter((r) => r.method === 'POST' && new URL(r.url).pathname.endsWith('/consent'));
    expect(consentScreens, 'consent screens accepted').to.have.length(1);
    expect(await page.getByTestId('consent-banner').count()).to.equal(0);

    // Key Vault: the BFF reads the seeded secret with its managed identity; the browser never talks to the vault.
    await page.getByTestId('nav-secret').click();
    await page.getByTestId('secret-value').waitFor();
    expect(await page.getByTestId('secret-name').textContent()).to.equal('demo-secret');
    expect(await page.getByTestId('secret-value').textContent()).to.equal('hello-from-key-vault');
    const vaultOrigin = new URL(stack().emulator.urls.keyVault).origin;
    expect(
      session.requests.filter((r) => r.url.startsWith(vaultOrigin)),
      'browser requests to Key Vault',
    ).to.deep.equal([]);
    expectNoProblems(session);
  });
});
