// Generated open-redirect candidates: slashes, backslashes, dots, percent-encodings, Unicode slashes, whitespace and
// controls (shared by the BFF's returnTo property tests and the SPA's isNavigableUrl test).
import fc from 'fast-check';

const PIECES = [
  '/',
  '//',
  '\\',
  '.',
  '..',
  '/.',
  '/..',
  '%',
  '%2e',
  '%2E',
  '%2f',
  '%2F',
  '%5c',
  '%5C',
  '2e',
  '2f',
  '5c',
  '%25',
  '%252e',
  '%252f',
  'evil.com',
  '@evil.com',
  'a',
  'mail',
  'auth',
  'api',
  '%61pi',
  '?',
  '#',
  '=',
  ':',
  ';',
  '&',
  '\uff0f',
  '\u2215',
  '\u2044',
  '\u29f8',
  '\ufe68',
  '\uff3c',
  '\u3002',
  '\uff0e',
  ' ',
  '\t',
  '\n',
  '\r',
  '\u00a0',
  '\u2028',
  '\u2029',
  '\u3000',
  '\ufeff',
  '\u200b',
  '%20',
  '%09',
  '%0a',
  '%00',
  '\u0000',
  '\u001f',
  '\u007f',
  '\u0085',
];

/** Ordinary path characters, so that enough values get accepted for the property to mean something. */
const BENIGN = ['a', 'mail', 'x-1', '/', '?', '=', '#', '_', '~'];

/** Mostly slash-led values (the ones that get past the first checks), some starting with anything. */
export const hostileReturnTo: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom('/', '/', '/', '/.', '/..', '//', '\\', '%2f', ''),
    fc.array(
      fc.oneof(
        { arbitrary: fc.constantFrom(...PIECES), weight: 3 },
        { arbitrary: fc.constantFrom(...BENIGN), weight: 2 },
      ),
      { minLength: 1, maxLength: 10 },
    ),
  )
  .map(([start, parts]) => start + parts.join(''));
