import { expect } from 'chai';
import { compileIndexTemplate } from '../../bff/bootstrap/indexTemplate';
import { BOOTSTRAP_PLACEHOLDER } from '../../shared-types/bootstrap';

describe('index template', () => {
  const html =
    `<head><title>x</title>${BOOTSTRAP_PLACEHOLDER}<link rel="icon" href="/favicon.svg"><script defer src="/main.js"></script>` +
    '<link href="/main.css" rel="stylesheet"><link rel="preload" as="script" href="/msal.js"><link rel="preload" as="style" href="/x.css"></head>' +
    '<body><SCRIPT src="/late.js"></SCRIPT></body>';

  it('puts the nonce on every script and every script preload (strict-dynamic blocks a preload without it), and on nothing else', () => {
    const out = compileIndexTemplate(html).render(
      '<script type="application/json" id="bootstrap">{}</script>',
      'N0nce',
    );
    expect(out).to.contain('<script nonce="N0nce" defer src="/main.js">');
    expect(out).to.contain('<SCRIPT nonce="N0nce" src="/late.js">');
    expect(out).to.contain('<link nonce="N0nce" rel="preload" as="script" href="/msal.js">');
    expect(out).to.contain('<link rel="preload" as="style" href="/x.css">');
    expect(out).to.contain('<link rel="icon" href="/favicon.svg">');
    expect(out).to.contain('<link href="/main.css" rel="stylesheet">');
    expect(out.match(/nonce=/g)).to.have.length(3);
  });

  it('gives each page its own nonce (the template is compiled once)', () => {
    const template = compileIndexTemplate(html);
    expect(template.render('', 'a')).not.to.contain('nonce="b"');
    expect(template.render('', 'b')).not.to.contain('nonce="a"');
  });
});
