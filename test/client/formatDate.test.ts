import { expect } from 'chai';
import fc from 'fast-check';
import { formatDateTime } from '../../client/components/formatDate';

describe('formatDateTime', () => {
  it('shows day and minute, never seconds, in any locale (property)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1990-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
        fc.constantFrom('en-US', 'en-GB', 'de-DE', 'fr-FR', 'ja-JP', 'sv-SE'),
        (date, locale) => {
          const text = formatDateTime(date.toISOString(), locale, 'UTC');
          const withSeconds = date.toLocaleTimeString(locale, {
            timeZone: 'UTC',
            hour: '2-digit',
            minute: '2-digit',
            second: '2-digit',
          });
          const toTheMinute = date.toLocaleTimeString(locale, { timeZone: 'UTC', timeStyle: 'short' });
          expect(text).not.to.contain(withSeconds);
          expect(text).to.contain(toTheMinute);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('returns what it was given when that is not a date', () => {
    expect(formatDateTime('not a date')).to.equal('not a date');
  });
});
