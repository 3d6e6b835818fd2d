import type { Mailer, OutgoingMessage } from '../services/kernel/ports.ts';

/**
 * The demo's mail when no mail server is set up: each message is "sent" by printing it where
 * OpenSEND runs, so that whoever tries the demo can read a sign-in code or a set-up link sent to a
 * fictional parent or professional. Only `npm start -- --demo` uses it: a school's own installation
 * without a mail server keeps its mail waiting in the outbox.
 */
export function createTerminalMailer(print: (text: string) => void = (text) => console.log(text)): Mailer {
  return {
    async send(message: OutgoingMessage) {
      print(
        [
          '',
          `── Email (the demo has no mail server, so it is shown here) ──`,
          `To: ${message.to}`,
          `Subject: ${message.subject}`,
          '',
          message.text,
          '──',
          '',
        ].join('\n'),
      );
    },
    async verify() {
      return true;
    },
    close() {},
  };
}
