import { describe, expect, it } from 'vitest';
import { xlsxOf } from '../../test/support/xlsx.js';
import { syntheticNhsNumber } from '../people/identifiers.js';
import { intakeKinds } from './kinds.js';
import { readPartnerFile } from './read-file.js';
import { checkRow, readDate, rowKey, suggestMapping } from './validate.js';

const police = intakeKinds['police-missing'];

describe('reading a partner’s file', () => {
  it('reads CSV with quotes, a byte-order mark and blank lines', async () => {
    const file = await readPartnerFile(
      'missing.csv',
      Buffer.from(
        '\uFEFFReference,Surname,Circumstances\nP-1,"O\'Neill","Left school, did not return"\n\n',
      ),
    );
    expect(file).toEqual({
      headers: ['Reference', 'Surname', 'Circumstances'],
      rows: [['P-1', "O'Neill", 'Left school, did not return']],
    });
  });

  it('reads an Excel workbook, dates as days', async () => {
    const content = await xlsxOf([
      ['Reference', 'Date of birth', 'Sessions'],
      ['P-2', new Date(Date.UTC(2014, 2, 27)), 12],
    ]);
    const file = await readPartnerFile('missing.xlsx', content);
    expect(file.rows).toEqual([['P-2', '2014-03-27', '12']]);
  });

  it('says what is wrong with a file it cannot use', async () => {
    await expect(readPartnerFile('a.csv', Buffer.alloc(0))).rejects.toThrow(
      'The selected file is empty',
    );
    await expect(readPartnerFile('a.xls', Buffer.from('x'))).rejects.toThrow(/not \.xls/);
    await expect(readPartnerFile('a.csv', Buffer.from('Reference\n'))).rejects.toThrow(
      'The file has headings but no rows under them',
    );
    await expect(readPartnerFile('a.xlsx', Buffer.from('not a workbook'))).rejects.toThrow(
      /could not be read as an Excel workbook/,
    );
  });
});

describe('checking a row', () => {
  const good = {
    reference: 'KP/26/1183',
    givenName: 'Ellis',
    familyName: 'Threlfall',
    dateOfBirth: '9/4/2011',
    sex: 'F',
    postcode: 'ct11ab',
    nhsNumber: syntheticNhsNumber(4),
    missingFrom: '2026-02-01',
    returnedOn: '02/02/2026',
  };

  it('keeps each value in one form: dates, postcodes, sex', () => {
    const { values, errors } = checkRow(police, good);
    expect(errors).toEqual([]);
    expect(values).toMatchObject({
      dateOfBirth: '2011-04-09',
      sex: 'female',
      postcode: 'CT1 1AB',
      returnedOn: '2026-02-02',
    });
  });

  it('names the column and says what to do, for every problem in the row', () => {
    const { errors } = checkRow(police, {
      ...good,
      givenName: '',
      dateOfBirth: '31/02/2011',
      sex: 'Q',
      returnedOn: '2026-01-01',
    });
    expect(errors).toEqual([
      { field: 'givenName', message: 'Enter the given name' },
      { field: 'dateOfBirth', message: 'Enter the date of birth as a real date, like 27/03/2015' },
      { field: 'sex', message: 'Sex must be female, male or not known (F, M or U)' },
      {
        field: 'returnedOn',
        message: 'The date returned must be on or after the date reported missing',
      },
    ]);
  });

  it('reads UK day-first dates and refuses impossible ones', () => {
    expect(readDate('27/03/2015')).toBe('2015-03-27');
    expect(readDate('1.2.2020')).toBe('2020-02-01');
    expect(readDate('2020-2-1')).toBe('2020-02-01');
    expect(readDate('29/02/2023')).toBeNull();
    expect(readDate('March 2015')).toBeNull();
  });

  it('keys a row by its reference, whatever else changed', () => {
    const a = checkRow(police, good).values;
    const b = checkRow(police, { ...good, givenName: 'Elis' }).values;
    expect(rowKey(police, a)).toBe(rowKey(police, b));
    expect(rowKey(police, a)).not.toBe(rowKey(police, { ...a, reference: 'KP/26/1184' }));
  });

  it('maps headings by name, case and punctuation ignored', () => {
    expect(
      suggestMapping(police, ['Incident Number', 'FIRST_NAME', 'surname', 'D.O.B', 'Missing from']),
    ).toEqual({
      reference: 'Incident Number',
      givenName: 'FIRST_NAME',
      familyName: 'surname',
      dateOfBirth: 'D.O.B',
      missingFrom: 'Missing from',
    });
  });
});
