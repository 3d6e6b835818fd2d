CREATE TABLE "case_advice" (
	"organisation_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"source" text NOT NULL,
	"asked_of" text NOT NULL,
	"school_id" uuid,
	"requested_on" date,
	"received_on" date,
	"already_held" boolean DEFAULT false NOT NULL,
	"agency_report_id" uuid,
	"note" text,
	"created_by" uuid,
	"created_by_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "case_advice_organisation_id_id_pk" PRIMARY KEY("organisation_id","id"),
	CONSTRAINT "case_advice_dates_check" CHECK ("case_advice"."received_on" is null or "case_advice"."requested_on" is null or "case_advice"."received_on" >= "case_advice"."requested_on"),
	CONSTRAINT "case_advice_asked_check" CHECK ("case_advice"."already_held" or "case_advice"."requested_on" is not null)
);
--> statement-breakpoint
CREATE TABLE "case_decision" (
	"organisation_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"decided_on" date NOT NULL,
	"reasons" text,
	"panel_notes" text,
	"parents_told_on" date,
	"decided_by" uuid,
	"decided_by_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "case_decision_organisation_id_id_pk" PRIMARY KEY("organisation_id","id"),
	CONSTRAINT "case_decision_kind_check" CHECK ("case_decision"."kind" in ('assess', 'not_assess', 'panel', 'issue_plan', 'not_issue_plan'))
);
--> statement-breakpoint
CREATE TABLE "case_exception" (
	"organisation_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"ground" text NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date,
	"note" text,
	"recorded_by" uuid,
	"recorded_by_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "case_exception_organisation_id_id_pk" PRIMARY KEY("organisation_id","id"),
	CONSTRAINT "case_exception_ground_check" CHECK ("case_exception"."ground" in ('school_closure', 'early_years_closure', 'personal_circumstances', 'absence')),
	CONSTRAINT "case_exception_dates_check" CHECK ("case_exception"."ends_on" is null or "case_exception"."ends_on" >= "case_exception"."starts_on")
);
--> statement-breakpoint
CREATE TABLE "ehc_request" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"requested_by" text DEFAULT 'school' NOT NULL,
	"parent_id" uuid,
	"parent_request_note" text,
	"plan_review_id" uuid,
	"pupil_action_id" uuid,
	"covering_statement" text,
	"left_out" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"advice_sufficient" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"contact_name" text,
	"contact_role" text,
	"contact_email" text,
	"contact_phone" text,
	"consent_parent_id" uuid,
	"consent_on" date,
	"consent_how" text,
	"consent_note" text,
	"sent_at" timestamp with time zone,
	"sent_by" uuid,
	"sent_by_name" text,
	"sent_how" text,
	"sent_pack" jsonb,
	"sent_file_id" uuid,
	"organisation_id" uuid,
	"case_id" uuid,
	"withdrawn_on" date,
	"withdrawn_reason" text,
	"created_by" uuid,
	"created_by_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "ehc_request_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "ehc_request_status_check" CHECK ("ehc_request"."status" in ('draft', 'sent', 'withdrawn')),
	CONSTRAINT "ehc_request_requested_by_check" CHECK ("ehc_request"."requested_by" in ('school', 'parent', 'young_person')),
	CONSTRAINT "ehc_request_left_out_check" CHECK (jsonb_typeof("ehc_request"."left_out") = 'array'),
	CONSTRAINT "ehc_request_sufficient_check" CHECK (jsonb_typeof("ehc_request"."advice_sufficient") = 'array'),
	CONSTRAINT "ehc_request_sent_check" CHECK ("ehc_request"."status" <> 'sent' or ("ehc_request"."sent_at" is not null and "ehc_request"."sent_how" is not null and "ehc_request"."sent_pack" is not null))
);
--> statement-breakpoint
CREATE TABLE "school_closure" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"first_day" date NOT NULL,
	"last_day" date NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "school_closure_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "school_closure_dates_check" CHECK ("school_closure"."last_day" >= "school_closure"."first_day")
);
--> statement-breakpoint
CREATE TABLE "top_up_application" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"plan_id" uuid,
	"plan_review_id" uuid,
	"pupil_action_id" uuid,
	"amount_pence" integer,
	"period_from" date,
	"period_to" date,
	"rationale" text,
	"sent_at" timestamp with time zone,
	"sent_by" uuid,
	"sent_by_name" text,
	"sent_how" text,
	"sent_application" jsonb,
	"sent_file_id" uuid,
	"organisation_id" uuid,
	"case_id" uuid,
	"withdrawn_on" date,
	"created_by" uuid,
	"created_by_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "top_up_application_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "top_up_application_status_check" CHECK ("top_up_application"."status" in ('draft', 'sent', 'withdrawn')),
	CONSTRAINT "top_up_application_amount_check" CHECK ("top_up_application"."amount_pence" is null or "top_up_application"."amount_pence" > 0),
	CONSTRAINT "top_up_application_period_check" CHECK ("top_up_application"."period_from" is null or "top_up_application"."period_to" is null or "top_up_application"."period_to" >= "top_up_application"."period_from")
);
--> statement-breakpoint
CREATE TABLE "top_up_decision" (
	"organisation_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"outcome" text NOT NULL,
	"decided_on" date NOT NULL,
	"amount_pence" integer,
	"band" text,
	"conditions" text,
	"reasons" text,
	"funded_from" date,
	"funded_until" date,
	"end_reminded_for" date,
	"decided_by" uuid,
	"decided_by_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "top_up_decision_organisation_id_id_pk" PRIMARY KEY("organisation_id","id"),
	CONSTRAINT "top_up_decision_outcome_check" CHECK ("top_up_decision"."outcome" in ('agreed', 'agreed_in_part', 'refused')),
	CONSTRAINT "top_up_decision_amount_check" CHECK (("top_up_decision"."outcome" = 'refused') = ("top_up_decision"."amount_pence" is null) and ("top_up_decision"."amount_pence" is null or "top_up_decision"."amount_pence" > 0)),
	CONSTRAINT "top_up_decision_period_check" CHECK ("top_up_decision"."funded_from" is null or "top_up_decision"."funded_until" is null or "top_up_decision"."funded_until" >= "top_up_decision"."funded_from")
);
--> statement-breakpoint
ALTER TABLE "organisation_case" DROP CONSTRAINT "organisation_case_kind_check";--> statement-breakpoint
ALTER TABLE "organisation_case" ADD COLUMN "stage" text DEFAULT 'received' NOT NULL;--> statement-breakpoint
ALTER TABLE "organisation_case" ADD COLUMN "request_id" uuid;--> statement-breakpoint
ALTER TABLE "organisation_case" ADD COLUMN "requested_by" text;--> statement-breakpoint
ALTER TABLE "organisation_case" ADD COLUMN "caseworker_user_id" uuid;--> statement-breakpoint
ALTER TABLE "organisation_case" ADD COLUMN "received" jsonb;--> statement-breakpoint
ALTER TABLE "organisation_case" ADD COLUMN "received_file_id" uuid;--> statement-breakpoint
ALTER TABLE "organisation_case" ADD COLUMN "draft_sent_on" date;--> statement-breakpoint
ALTER TABLE "organisation_case" ADD COLUMN "final_issued_on" date;--> statement-breakpoint
ALTER TABLE "organisation_case" ADD COLUMN "closed_reason" text;--> statement-breakpoint
ALTER TABLE "organisation_case" ADD COLUMN "reminded_for" text;--> statement-breakpoint
ALTER TABLE "case_advice" ADD CONSTRAINT "case_advice_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_advice" ADD CONSTRAINT "case_advice_created_by_app_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_advice" ADD CONSTRAINT "case_advice_organisation_id_case_id_organisation_case_organisation_id_id_fk" FOREIGN KEY ("organisation_id","case_id") REFERENCES "public"."organisation_case"("organisation_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_decision" ADD CONSTRAINT "case_decision_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_decision" ADD CONSTRAINT "case_decision_decided_by_app_user_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_decision" ADD CONSTRAINT "case_decision_organisation_id_case_id_organisation_case_organisation_id_id_fk" FOREIGN KEY ("organisation_id","case_id") REFERENCES "public"."organisation_case"("organisation_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_exception" ADD CONSTRAINT "case_exception_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_exception" ADD CONSTRAINT "case_exception_recorded_by_app_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_exception" ADD CONSTRAINT "case_exception_organisation_id_case_id_organisation_case_organisation_id_id_fk" FOREIGN KEY ("organisation_id","case_id") REFERENCES "public"."organisation_case"("organisation_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ehc_request" ADD CONSTRAINT "ehc_request_sent_by_app_user_id_fk" FOREIGN KEY ("sent_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ehc_request" ADD CONSTRAINT "ehc_request_created_by_app_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ehc_request" ADD CONSTRAINT "ehc_request_school_id_pupil_id_pupil_school_id_id_fk" FOREIGN KEY ("school_id","pupil_id") REFERENCES "public"."pupil"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "top_up_application" ADD CONSTRAINT "top_up_application_sent_by_app_user_id_fk" FOREIGN KEY ("sent_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "top_up_application" ADD CONSTRAINT "top_up_application_created_by_app_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "top_up_application" ADD CONSTRAINT "top_up_application_school_id_pupil_id_pupil_school_id_id_fk" FOREIGN KEY ("school_id","pupil_id") REFERENCES "public"."pupil"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "top_up_decision" ADD CONSTRAINT "top_up_decision_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "top_up_decision" ADD CONSTRAINT "top_up_decision_decided_by_app_user_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "top_up_decision" ADD CONSTRAINT "top_up_decision_organisation_id_case_id_organisation_case_organisation_id_id_fk" FOREIGN KEY ("organisation_id","case_id") REFERENCES "public"."organisation_case"("organisation_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_advice_case_idx" ON "case_advice" USING btree ("organisation_id","case_id");--> statement-breakpoint
CREATE INDEX "case_decision_case_idx" ON "case_decision" USING btree ("organisation_id","case_id");--> statement-breakpoint
CREATE INDEX "case_exception_case_idx" ON "case_exception" USING btree ("organisation_id","case_id");--> statement-breakpoint
CREATE INDEX "ehc_request_pupil_idx" ON "ehc_request" USING btree ("school_id","pupil_id");--> statement-breakpoint
CREATE INDEX "ehc_request_id_idx" ON "ehc_request" USING btree ("id");--> statement-breakpoint
CREATE UNIQUE INDEX "ehc_request_one_draft_key" ON "ehc_request" USING btree ("school_id","pupil_id") WHERE "ehc_request"."status" = 'draft';--> statement-breakpoint
CREATE INDEX "school_closure_school_idx" ON "school_closure" USING btree ("school_id","first_day");--> statement-breakpoint
CREATE INDEX "top_up_application_pupil_idx" ON "top_up_application" USING btree ("school_id","pupil_id");--> statement-breakpoint
CREATE INDEX "top_up_application_id_idx" ON "top_up_application" USING btree ("id");--> statement-breakpoint
CREATE UNIQUE INDEX "top_up_application_one_draft_key" ON "top_up_application" USING btree ("school_id","pupil_id") WHERE "top_up_application"."status" = 'draft';--> statement-breakpoint
CREATE INDEX "top_up_decision_case_idx" ON "top_up_decision" USING btree ("organisation_id","case_id");--> statement-breakpoint
ALTER TABLE "organisation_case" ADD CONSTRAINT "organisation_case_caseworker_user_id_app_user_id_fk" FOREIGN KEY ("caseworker_user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "organisation_case_caseload_idx" ON "organisation_case" USING btree ("organisation_id","closed_on","opened_on");--> statement-breakpoint
ALTER TABLE "organisation_case" ADD CONSTRAINT "organisation_case_kind_check" CHECK ("organisation_case"."kind" in ('ehc_needs_assessment', 'top_up_funding'));