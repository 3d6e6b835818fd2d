import { describe, expect, it } from 'vitest';
import { isEmailAddress, MAIL_KINDS, mailContent } from './mail.ts';

describe('what OpenSEND says by email', () => {
  it('says, for every kind of message, only who it is from and where to look: the text is fixed', () => {
    const v = { from: 'FROM-MARKER', link: 'LINK-MARKER', code: '123456' };
    for (const kind of MAIL_KINDS) {
      const { subject, body } = mailContent(kind, v);
      const words = `${subject}\n${body}`.replaceAll('FROM-MARKER', '').replaceAll('LINK-MARKER', '');
      // Nothing in a message comes from anywhere but its values and the fixed text of its kind.
      expect(mailContent(kind, { from: '', link: '', code: '123456' }).body.length).toBeLessThan(body.length);
      expect(words).not.toMatch(/pupil|child's name|SEN support|EHC|needs?:/i);
      expect(body).toContain('LINK-MARKER');
      expect(body).toMatch(/says nothing about any child/);
    }
  });

  it('sends a sign-in code of six digits and nothing else in its place', () => {
    expect(mailContent('account.sign_in_code', { from: '', link: 'L', code: '042917' }).body).toContain(
      'Your code is 042917.',
    );
    for (const bad of ['', '12345', '1234567', '12345a', 'Kit Kowalski']) {
      expect(() => mailContent('account.sign_in_code', { from: '', link: 'L', code: bad }), bad).toThrow();
    }
  });

  it('accepts one plain address and refuses lists, display names and header tricks', () => {
    expect(isEmailAddress('parent@families.example')).toBe(true);
    for (const bad of [
      'a@b.example, c@d.example',
      'Parent <p@families.example>',
      'p@families.example\r\nBcc: x@evil.example',
      'no-at-sign.example',
      'p@localhost',
      `${'a'.repeat(250)}@b.example`,
    ]) {
      expect(isEmailAddress(bad), bad).toBe(false);
    }
  });
});
