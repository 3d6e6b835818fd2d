CREATE TABLE "organisation_case" (
	"organisation_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"school_id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"upn" text NOT NULL,
	"kind" text NOT NULL,
	"opened_on" date NOT NULL,
	"closed_on" date,
	"opened_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organisation_case_organisation_id_id_pk" PRIMARY KEY("organisation_id","id"),
	CONSTRAINT "organisation_case_kind_check" CHECK ("organisation_case"."kind" in ('ehc_needs_assessment')),
	CONSTRAINT "organisation_case_dates_check" CHECK ("organisation_case"."closed_on" is null or "organisation_case"."closed_on" >= "organisation_case"."opened_on")
);
--> statement-breakpoint
ALTER TABLE "audit_event" ADD COLUMN "organisation_id" uuid;--> statement-breakpoint
ALTER TABLE "organisation_case" ADD CONSTRAINT "organisation_case_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisation_case" ADD CONSTRAINT "organisation_case_opened_by_app_user_id_fk" FOREIGN KEY ("opened_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "organisation_case_upn_idx" ON "organisation_case" USING btree ("organisation_id","upn");--> statement-breakpoint
CREATE INDEX "organisation_case_pupil_idx" ON "organisation_case" USING btree ("organisation_id","school_id","pupil_id");--> statement-breakpoint
CREATE INDEX "audit_event_organisation_idx" ON "audit_event" USING btree ("organisation_id","occurred_at") WHERE "audit_event"."organisation_id" is not null;--> statement-breakpoint
CREATE INDEX "audit_event_organisation_user_idx" ON "audit_event" USING btree ("organisation_id","user_id","occurred_at") WHERE "audit_event"."organisation_id" is not null;--> statement-breakpoint
CREATE INDEX "audit_event_organisation_chain_idx" ON "audit_event" USING btree ("organisation_id","chain_seq") WHERE "audit_event"."organisation_id" is not null;--> statement-breakpoint
CREATE INDEX "audit_event_installation_chain_idx" ON "audit_event" USING btree ("chain_seq") WHERE "audit_event"."school_id" is null and "audit_event"."organisation_id" is null;--> statement-breakpoint
ALTER TABLE "audit_event" ADD CONSTRAINT "audit_event_one_owner_check" CHECK ("audit_event"."school_id" is null or "audit_event"."organisation_id" is null);