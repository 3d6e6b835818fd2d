ALTER TABLE "sign_in_challenge" ALTER COLUMN "user_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "sign_in_challenge" ADD COLUMN "new_account_email" text;--> statement-breakpoint
ALTER TABLE "sign_in_challenge" ADD COLUMN "new_account_name" text;--> statement-breakpoint
ALTER TABLE "sign_in_challenge" ADD COLUMN "new_account_password_hash" text;--> statement-breakpoint
ALTER TABLE "sign_in_challenge" ADD CONSTRAINT "sign_in_challenge_account" CHECK (("sign_in_challenge"."user_id" is not null) <> ("sign_in_challenge"."new_account_email" is not null and "sign_in_challenge"."new_account_name" is not null and "sign_in_challenge"."new_account_password_hash" is not null));