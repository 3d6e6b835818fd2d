import { and, desc, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../src/db/client.ts';
import { outboundMail } from '../src/db/schema/index.ts';

/**
 * A parent or a professional signing in on a new device is sent a code by email: the test clients read
 * it from the outbox, as the person reads their mail. Each test app says which database it runs on.
 */
export const appDatabases = new WeakMap<FastifyInstance, Database>();

/** The code of the latest sign-in code mail to this address. */
export async function latestSignInCode(database: Database, email: string): Promise<string> {
  const [mail] = await database.db
    .select({ body: outboundMail.body })
    .from(outboundMail)
    .where(
      and(eq(outboundMail.toAddress, email.toLowerCase()), eq(outboundMail.kind, 'account.sign_in_code')),
    )
    .orderBy(desc(outboundMail.createdAt))
    .limit(1);
  const code = mail && /Your code is (\d{6})\./.exec(mail.body)?.[1];
  if (!code) throw new Error(`No sign-in code was sent to ${email}`);
  return code;
}

/** After a sign-in answered with the code page: the code from the outbox, for this app's database. */
export async function codeFor(app: FastifyInstance, email: string): Promise<string> {
  const database = appDatabases.get(app);
  if (!database) throw new Error('This test app has no database registered for reading sign-in codes');
  return latestSignInCode(database, email);
}
