import { describe, expect, it } from 'vitest';
import { keepableText, lineOfNul, withoutHiddenCharacters } from './text.ts';

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
});
