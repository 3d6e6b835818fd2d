CREATE TABLE "ehc_provision_link" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"organisation_id" uuid,
	"plan_id" uuid,
	"summary_id" uuid,
	"provision_id" text NOT NULL,
	"group_id" uuid NOT NULL,
	"created_by" uuid,
	"created_by_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ehc_provision_link_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "ehc_provision_link_plan_check" CHECK (("ehc_provision_link"."plan_id" is not null and "ehc_provision_link"."organisation_id" is not null and "ehc_provision_link"."summary_id" is null) or ("ehc_provision_link"."plan_id" is null and "ehc_provision_link"."summary_id" is not null))
);
--> statement-breakpoint
ALTER TABLE "plan_target" ADD COLUMN "ehc_plan_id" uuid;--> statement-breakpoint
ALTER TABLE "plan_target" ADD COLUMN "ehc_summary_id" uuid;--> statement-breakpoint
ALTER TABLE "plan_target" ADD COLUMN "ehc_outcome_id" text;--> statement-breakpoint
ALTER TABLE "ehc_provision_link" ADD CONSTRAINT "ehc_provision_link_created_by_app_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ehc_provision_link" ADD CONSTRAINT "ehc_provision_link_school_id_pupil_id_pupil_school_id_id_fk" FOREIGN KEY ("school_id","pupil_id") REFERENCES "public"."pupil"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ehc_provision_link" ADD CONSTRAINT "ehc_provision_link_school_id_group_id_provision_group_school_id_id_fk" FOREIGN KEY ("school_id","group_id") REFERENCES "public"."provision_group"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ehc_provision_link_pupil_idx" ON "ehc_provision_link" USING btree ("school_id","pupil_id");--> statement-breakpoint
CREATE UNIQUE INDEX "ehc_provision_link_key" ON "ehc_provision_link" USING btree ("school_id","pupil_id",coalesce("plan_id", "summary_id"),"provision_id","group_id");