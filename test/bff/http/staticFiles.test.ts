// The SPA's static files: the build's precompressed copies (x.js.br, x.js.gz) are sent by Accept-Encoding, and whatever
// the browser asks for, what it decodes is exactly the file.
import { expect } from 'chai';
import fc from 'fast-check';
import Koa from 'koa';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request, type Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { createStaticFiles } from '../../../bff/http/staticFiles';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

describe('static files: precompressed copies by Accept-Encoding', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hsb-static-'));
  const big = Buffer.from(`console.log(${JSON.stringify('hybrid '.repeat(2_000))});\n`);
  const small = Buffer.from('/* tiny */\n');
  let server: Server;
  let port: number;

  before(async () => {
    writeFileSync(join(dir, 'app.0123abcd.js'), big);
    writeFileSync(join(dir, 'app.0123abcd.js.br'), brotliCompressSync(big));
    writeFileSync(join(dir, 'app.0123abcd.js.gz'), gzipSync(big));
    writeFileSync(join(dir, 'only-gzip.0123abcd.css'), big);
    writeFileSync(join(dir, 'only-gzip.0123abcd.css.gz'), gzipSync(big));
    writeFileSync(join(dir, 'tiny.0123abcd.js'), small); // below the build's threshold: no copies
    writeFileSync(join(dir, 'logo.png'), big); // not a compressible type: copies are never looked for
    writeFileSync(join(dir, 'logo.png.br'), brotliCompressSync(big));
    const app = new Koa();
    // As in the app: a client that closes once it has Content-Length bytes races the file stream's end ("Premature
    // close"), which Koa would print.
    app.silent = true;
    app.use(createStaticFiles(dir));
    server = createServer(app.callback());
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    await new Promise<void>((ok) => server.close(() => ok()));
    rmSync(dir, { recursive: true, force: true });
  });

  /** A raw request (node:http never decodes), so the test sees the bytes on the wire. */
  function get(path: string, acceptEncoding?: string, method = 'GET'): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path,
          method,
          agent: false,
          headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
          );
        },
      );
      req.on('error', reject);
      req.end();
    });
  }

  const decode = (a: Answer): Buffer =>
    a.headers['content-encoding'] === 'br'
      ? brotliDecompressSync(a.body)
      : a.headers['content-encoding'] === 'gzip'
        ? gunzipSync(a.body)
        : a.body;

  it('sends brotli to a browser (gzip, deflate, br, zstd), gzip when only that is accepted, the file as is otherwise', async () => {
    const cases: Array<[string | undefined, string | undefined]> = [
      ['gzip, deflate, br, zstd', 'br'],
      ['br', 'br'],
      ['gzip', 'gzip'],
      ['br;q=0, gzip', 'gzip'],
      ['gzip;q=0.8, br;q=0', 'gzip'],
      ['*', 'br'],
      ['identity', undefined],
      ['br;q=0.5, identity', undefined],
      ['deflate', undefined],
      [undefined, undefined],
      ['', undefined],
    ];
    for (const [accept, expected] of cases) {
      const a = await get('/app.0123abcd.js', accept);
      expect(a.status, `${accept}`).to.equal(200);
      expect(a.headers['content-encoding'], `Content-Encoding for "${accept}"`).to.equal(expected);
      expect(decode(a).equals(big), `decoded body for "${accept}"`).to.equal(true);
      expect(Number(a.headers['content-length']), `Content-Length for "${accept}"`).to.equal(a.body.length);
      expect(a.headers.vary, `Vary for "${accept}"`).to.match(/Accept-Encoding/i);
      expect(a.headers['content-type']).to.match(/javascript/);
      expect(a.headers['cache-control']).to.equal('public, max-age=31536000, immutable');
    }
  });

  it('falls back to the copy that exists, and sends small or non-text files as they are', async () => {
    const css = await get('/only-gzip.0123abcd.css', 'gzip, deflate, br');
    expect(css.headers['content-encoding']).to.equal('gzip');
    expect(css.headers['content-type']).to.match(/text\/css/);
    expect(gunzipSync(css.body).equals(big)).to.equal(true);

    const tiny = await get('/tiny.0123abcd.js', 'gzip, deflate, br');
    expect(tiny.headers['content-encoding']).to.equal(undefined);
    expect(tiny.body.equals(small)).to.equal(true);

    const png = await get('/logo.png', 'br');
    expect(png.headers['content-encoding']).to.equal(undefined);
    expect(png.headers.vary).to.equal(undefined);
    expect(png.body.equals(big)).to.equal(true);
  });

  it('HEAD answers the headers of the encoded file without a body', async () => {
    const head = await get('/app.0123abcd.js', 'br', 'HEAD');
    expect(head.status).to.equal(200);
    expect(head.headers['content-encoding']).to.equal('br');
    expect(Number(head.headers['content-length'])).to.equal(brotliCompressSync(big).length);
    expect(head.body.length).to.equal(0);
  });

  it('for any Accept-Encoding, the decoded body is the file, in an encoding the header accepts (property)', async () => {
    const token = fc.constantFrom('br', 'gzip', 'deflate', 'identity', 'zstd', '*', 'BR', 'GZip', 'x-gzip');
    const q = fc.constantFrom('', ';q=0', ';q=0.0', ';q=0.1', ';q=0.5', ';q=1', ';q=1.0', ' ; q=0.3', ';q=abc');
    const header = fc.option(
      fc
        .array(
          fc.tuple(token, q).map(([t, w]) => `${t}${w}`),
          { maxLength: 5 },
        )
        .map((parts) => parts.join(', ')),
      { nil: undefined },
    );
    await fc.assert(
      fc.asyncProperty(header, async (accept) => {
        const a = await get('/app.0123abcd.js', accept);
        expect(a.status).to.equal(200);
        expect(decode(a).equals(big), 'decoded body').to.equal(true);
        const encoding = a.headers['content-encoding'];
        if (encoding !== undefined) {
          expect(encoding).to.be.oneOf(['br', 'gzip']);
          // Never an encoding the browser refused (q=0) or did not name (unless through *).
          const named = (accept ?? '')
            .split(',')
            .map((p) => p.trim().toLowerCase())
            .filter(Boolean);
          const accepted = named.some((p) => {
            const [name, ...params] = p.split(';').map((x) => x.trim());
            const qv = params.find((x) => x.startsWith('q='));
            const refused = qv !== undefined && Number(qv.slice(2)) === 0;
            return (name === encoding || name === '*') && !refused;
          });
          expect(accepted, `"${encoding}" for "${accept}"`).to.equal(true);
        }
      }),
      { numRuns: 500, seed: 7 },
    );
  });
});
