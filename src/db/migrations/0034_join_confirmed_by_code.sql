ALTER TABLE "sign_in_challenge" ADD COLUMN "invitation_code_hash" text;--> statement-breakpoint
ALTER TABLE "sign_in_challenge" ADD COLUMN "invitation_new_account" boolean DEFAULT false NOT NULL;