import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MrzError } from './errors.ts';
import { bacMrzInformation, cccdCan, cccdDocumentNumber, cccdMrzInformation, checkDigit, ddmmyyyyToYymmdd } from './mrz.ts';

const isMrzError = (code: MrzError['code']) => (e: unknown) => e instanceof MrzError && e.code === code;

describe('check digits', () => {
  it('matches ICAO 9303 examples', () => {
    assert.equal(checkDigit('L898902C<'), 3); // Part 11 Appendix D document number
    assert.equal(checkDigit('690806'), 1);
    assert.equal(checkDigit('940623'), 6);
    assert.equal(checkDigit('520727'), 3); // 9303-3 example date
    assert.equal(checkDigit('<<<<'), 0);
  });

  it('rejects characters outside the MRZ set', () => {
    assert.throws(() => checkDigit('l898'), isMrzError('bad-character'));
    assert.throws(() => checkDigit('AB C'), isMrzError('bad-character'));
  });
});

describe('BAC MRZ information', () => {
  it('reproduces the Part 11 Appendix D MRZ_information', () => {
    assert.equal(bacMrzInformation('L898902C', '690806', '940623'), 'L898902C<369080619406236');
  });

  it('builds the CCCD MRZ information from the 12-digit ID (synthetic card in the notes)', () => {
    assert.equal(cccdDocumentNumber('001090012345'), '090012345');
    assert.equal(cccdMrzInformation('001090012345', '900115', '300115'), '090012345090011583001156');
  });

  it('gives the CAN as the last 6 digits of the ID', () => {
    assert.equal(cccdCan('001090012345'), '012345');
  });

  it('validates inputs with typed errors', () => {
    assert.throws(() => bacMrzInformation('', '690806', '940623'), isMrzError('bad-document-number'));
    assert.throws(() => bacMrzInformation('L898-902', '690806', '940623'), isMrzError('bad-document-number'));
    assert.throws(() => bacMrzInformation('L898902C', '691306', '940623'), isMrzError('bad-date'));
    assert.throws(() => bacMrzInformation('L898902C', '690800', '940623'), isMrzError('bad-date'));
    assert.throws(() => bacMrzInformation('L898902C', '690806', '940631'), isMrzError('bad-date')); // June 31
    assert.throws(() => bacMrzInformation('L898902C', '69086', '940623'), isMrzError('bad-date'));
    assert.throws(() => cccdMrzInformation('00109001234', '900115', '300115'), isMrzError('bad-id-number'));
    assert.throws(() => cccdCan('00109001234X'), isMrzError('bad-id-number'));
  });

  it('converts printed dd/mm/yyyy dates to YYMMDD', () => {
    assert.equal(ddmmyyyyToYymmdd('15/01/1990'), '900115');
    assert.throws(() => ddmmyyyyToYymmdd('1990-01-15'), isMrzError('bad-date'));
    assert.throws(() => ddmmyyyyToYymmdd('32/01/1990'), isMrzError('bad-date'));
  });
});
