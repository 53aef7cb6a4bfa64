// Row 7: the SPA's first load in Chromium on a slow phone — 4× CPU throttling and a "Slow 4G" network (150 ms RTT,
// 1.6 Mbit/s down, 750 kbit/s up, Lighthouse's mobile profile). The sign-in up to the BFF callback is scripted (no
// browser, no throttling); Chromium then opens the callback URL, so everything measured is the app's own origin plus
// the SPA's token request and Graph calls: first contentful paint of the landing page and callback → profile rendered.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { signInUntilCallback } from './browser';
import { median } from './stats';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export const SLOW_NETWORK = { latencyMs: 150, downloadKbps: 1_600, uploadKbps: 750 } as const;
export const CPU_SLOWDOWN = 4;

export interface FirstLoadRun {
  /** First contentful paint of the landing page, ms from its navigation start. */
  fcpMs: number;
  /** Date.now() from the browser requesting /auth/callback to the profile name being visible. */
  callbackToProfileMs: number;
  /** Bytes of JavaScript the landing page had finished downloading by its first contentful paint (as sent: the BFF
   *  serves JS uncompressed, so this is the raw size). */
  jsBeforeFcpBytes: number;
}

export interface FirstLoadResult {
  runs: number;
  cpuSlowdown: number;
  network: typeof SLOW_NETWORK;
  fcpMedianMs: number;
  callbackToProfileMedianMs: number;
  samples: FirstLoadRun[];
}

export interface FirstLoadOptions {
  bffUrl: string;
  user: string;
  runs: number;
  /** The emulator certificate's SPKI hash: Chromium trusts exactly that certificate. */
  spkiHash: string;
}

/** Null when Chromium is not installed (the row then says "not run"). */
export async function measureFirstLoad(o: FirstLoadOptions): Promise<FirstLoadResult | null> {
  if (!existsSync(CHROMIUM_PATH)) return null;
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      `--ignore-certificate-errors-spki-list=${o.spkiHash}`,
    ],
  });
  try {
    const samples: FirstLoadRun[] = [];
    // One unmeasured run first: Chromium's own start-up work would otherwise land in the first sample.
    await oneRun(browser, o);
    for (let i = 0; i < o.runs; i++) samples.push(await oneRun(browser, o));
    return {
      runs: o.runs,
      cpuSlowdown: CPU_SLOWDOWN,
      network: SLOW_NETWORK,
      fcpMedianMs: median(samples.map((s) => s.fcpMs)),
      callbackToProfileMedianMs: median(samples.map((s) => s.callbackToProfileMs)),
      samples,
    };
  } finally {
    await browser.close();
  }
}

async function oneRun(browser: Browser, o: FirstLoadOptions): Promise<FirstLoadRun> {
  const pending = await signInUntilCallback(o.bffUrl, o.user, '/profile');
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  try {
    await context.addCookies(
      [...pending.browser.jar(new URL(o.bffUrl).origin)].map(([name, value]) => ({ name, value, url: o.bffUrl })),
    );
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: SLOW_NETWORK.latencyMs,
      downloadThroughput: (SLOW_NETWORK.downloadKbps * 1000) / 8,
      uploadThroughput: (SLOW_NETWORK.uploadKbps * 1000) / 8,
    });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
    const callbackAt = Date.now();
    await page.goto(pending.callbackUrl, { waitUntil: 'commit', timeout: 60_000 });
    await page.getByTestId('profile-name').waitFor({ state: 'visible', timeout: 120_000 });
    const renderedAt = Date.now();
    const paint = await page.evaluate(() => {
      const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN;
      const js = (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
        .filter((r) => new URL(r.name).pathname.endsWith('.js') && r.responseEnd <= fcp)
        .reduce((sum, r) => sum + r.transferSize, 0);
      return { fcp, js };
    });
    if (!Number.isFinite(paint.fcp)) throw new Error('the landing page reported no first-contentful-paint entry');
    return { fcpMs: paint.fcp, callbackToProfileMs: renderedAt - callbackAt, jsBeforeFcpBytes: paint.js };
  } finally {
    await context.close();
  }
}
