import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { MAX_ROWS, readCsv } from './read-csv.ts';

const CSV = 'UPN,Surname,Forename\nA123,O’Brien,Zoë\nB456,"Smith, Jr",Ann\n';
const message = (r: ReturnType<typeof readCsv>) => (r.ok ? 'read' : r.message);

describe('reading an uploaded file', () => {
  it('reads UTF-8 with and without a byte order mark, and Windows-1252', () => {
    for (const data of [
      Buffer.from(CSV, 'utf8'),
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CSV, 'utf8')]),
      iconv.encode(CSV, 'win1252'),
      Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(CSV, 'utf-16le')]),
    ]) {
      const result = readCsv('pupils.csv', data);
      if (!result.ok) throw new Error(result.message);
      expect(result.source.headings).toEqual(['UPN', 'Surname', 'Forename']);
      expect(result.source.rows).toEqual([
        { line: 2, cells: ['A123', 'O’Brien', 'Zoë'] },
        { line: 3, cells: ['B456', 'Smith, Jr', 'Ann'] },
      ]);
    }
    expect(readCsv('p.csv', iconv.encode(CSV, 'win1252'))).toMatchObject({ encoding: 'windows-1252' });
    expect(readCsv('p.csv', Buffer.from(CSV))).toMatchObject({ encoding: 'utf-8' });
  });

  it('gives each row the line it starts on, across blank lines, Windows line endings and quoted line breaks', () => {
    const result = readCsv(
      'p.csv',
      Buffer.from('UPN;Surname\r\n\r\nA1;"Two\r\nlines"\r\nA2;Ng\r\n;\r\nA3;Last'),
    );
    if (!result.ok) throw new Error(result.message);
    expect(result.delimiter).toBe(';');
    expect(result.source.rows.map((r) => [r.line, r.cells[0]])).toEqual([
      [3, 'A1'],
      [5, 'A2'],
      [7, 'A3'],
    ]);
  });

  it('refuses what is not a CSV file, in plain words', () => {
    expect(message(readCsv('empty.csv', Buffer.alloc(0)))).toBe('The file empty.csv is empty');
    expect(message(readCsv('blank.csv', Buffer.from('\n\n  \n')))).toBe('The file blank.csv is empty');
    expect(message(readCsv('pupils.xlsx', Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3])))).toMatch(
      /^pupils.xlsx is a spreadsheet workbook, not a CSV file: open it in Excel/,
    );
    expect(message(readCsv('old.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1])))).toMatch(/workbook/);
    expect(message(readCsv('report.pdf', Buffer.from('%PDF-1.7\n')))).toMatch(/is a PDF/);
    expect(
      message(readCsv('photo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]))),
    ).toMatch(/^photo.png is not a CSV file/);
    expect(message(readCsv('h.csv', Buffer.from('UPN,Surname\n')))).toBe(
      'h.csv has column headings but no pupils',
    );
    expect(message(readCsv('one.csv', Buffer.from('Name\nAnn\n')))).toMatch(/it has only one column/);
    expect(message(readCsv('q.csv', Buffer.from('UPN,Surname\nA1,"Unclosed\nA2,Ng\n')))).toMatch(
      /^q.csv could not be read as a CSV file: a quotation mark is opened and never closed/,
    );
    const wide = `${Array.from({ length: 201 }, (_, i) => `C${i}`).join(',')}\n${'x,'.repeat(200)}x\n`;
    expect(message(readCsv('wide.csv', Buffer.from(wide)))).toMatch(
      /^wide.csv has 201 columns: a pupil export has far fewer/,
    );
    // A NUL past the first 64 KB (where binary files are told from text) refuses the file whole too.
    const late = `UPN,Surname\n${'A1,Smith\n'.repeat(10_000)}A2,Ng\u0000\n`;
    expect(message(readCsv('late.csv', Buffer.from(late)))).toBe(
      'late.csv holds a control character (NUL) on line 10002, which a CSV export never contains: export it again from the MIS as CSV and upload that file',
    );
    const many = `UPN,Surname\n${'A,B\n'.repeat(MAX_ROWS + 1)}`;
    expect(message(readCsv('big.csv', Buffer.from(many)))).toMatch(/a file can have up to 20,000 pupils/);
  });

  it('names a stray control character and its line, wherever it is, instead of calling the file not a CSV', () => {
    const cases: [string, string, string, number][] = [
      ['cell', 'UPN,Surname,Forename\nA123,Smi\u0000th,Ann\nB456,Ng,Bo\n', 'NUL', 2],
      ['heading', 'UPN,Sur\u0007name,Forename\nA123,Smith,Ann\n', 'BEL', 1],
      ['unused column', 'UPN,Surname,Forename,Notes\nA123,Smith,Ann,\nB456,Ng,Bo,\u0007\n', 'BEL', 3],
      ['quoted line break', 'UPN,Surname\nA1,"Two\nli\u0000nes"\n', 'NUL', 3],
    ];
    for (const [where, csv, name, line] of cases) {
      expect(message(readCsv('pupils.csv', Buffer.from(csv))), where).toBe(
        `pupils.csv holds a control character (${name}) on line ${line}, which a CSV export never contains: export it again from the MIS as CSV and upload that file`,
      );
    }
    // The same in Windows-1252 and in UTF-16 with its mark.
    const bel = 'UPN,Surname\nA1,Zoë\u0007\n';
    expect(message(readCsv('w.csv', iconv.encode(bel, 'win1252')))).toMatch(
      /^w.csv holds a control character \(BEL\) on line 2/,
    );
    expect(
      message(readCsv('u.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(bel, 'utf-16le')]))),
    ).toMatch(/^u.csv holds a control character \(BEL\) on line 2/);
  });

  it('reads UTF-16 saved without its byte order mark, little- and big-endian', () => {
    for (const encoding of ['utf-16le', 'utf-16be']) {
      const result = readCsv('pupils.csv', iconv.encode(CSV, encoding));
      if (!result.ok) throw new Error(`${encoding}: ${result.message}`);
      expect(result.encoding).toBe('utf-16');
      expect(result.source.headings).toEqual(['UPN', 'Surname', 'Forename']);
      expect(result.source.rows[0]).toEqual({ line: 2, cells: ['A123', 'O’Brien', 'Zoë'] });
    }
    // A file with zero bytes that is not UTF-16 text is still refused as not a CSV file.
    const zeros = Buffer.from([0x00, 0x00, 0x01, 0x00, 0x02, 0x00, 0x10, 0x10, 0x00, 0x00, 0x00, 0x01]);
    expect(message(readCsv('icon.ico', zeros))).toMatch(/^icon.ico is not a CSV file/);
  });
});
