import { describe, expect, it } from 'vitest';
import {
  controlCharacterName,
  FILE_NAME_MAX,
  keepableText,
  lineAt,
  lineOfNul,
  uploadFileName,
  withoutHiddenCharacters,
} from './text.ts';

describe('hidden characters', () => {
  it('finds the line of the first NUL', () => {
    expect(lineOfNul('no nul here\nat all')).toBeNull();
    expect(lineOfNul('\u0000')).toBe(1);
    expect(lineOfNul('one\ntwo\nth\u0000ree\n\u0000')).toBe(3);
  });

  it('keeps a NUL as U+FFFD, which is itself refused as hidden, and changes nothing else', () => {
    expect(keepableText('Ann\u0000\tLee\n')).toBe('Ann\uFFFD\tLee\n');
    expect(withoutHiddenCharacters(keepableText('a\u0000b'), '')).toBe('ab');
  });

  it('names control characters the way a message says them, and finds the line of a character', () => {
    expect(controlCharacterName('\u0000')).toBe('NUL');
    expect(controlCharacterName('\u0007')).toBe('BEL');
    expect(controlCharacterName('\u001F')).toBe('US');
    expect(controlCharacterName('\u007F')).toBe('DEL');
    expect(controlCharacterName('\u0085')).toBe('U+0085');
    expect(lineAt('a\nb\nc', 0)).toBe(1);
    expect(lineAt('a\nb\nc', 2)).toBe(2);
    expect(lineAt('a\nb\nc', 4)).toBe(3);
  });
});

describe('the name of an uploaded file', () => {
  it('keeps an ordinary name as it is', () => {
    expect(uploadFileName('Pupils – Autumn 2026.csv', 'pupils.csv')).toBe('Pupils – Autumn 2026.csv');
    expect(uploadFileName('Zoë’s class.xml', 'transfer.xml')).toBe('Zoë’s class.xml');
  });

  it('keeps only the base name, never a folder', () => {
    expect(uploadFileName('../../etc/passwd', 'pupils.csv')).toBe('passwd');
    expect(uploadFileName('C:\\Users\\office\\pupils.csv', 'x')).toBe('pupils.csv');
    expect(uploadFileName('/', 'pupils.csv')).toBe('pupils.csv');
    expect(uploadFileName('..', 'pupils.csv')).toBe('pupils.csv');
    expect(uploadFileName('folder/..', 'transfer.xml')).toBe('transfer.xml');
  });

  it('drops control characters (line breaks and tabs too) and right-to-left overrides, and collapses spaces', () => {
    expect(uploadFileName('a\u0000b.xml', 'transfer.xml')).toBe('ab.xml');
    expect(uploadFileName('pupils\u0007\u001B.csv', 'x')).toBe('pupils.csv');
    expect(uploadFileName('report\u202Evsc.exe', 'x')).toBe('reportvsc.exe');
    expect(uploadFileName('a\u2066b\u2069\u200B.csv', 'x')).toBe('ab.csv');
    expect(uploadFileName('in\u0000\u202Ecoming\r\n.xml', 'x')).toBe('incoming.xml');
    expect(uploadFileName('two  spaces\u00A0 here.csv', 'x')).toBe('two spaces here.csv');
    expect(uploadFileName('\u0000\u202E', 'pupils.csv')).toBe('pupils.csv');
    expect(uploadFileName('   ', 'pupils.csv')).toBe('pupils.csv');
  });

  it('caps a long name at 200 characters, keeping its extension', () => {
    const long = uploadFileName(`${'a'.repeat(5000)}.csv`, 'pupils.csv');
    expect(Array.from(long)).toHaveLength(FILE_NAME_MAX);
    expect(long).toBe(`${'a'.repeat(195)}….csv`);
    // Characters outside the Basic Multilingual Plane are never cut in half.
    const emoji = uploadFileName(`${'😀'.repeat(300)}.xml`, 'x');
    expect(Array.from(emoji)).toHaveLength(FILE_NAME_MAX);
    expect(emoji.endsWith('….xml')).toBe(true);
    expect(emoji).not.toMatch(/[\uD800-\uDFFF](?![\uDC00-\uDFFF])/u);
    expect(uploadFileName('b'.repeat(300), 'x')).toBe(`${'b'.repeat(199)}…`);
  });
});
