import { describe, expect, it } from 'vitest';
import { createTerminalMailer } from './terminal-mail.ts';

describe('the demo’s terminal mail', () => {
  it('prints the whole message: who it is to, its subject and its text (a sign-in code readable)', async () => {
    const printed: string[] = [];
    const mailer = createTerminalMailer((t) => printed.push(t));
    await mailer.send({
      id: 'm1',
      to: 'psychologist@northshire.example',
      subject: 'Your OpenSEND sign-in code',
      text: 'Your code is 123456.',
    });
    expect(printed).toHaveLength(1);
    expect(printed[0]).toContain('To: psychologist@northshire.example');
    expect(printed[0]).toContain('Subject: Your OpenSEND sign-in code');
    expect(printed[0]).toContain('Your code is 123456.');
    expect(await mailer.verify()).toBe(true);
  });
});
