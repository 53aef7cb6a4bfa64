import { expect } from 'chai';
import { renderBootstrapElement, serializeJsonForHtml } from '../../bff/bootstrap/serializeBootstrap';
import { compileIndexTemplate } from '../../bff/bootstrap/indexTemplate';
import { INDEX_HTML, parseBootstrapHtml } from '../helpers/testApp';

const HOSTILE_NAME = 'Robert "Bobby" </script><script>alert(1)</script> O\'Hara \u2028\u2029 & <!-- -->';

describe('bootstrap serializer', () => {
  it('renders a hostile display name as inert JSON that round-trips through JSON.parse', () => {
    const payload = { account: { name: HOSTILE_NAME }, spaCode: 'a=b&c<d>' };
    const html = compileIndexTemplate(INDEX_HTML).render(renderBootstrapElement(payload), 'n0nce');
    expect(html.match(/<\/script>/g)).to.have.length(2); // the bootstrap element's own and the bundle's
    expect(html).not.to.contain('<script>alert');
    expect(html).not.to.contain('\u2028');
    expect(html).not.to.contain('\u2029');
    expect(html).not.to.contain('<!--');
    expect(parseBootstrapHtml(html)).to.deep.equal(payload);
  });

  it('escapes <, >, &, U+2028 and U+2029 as \\u sequences', () => {
    expect(serializeJsonForHtml('<>&\u2028\u2029')).to.equal('"\\u003c\\u003e\\u0026\\u2028\\u2029"');
  });

  it('refuses a template without the bootstrap marker', () => {
    expect(() => compileIndexTemplate('<html><head></head></html>')).to.throw(/BFF_BOOTSTRAP/);
  });
});
