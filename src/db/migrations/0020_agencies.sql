CREATE TABLE "agency" (
	"owner_id" uuid NOT NULL,
	"owner_kind" text NOT NULL,
	"id" uuid NOT NULL,
	"name" text NOT NULL,
	"service_kind" text NOT NULL,
	"contact_name" text,
	"email" text,
	"phone" text,
	"website" text,
	"address" text,
	"how_to_refer" text,
	"needs_from_school" text,
	"typical_wait_weeks" smallint,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by_name" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "agency_owner_id_id_pk" PRIMARY KEY("owner_id","id"),
	CONSTRAINT "agency_owner_kind_check" CHECK ("agency"."owner_kind" in ('school', 'organisation')),
	CONSTRAINT "agency_wait_check" CHECK ("agency"."typical_wait_weeks" is null or "agency"."typical_wait_weeks" between 0 and 520)
);
--> statement-breakpoint
CREATE TABLE "agency_professional" (
	"owner_id" uuid NOT NULL,
	"agency_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"name" text NOT NULL,
	"job_title" text,
	"email" text,
	"user_id" uuid,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "agency_professional_owner_id_id_pk" PRIMARY KEY("owner_id","id")
);
--> statement-breakpoint
CREATE TABLE "agency_report" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"referral_id" uuid,
	"pupil_id" uuid NOT NULL,
	"agency_name" text NOT NULL,
	"author_name" text NOT NULL,
	"author_role" text,
	"title" text NOT NULL,
	"written_on" date NOT NULL,
	"summary" text,
	"file_id" uuid,
	"submitted_by" text NOT NULL,
	"uploaded_by" uuid,
	"uploaded_by_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "agency_report_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "agency_report_submitted_by_check" CHECK ("agency_report"."submitted_by" in ('professional', 'school'))
);
--> statement-breakpoint
CREATE TABLE "recommendation" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"report_id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"position" smallint NOT NULL,
	"area" text,
	"kind" text NOT NULL,
	"text" text NOT NULL,
	"created_by_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "recommendation_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "recommendation_kind_check" CHECK ("recommendation"."kind" in ('strategy', 'target', 'provision', 'further_assessment'))
);
--> statement-breakpoint
CREATE TABLE "recommendation_use" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"recommendation_id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"used_as" text NOT NULL,
	"plan_id" uuid,
	"plan_target_id" uuid,
	"provision_group_id" uuid,
	"used_by" uuid,
	"used_by_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "recommendation_use_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "recommendation_use_as_check" CHECK ("recommendation_use"."used_as" in ('target', 'strategy', 'provision'))
);
--> statement-breakpoint
CREATE TABLE "referral" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"agency_owner_id" uuid NOT NULL,
	"agency_id" uuid NOT NULL,
	"agency_name" text NOT NULL,
	"service_kind" text NOT NULL,
	"concern_id" uuid,
	"pupil_action_id" uuid,
	"question" text NOT NULL,
	"tried" text,
	"share_sections" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"share_documents" text,
	"lawful_basis" text DEFAULT 'consent' NOT NULL,
	"basis_note" text,
	"for_ehc_assessment" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'drafted' NOT NULL,
	"sent_on" date,
	"respond_by" date,
	"report_due_on" date,
	"end_reason" text,
	"ended_on" date,
	"professional_user_id" uuid,
	"share_id" uuid,
	"created_by" uuid,
	"created_by_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "referral_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "referral_status_check" CHECK ("referral"."status" in ('drafted', 'awaiting_consent', 'sent', 'waiting_list', 'accepted', 'seen', 'report_received', 'closed', 'declined', 'stopped')),
	CONSTRAINT "referral_basis_check" CHECK ("referral"."lawful_basis" in ('consent', 'public_task', 'legal_obligation')),
	CONSTRAINT "referral_sections_check" CHECK (jsonb_typeof("referral"."share_sections") = 'array')
);
--> statement-breakpoint
CREATE TABLE "referral_consent" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"referral_id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"given_by" text NOT NULL,
	"parent_carer_id" uuid,
	"given_by_name" text NOT NULL,
	"how" text NOT NULL,
	"given_on" date NOT NULL,
	"covers_referral" boolean NOT NULL,
	"covers_sharing" boolean NOT NULL,
	"covers_documents" text,
	"valid_until" date,
	"form_file_id" uuid,
	"withdrawn_on" date,
	"withdrawn_note" text,
	"withdrawn_by_name" text,
	"recorded_by" uuid,
	"recorded_by_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "referral_consent_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "referral_consent_given_by_check" CHECK ("referral_consent"."given_by" in ('parent', 'young_person')),
	CONSTRAINT "referral_consent_dates" CHECK ("referral_consent"."valid_until" is null or "referral_consent"."valid_until" >= "referral_consent"."given_on"),
	CONSTRAINT "referral_consent_withdrawn" CHECK ("referral_consent"."withdrawn_on" is null or "referral_consent"."withdrawn_on" >= "referral_consent"."given_on")
);
--> statement-breakpoint
CREATE TABLE "referral_event" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"referral_id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"status" text NOT NULL,
	"happened_on" date NOT NULL,
	"note" text,
	"by_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "referral_event_school_id_id_pk" PRIMARY KEY("school_id","id")
);
--> statement-breakpoint
ALTER TABLE "pupil_share" ADD COLUMN "referral_id" uuid;--> statement-breakpoint
ALTER TABLE "agency_professional" ADD CONSTRAINT "agency_professional_user_id_app_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agency_professional" ADD CONSTRAINT "agency_professional_owner_id_agency_id_agency_owner_id_id_fk" FOREIGN KEY ("owner_id","agency_id") REFERENCES "public"."agency"("owner_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agency_report" ADD CONSTRAINT "agency_report_uploaded_by_app_user_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agency_report" ADD CONSTRAINT "agency_report_school_id_pupil_id_pupil_school_id_id_fk" FOREIGN KEY ("school_id","pupil_id") REFERENCES "public"."pupil"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agency_report" ADD CONSTRAINT "agency_report_school_id_referral_id_referral_school_id_id_fk" FOREIGN KEY ("school_id","referral_id") REFERENCES "public"."referral"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recommendation" ADD CONSTRAINT "recommendation_school_id_pupil_id_pupil_school_id_id_fk" FOREIGN KEY ("school_id","pupil_id") REFERENCES "public"."pupil"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recommendation" ADD CONSTRAINT "recommendation_school_id_report_id_agency_report_school_id_id_fk" FOREIGN KEY ("school_id","report_id") REFERENCES "public"."agency_report"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recommendation_use" ADD CONSTRAINT "recommendation_use_used_by_app_user_id_fk" FOREIGN KEY ("used_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recommendation_use" ADD CONSTRAINT "recommendation_use_school_id_pupil_id_pupil_school_id_id_fk" FOREIGN KEY ("school_id","pupil_id") REFERENCES "public"."pupil"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recommendation_use" ADD CONSTRAINT "recommendation_use_school_id_recommendation_id_recommendation_school_id_id_fk" FOREIGN KEY ("school_id","recommendation_id") REFERENCES "public"."recommendation"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral" ADD CONSTRAINT "referral_professional_user_id_app_user_id_fk" FOREIGN KEY ("professional_user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral" ADD CONSTRAINT "referral_created_by_app_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral" ADD CONSTRAINT "referral_school_id_pupil_id_pupil_school_id_id_fk" FOREIGN KEY ("school_id","pupil_id") REFERENCES "public"."pupil"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral" ADD CONSTRAINT "referral_agency_owner_id_agency_id_agency_owner_id_id_fk" FOREIGN KEY ("agency_owner_id","agency_id") REFERENCES "public"."agency"("owner_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral_consent" ADD CONSTRAINT "referral_consent_recorded_by_app_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral_consent" ADD CONSTRAINT "referral_consent_school_id_pupil_id_pupil_school_id_id_fk" FOREIGN KEY ("school_id","pupil_id") REFERENCES "public"."pupil"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral_consent" ADD CONSTRAINT "referral_consent_school_id_referral_id_referral_school_id_id_fk" FOREIGN KEY ("school_id","referral_id") REFERENCES "public"."referral"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral_consent" ADD CONSTRAINT "referral_consent_school_id_parent_carer_id_parent_carer_school_id_id_fk" FOREIGN KEY ("school_id","parent_carer_id") REFERENCES "public"."parent_carer"("school_id","id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral_event" ADD CONSTRAINT "referral_event_school_id_pupil_id_pupil_school_id_id_fk" FOREIGN KEY ("school_id","pupil_id") REFERENCES "public"."pupil"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral_event" ADD CONSTRAINT "referral_event_school_id_referral_id_referral_school_id_id_fk" FOREIGN KEY ("school_id","referral_id") REFERENCES "public"."referral"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "agency_id_idx" ON "agency" USING btree ("id");--> statement-breakpoint
CREATE INDEX "agency_professional_agency_idx" ON "agency_professional" USING btree ("owner_id","agency_id");--> statement-breakpoint
CREATE INDEX "agency_report_pupil_idx" ON "agency_report" USING btree ("school_id","pupil_id");--> statement-breakpoint
CREATE INDEX "agency_report_referral_idx" ON "agency_report" USING btree ("school_id","referral_id");--> statement-breakpoint
CREATE INDEX "agency_report_id_idx" ON "agency_report" USING btree ("id");--> statement-breakpoint
CREATE INDEX "recommendation_report_idx" ON "recommendation" USING btree ("school_id","report_id","position");--> statement-breakpoint
CREATE INDEX "recommendation_pupil_idx" ON "recommendation" USING btree ("school_id","pupil_id");--> statement-breakpoint
CREATE INDEX "recommendation_use_recommendation_idx" ON "recommendation_use" USING btree ("school_id","recommendation_id");--> statement-breakpoint
CREATE INDEX "recommendation_use_plan_idx" ON "recommendation_use" USING btree ("school_id","plan_id");--> statement-breakpoint
CREATE INDEX "referral_pupil_idx" ON "referral" USING btree ("school_id","pupil_id");--> statement-breakpoint
CREATE INDEX "referral_status_idx" ON "referral" USING btree ("school_id","status");--> statement-breakpoint
CREATE INDEX "referral_id_idx" ON "referral" USING btree ("id");--> statement-breakpoint
CREATE INDEX "referral_professional_idx" ON "referral" USING btree ("professional_user_id");--> statement-breakpoint
CREATE INDEX "referral_consent_referral_idx" ON "referral_consent" USING btree ("school_id","referral_id");--> statement-breakpoint
CREATE INDEX "referral_event_referral_idx" ON "referral_event" USING btree ("school_id","referral_id","happened_on");