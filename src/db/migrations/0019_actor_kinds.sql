CREATE TABLE "organisation_membership_role" (
	"organisation_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"role" text NOT NULL,
	CONSTRAINT "organisation_membership_role_organisation_id_user_id_role_pk" PRIMARY KEY("organisation_id","user_id","role")
);
--> statement-breakpoint
CREATE TABLE "parent_account" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"parent_carer_id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"linked_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone,
	"ended_by" uuid,
	CONSTRAINT "parent_account_school_id_id_pk" PRIMARY KEY("school_id","id")
);
--> statement-breakpoint
CREATE TABLE "professional_account" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"agency_name" text NOT NULL,
	"job_title" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pupil_share" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"professional_user_id" uuid NOT NULL,
	"sections" jsonb NOT NULL,
	"purpose" text NOT NULL,
	"shared_from" date NOT NULL,
	"shared_until" date NOT NULL,
	"shared_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone,
	"ended_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "pupil_share_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "pupil_share_dates" CHECK ("pupil_share"."shared_until" >= "pupil_share"."shared_from"),
	CONSTRAINT "pupil_share_sections" CHECK (jsonb_typeof("pupil_share"."sections") = 'array')
);
--> statement-breakpoint
ALTER TABLE "user_session" ADD COLUMN "acting_as" text;--> statement-breakpoint
ALTER TABLE "parent_carer" ADD COLUMN "court_order" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "organisation_membership_role" ADD CONSTRAINT "organisation_membership_role_organisation_id_user_id_organisation_membership_organisation_id_user_id_fk" FOREIGN KEY ("organisation_id","user_id") REFERENCES "public"."organisation_membership"("organisation_id","user_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parent_account" ADD CONSTRAINT "parent_account_user_id_app_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parent_account" ADD CONSTRAINT "parent_account_linked_by_app_user_id_fk" FOREIGN KEY ("linked_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parent_account" ADD CONSTRAINT "parent_account_ended_by_app_user_id_fk" FOREIGN KEY ("ended_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parent_account" ADD CONSTRAINT "parent_account_school_id_pupil_id_pupil_school_id_id_fk" FOREIGN KEY ("school_id","pupil_id") REFERENCES "public"."pupil"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parent_account" ADD CONSTRAINT "parent_account_school_id_parent_carer_id_parent_carer_school_id_id_fk" FOREIGN KEY ("school_id","parent_carer_id") REFERENCES "public"."parent_carer"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "professional_account" ADD CONSTRAINT "professional_account_user_id_app_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pupil_share" ADD CONSTRAINT "pupil_share_professional_user_id_app_user_id_fk" FOREIGN KEY ("professional_user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pupil_share" ADD CONSTRAINT "pupil_share_shared_by_app_user_id_fk" FOREIGN KEY ("shared_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pupil_share" ADD CONSTRAINT "pupil_share_ended_by_app_user_id_fk" FOREIGN KEY ("ended_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pupil_share" ADD CONSTRAINT "pupil_share_school_id_pupil_id_pupil_school_id_id_fk" FOREIGN KEY ("school_id","pupil_id") REFERENCES "public"."pupil"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "parent_account_live_key" ON "parent_account" USING btree ("school_id","parent_carer_id") WHERE "parent_account"."ended_at" is null;--> statement-breakpoint
CREATE INDEX "parent_account_user_idx" ON "parent_account" USING btree ("user_id","school_id","pupil_id");--> statement-breakpoint
CREATE INDEX "parent_account_pupil_idx" ON "parent_account" USING btree ("school_id","pupil_id");--> statement-breakpoint
CREATE INDEX "pupil_share_professional_idx" ON "pupil_share" USING btree ("professional_user_id","school_id","pupil_id");--> statement-breakpoint
CREATE INDEX "pupil_share_pupil_idx" ON "pupil_share" USING btree ("school_id","pupil_id");--> statement-breakpoint
-- Every officer so far saw the organisation's figures: they keep them as its managers.
INSERT INTO "organisation_membership_role" ("organisation_id", "user_id", "role")
  SELECT "organisation_id", "user_id", 'manager' FROM "organisation_membership";--> statement-breakpoint
UPDATE "user_session" SET "acting_as" = CASE WHEN "school_id" IS NOT NULL THEN 'staff' ELSE 'officer' END
  WHERE "school_id" IS NOT NULL OR "organisation_id" IS NOT NULL;
