ALTER TABLE "referral" ADD COLUMN "late_reminded_for" text;--> statement-breakpoint
CREATE INDEX "referral_school_created_idx" ON "referral" USING btree ("school_id","created_at");