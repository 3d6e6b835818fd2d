CREATE TABLE "ehc_annual_review" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"status" text DEFAULT 'arranging' NOT NULL,
	"organisation_id" uuid,
	"plan_id" uuid,
	"plan_version" integer,
	"summary_id" uuid,
	"due_on" date NOT NULL,
	"meeting_on" date,
	"meeting_time" text,
	"meeting_place" text,
	"phase_transfer" boolean DEFAULT false NOT NULL,
	"next_school" text,
	"invitations" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"advice" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"pupil_views" text,
	"parent_views" text,
	"attendees" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"outcome_reviews" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"provision_reviews" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"proposed_changes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"recommendation" text,
	"recommendation_reasons" text,
	"sent_at" timestamp with time zone,
	"sent_by" uuid,
	"sent_by_name" text,
	"sent_how" text,
	"sent_report" jsonb,
	"sent_file_id" uuid,
	"decision_id" uuid,
	"created_by" uuid,
	"created_by_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "ehc_annual_review_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "ehc_annual_review_status_check" CHECK ("ehc_annual_review"."status" in ('arranging', 'held', 'sent', 'cancelled')),
	CONSTRAINT "ehc_annual_review_recommendation_check" CHECK ("ehc_annual_review"."recommendation" is null or "ehc_annual_review"."recommendation" in ('keep', 'amend', 'cease')),
	CONSTRAINT "ehc_annual_review_plan_check" CHECK (("ehc_annual_review"."organisation_id" is not null and "ehc_annual_review"."plan_id" is not null) or "ehc_annual_review"."summary_id" is not null),
	CONSTRAINT "ehc_annual_review_held_check" CHECK ("ehc_annual_review"."status" not in ('held', 'sent') or "ehc_annual_review"."meeting_on" is not null),
	CONSTRAINT "ehc_annual_review_sent_check" CHECK ("ehc_annual_review"."status" <> 'sent' or "ehc_annual_review"."sent_report" is not null)
);
--> statement-breakpoint
CREATE TABLE "ehc_plan" (
	"organisation_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"school_id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"upn" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"final_version" integer,
	"latest_version" integer DEFAULT 1 NOT NULL,
	"started_on" date,
	"last_review_on" date,
	"review_due_on" date,
	"named_school_id" uuid,
	"ceased_on" date,
	"cease_reason" text,
	"reminded_for" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ehc_plan_organisation_id_id_pk" PRIMARY KEY("organisation_id","id"),
	CONSTRAINT "ehc_plan_status_check" CHECK ("ehc_plan"."status" in ('draft', 'final', 'ceased')),
	CONSTRAINT "ehc_plan_ceased_check" CHECK ("ehc_plan"."status" <> 'ceased' or ("ehc_plan"."ceased_on" is not null and "ehc_plan"."cease_reason" is not null))
);
--> statement-breakpoint
CREATE TABLE "ehc_plan_summary" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"local_authority_name" text NOT NULL,
	"issued_on" date NOT NULL,
	"last_review_on" date,
	"outcomes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"provision" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"file_id" uuid,
	"ended_on" date,
	"created_by" uuid,
	"created_by_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "ehc_plan_summary_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "ehc_plan_summary_outcomes_check" CHECK (jsonb_typeof("ehc_plan_summary"."outcomes") = 'array'),
	CONSTRAINT "ehc_plan_summary_provision_check" CHECK (jsonb_typeof("ehc_plan_summary"."provision") = 'array')
);
--> statement-breakpoint
CREATE TABLE "ehc_plan_version" (
	"organisation_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"plan_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"stage" text DEFAULT 'writing' NOT NULL,
	"reason" text DEFAULT 'new_plan' NOT NULL,
	"review_decision_id" uuid,
	"sections" jsonb NOT NULL,
	"sent_on" date,
	"comments_due_on" date,
	"parents_comments" text,
	"parents_comments_on" date,
	"preferred_school" text,
	"consulted_school" text,
	"consulted_on" date,
	"consulted_answer" text,
	"issued_on" date,
	"issued_by" uuid,
	"issued_file_id" uuid,
	"created_by" uuid,
	"created_by_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "ehc_plan_version_organisation_id_id_pk" PRIMARY KEY("organisation_id","id"),
	CONSTRAINT "ehc_plan_version_stage_check" CHECK ("ehc_plan_version"."stage" in ('writing', 'sent', 'issued')),
	CONSTRAINT "ehc_plan_version_reason_check" CHECK ("ehc_plan_version"."reason" in ('new_plan', 'annual_review', 'phase_transfer', 'other_amendment')),
	CONSTRAINT "ehc_plan_version_sections_check" CHECK (jsonb_typeof("ehc_plan_version"."sections") = 'object'),
	CONSTRAINT "ehc_plan_version_sent_check" CHECK ("ehc_plan_version"."stage" = 'writing' or ("ehc_plan_version"."sent_on" is not null and "ehc_plan_version"."comments_due_on" is not null)),
	CONSTRAINT "ehc_plan_version_issued_check" CHECK ("ehc_plan_version"."stage" <> 'issued' or "ehc_plan_version"."issued_on" is not null)
);
--> statement-breakpoint
CREATE TABLE "ehc_review_decision" (
	"organisation_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"plan_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"school_id" uuid NOT NULL,
	"annual_review_id" uuid,
	"meeting_on" date NOT NULL,
	"received_on" date,
	"received" jsonb,
	"received_file_id" uuid,
	"decision" text,
	"decided_on" date,
	"reasons" text,
	"amendment_version" integer,
	"cease_reason" text,
	"decided_by" uuid,
	"decided_by_name" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "ehc_review_decision_organisation_id_id_pk" PRIMARY KEY("organisation_id","id"),
	CONSTRAINT "ehc_review_decision_decision_check" CHECK ("ehc_review_decision"."decision" is null or "ehc_review_decision"."decision" in ('keep', 'amend', 'cease')),
	CONSTRAINT "ehc_review_decision_decided_check" CHECK ("ehc_review_decision"."decision" is null or "ehc_review_decision"."decided_on" is not null),
	CONSTRAINT "ehc_review_decision_cease_check" CHECK ("ehc_review_decision"."decision" is distinct from 'cease' or "ehc_review_decision"."cease_reason" is not null)
);
--> statement-breakpoint
ALTER TABLE "ehc_annual_review" ADD CONSTRAINT "ehc_annual_review_sent_by_app_user_id_fk" FOREIGN KEY ("sent_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ehc_annual_review" ADD CONSTRAINT "ehc_annual_review_created_by_app_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ehc_annual_review" ADD CONSTRAINT "ehc_annual_review_school_id_pupil_id_pupil_school_id_id_fk" FOREIGN KEY ("school_id","pupil_id") REFERENCES "public"."pupil"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ehc_plan" ADD CONSTRAINT "ehc_plan_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ehc_plan" ADD CONSTRAINT "ehc_plan_organisation_id_case_id_organisation_case_organisation_id_id_fk" FOREIGN KEY ("organisation_id","case_id") REFERENCES "public"."organisation_case"("organisation_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ehc_plan_summary" ADD CONSTRAINT "ehc_plan_summary_created_by_app_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ehc_plan_summary" ADD CONSTRAINT "ehc_plan_summary_school_id_pupil_id_pupil_school_id_id_fk" FOREIGN KEY ("school_id","pupil_id") REFERENCES "public"."pupil"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ehc_plan_version" ADD CONSTRAINT "ehc_plan_version_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ehc_plan_version" ADD CONSTRAINT "ehc_plan_version_issued_by_app_user_id_fk" FOREIGN KEY ("issued_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ehc_plan_version" ADD CONSTRAINT "ehc_plan_version_created_by_app_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ehc_plan_version" ADD CONSTRAINT "ehc_plan_version_organisation_id_plan_id_ehc_plan_organisation_id_id_fk" FOREIGN KEY ("organisation_id","plan_id") REFERENCES "public"."ehc_plan"("organisation_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ehc_review_decision" ADD CONSTRAINT "ehc_review_decision_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ehc_review_decision" ADD CONSTRAINT "ehc_review_decision_decided_by_app_user_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ehc_review_decision" ADD CONSTRAINT "ehc_review_decision_organisation_id_plan_id_ehc_plan_organisation_id_id_fk" FOREIGN KEY ("organisation_id","plan_id") REFERENCES "public"."ehc_plan"("organisation_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ehc_annual_review_pupil_idx" ON "ehc_annual_review" USING btree ("school_id","pupil_id");--> statement-breakpoint
CREATE INDEX "ehc_annual_review_due_idx" ON "ehc_annual_review" USING btree ("school_id","status","due_on");--> statement-breakpoint
CREATE INDEX "ehc_annual_review_plan_idx" ON "ehc_annual_review" USING btree ("organisation_id","plan_id");--> statement-breakpoint
CREATE UNIQUE INDEX "ehc_annual_review_one_open_key" ON "ehc_annual_review" USING btree ("school_id","pupil_id") WHERE "ehc_annual_review"."status" in ('arranging', 'held');--> statement-breakpoint
CREATE UNIQUE INDEX "ehc_plan_case_key" ON "ehc_plan" USING btree ("organisation_id","case_id");--> statement-breakpoint
CREATE INDEX "ehc_plan_upn_idx" ON "ehc_plan" USING btree ("organisation_id","upn");--> statement-breakpoint
CREATE INDEX "ehc_plan_pupil_idx" ON "ehc_plan" USING btree ("organisation_id","school_id","pupil_id");--> statement-breakpoint
CREATE INDEX "ehc_plan_named_school_idx" ON "ehc_plan" USING btree ("named_school_id");--> statement-breakpoint
CREATE INDEX "ehc_plan_review_due_idx" ON "ehc_plan" USING btree ("organisation_id","status","review_due_on");--> statement-breakpoint
CREATE INDEX "ehc_plan_summary_pupil_idx" ON "ehc_plan_summary" USING btree ("school_id","pupil_id");--> statement-breakpoint
CREATE UNIQUE INDEX "ehc_plan_version_number_key" ON "ehc_plan_version" USING btree ("organisation_id","plan_id","number");--> statement-breakpoint
CREATE UNIQUE INDEX "ehc_plan_version_one_open_key" ON "ehc_plan_version" USING btree ("organisation_id","plan_id") WHERE "ehc_plan_version"."stage" <> 'issued';--> statement-breakpoint
CREATE INDEX "ehc_plan_version_case_idx" ON "ehc_plan_version" USING btree ("organisation_id","case_id");--> statement-breakpoint
CREATE INDEX "ehc_review_decision_plan_idx" ON "ehc_review_decision" USING btree ("organisation_id","plan_id","meeting_on");--> statement-breakpoint
CREATE UNIQUE INDEX "ehc_review_decision_review_key" ON "ehc_review_decision" USING btree ("organisation_id","school_id","annual_review_id") WHERE "ehc_review_decision"."annual_review_id" is not null;