ALTER TABLE "recommendation_use" ADD COLUMN "plan_field" text;--> statement-breakpoint
ALTER TABLE "plan_target" ADD COLUMN "recommendation_id" uuid;--> statement-breakpoint
ALTER TABLE "plan_target" ADD COLUMN "source" text;--> statement-breakpoint
CREATE INDEX "recommendation_id_idx" ON "recommendation" USING btree ("id");--> statement-breakpoint
ALTER TABLE "recommendation_use" ADD CONSTRAINT "recommendation_use_plan_field_check" CHECK ("recommendation_use"."plan_field" is null or "recommendation_use"."plan_field" in ('qualityFirst', 'interventions', 'taSupport'));