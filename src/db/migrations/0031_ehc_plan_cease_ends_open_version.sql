ALTER TABLE "ehc_plan_version" DROP CONSTRAINT "ehc_plan_version_stage_check";--> statement-breakpoint
ALTER TABLE "ehc_plan_version" DROP CONSTRAINT "ehc_plan_version_sent_check";--> statement-breakpoint
DROP INDEX "ehc_plan_version_one_open_key";--> statement-breakpoint
ALTER TABLE "ehc_plan" ADD COLUMN "cease_reasons_given" text;--> statement-breakpoint
CREATE UNIQUE INDEX "ehc_plan_version_one_open_key" ON "ehc_plan_version" USING btree ("organisation_id","plan_id") WHERE "ehc_plan_version"."stage" in ('writing', 'sent');--> statement-breakpoint
ALTER TABLE "ehc_plan_version" ADD CONSTRAINT "ehc_plan_version_stage_check" CHECK ("ehc_plan_version"."stage" in ('writing', 'sent', 'issued', 'not_issued'));--> statement-breakpoint
ALTER TABLE "ehc_plan_version" ADD CONSTRAINT "ehc_plan_version_sent_check" CHECK ("ehc_plan_version"."stage" in ('writing', 'not_issued') or ("ehc_plan_version"."sent_on" is not null and "ehc_plan_version"."comments_due_on" is not null));--> statement-breakpoint
-- A plan already ceased with a version still open: that version was never issued.
UPDATE "ehc_plan_version" AS v SET "stage" = 'not_issued', "version" = v."version" + 1 FROM "ehc_plan" AS p WHERE p."organisation_id" = v."organisation_id" AND p."id" = v."plan_id" AND p."status" = 'ceased' AND v."stage" in ('writing', 'sent');