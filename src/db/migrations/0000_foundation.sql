CREATE TABLE "app_user" (
	"id" uuid PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"password_hash" text NOT NULL,
	"failed_sign_ins" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"disabled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_event" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"school_id" uuid,
	"user_id" uuid,
	"role" text,
	"action" text NOT NULL,
	"pupil_id" uuid,
	"request_id" text,
	"detail" jsonb
);
--> statement-breakpoint
CREATE TABLE "class_teacher" (
	"school_id" uuid NOT NULL,
	"class_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	CONSTRAINT "class_teacher_school_id_class_id_user_id_pk" PRIMARY KEY("school_id","class_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "concern" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"concern_date" date NOT NULL,
	"raised_by" uuid,
	"raised_by_name" text NOT NULL,
	"raised_by_role" text NOT NULL,
	"reasons" text NOT NULL,
	"classroom_evidence" text NOT NULL,
	"areas_of_need" jsonb NOT NULL,
	"interventions_tried" jsonb NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"outcome" text,
	"action_taken" text,
	"agency" text,
	"reviewed_by" uuid,
	"reviewed_by_name" text,
	"reviewed_on" date,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "concern_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "concern_status_check" CHECK ("concern"."status" in ('open', 'reviewed'))
);
--> statement-breakpoint
CREATE TABLE "membership" (
	"school_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"role" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "membership_school_id_user_id_pk" PRIMARY KEY("school_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "organisation" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "organisation_membership" (
	"organisation_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organisation_membership_organisation_id_user_id_pk" PRIMARY KEY("organisation_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "parent_carer" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"name" text NOT NULL,
	"relationship" text NOT NULL,
	"phone" text,
	"email" text,
	"parental_responsibility" boolean DEFAULT true NOT NULL,
	"contact_priority" smallint DEFAULT 1 NOT NULL,
	CONSTRAINT "parent_carer_school_id_id_pk" PRIMARY KEY("school_id","id")
);
--> statement-breakpoint
CREATE TABLE "pupil" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"upn" text NOT NULL,
	"forename" text NOT NULL,
	"surname" text NOT NULL,
	"preferred_name" text,
	"date_of_birth" date NOT NULL,
	"sex" text NOT NULL,
	"class_id" uuid,
	"nc_year_override" smallint,
	"admission_date" date,
	"pupil_premium" boolean DEFAULT false NOT NULL,
	"free_school_meals" boolean DEFAULT false NOT NULL,
	"looked_after" boolean DEFAULT false NOT NULL,
	"previously_looked_after" boolean DEFAULT false NOT NULL,
	"eal" boolean DEFAULT false NOT NULL,
	"service_child" boolean DEFAULT false NOT NULL,
	"young_carer" boolean DEFAULT false NOT NULL,
	"medical_condition" boolean DEFAULT false NOT NULL,
	"medical_notes" text,
	"attendance_percent" numeric(4, 1),
	"sen_stage" text DEFAULT 'none' NOT NULL,
	"primary_need" text,
	"secondary_need" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pupil_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "pupil_stage_check" CHECK ("pupil"."sen_stage" in ('none', 'monitoring', 'sen_support', 'ehc_plan')),
	CONSTRAINT "pupil_need_stage_check" CHECK ("pupil"."primary_need" is null or "pupil"."sen_stage" in ('sen_support', 'ehc_plan')),
	CONSTRAINT "pupil_need_required_check" CHECK ("pupil"."sen_stage" not in ('sen_support', 'ehc_plan') or "pupil"."primary_need" is not null),
	CONSTRAINT "pupil_secondary_need_check" CHECK ("pupil"."secondary_need" is null or ("pupil"."primary_need" is not null and "pupil"."secondary_need" <> "pupil"."primary_need" and "pupil"."secondary_need" <> 'NSA')),
	CONSTRAINT "pupil_nsa_check" CHECK ("pupil"."primary_need" is distinct from 'NSA' or "pupil"."sen_stage" = 'sen_support')
);
--> statement-breakpoint
CREATE TABLE "pupil_assignment" (
	"school_id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	CONSTRAINT "pupil_assignment_school_id_pupil_id_user_id_pk" PRIMARY KEY("school_id","pupil_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "register_entry" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"effective_date" date NOT NULL,
	"from_stage" text NOT NULL,
	"stage" text NOT NULL,
	"primary_need" text,
	"secondary_need" text,
	"change_kind" text NOT NULL,
	"reason" text NOT NULL,
	"decided_by" uuid,
	"decided_by_name" text NOT NULL,
	"source" text NOT NULL,
	"concern_id" uuid,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "register_entry_school_id_id_pk" PRIMARY KEY("school_id","id")
);
--> statement-breakpoint
CREATE TABLE "register_review" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"reviewed_on" date NOT NULL,
	"outcome" text NOT NULL,
	"from_stage" text NOT NULL,
	"to_stage" text NOT NULL,
	"reason" text NOT NULL,
	"reviewed_by" uuid,
	"reviewed_by_name" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "register_review_school_id_id_pk" PRIMARY KEY("school_id","id")
);
--> statement-breakpoint
CREATE TABLE "school" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid,
	"name" text NOT NULL,
	"urn" text NOT NULL,
	"la_code" text NOT NULL,
	"establishment_number" text NOT NULL,
	"phase" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "school_class" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"name" text NOT NULL,
	"nc_year" smallint,
	CONSTRAINT "school_class_school_id_id_pk" PRIMARY KEY("school_id","id")
);
--> statement-breakpoint
CREATE TABLE "user_session" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"school_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "class_teacher" ADD CONSTRAINT "class_teacher_school_id_class_id_school_class_school_id_id_fk" FOREIGN KEY ("school_id","class_id") REFERENCES "public"."school_class"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "class_teacher" ADD CONSTRAINT "class_teacher_school_id_user_id_membership_school_id_user_id_fk" FOREIGN KEY ("school_id","user_id") REFERENCES "public"."membership"("school_id","user_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "concern" ADD CONSTRAINT "concern_raised_by_app_user_id_fk" FOREIGN KEY ("raised_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "concern" ADD CONSTRAINT "concern_reviewed_by_app_user_id_fk" FOREIGN KEY ("reviewed_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "concern" ADD CONSTRAINT "concern_school_id_pupil_id_pupil_school_id_id_fk" FOREIGN KEY ("school_id","pupil_id") REFERENCES "public"."pupil"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "membership" ADD CONSTRAINT "membership_school_id_school_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."school"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "membership" ADD CONSTRAINT "membership_user_id_app_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisation_membership" ADD CONSTRAINT "organisation_membership_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisation_membership" ADD CONSTRAINT "organisation_membership_user_id_app_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parent_carer" ADD CONSTRAINT "parent_carer_school_id_pupil_id_pupil_school_id_id_fk" FOREIGN KEY ("school_id","pupil_id") REFERENCES "public"."pupil"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pupil" ADD CONSTRAINT "pupil_school_id_school_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."school"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pupil" ADD CONSTRAINT "pupil_school_id_class_id_school_class_school_id_id_fk" FOREIGN KEY ("school_id","class_id") REFERENCES "public"."school_class"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pupil_assignment" ADD CONSTRAINT "pupil_assignment_school_id_pupil_id_pupil_school_id_id_fk" FOREIGN KEY ("school_id","pupil_id") REFERENCES "public"."pupil"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pupil_assignment" ADD CONSTRAINT "pupil_assignment_school_id_user_id_membership_school_id_user_id_fk" FOREIGN KEY ("school_id","user_id") REFERENCES "public"."membership"("school_id","user_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "register_entry" ADD CONSTRAINT "register_entry_decided_by_app_user_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "register_entry" ADD CONSTRAINT "register_entry_school_id_pupil_id_pupil_school_id_id_fk" FOREIGN KEY ("school_id","pupil_id") REFERENCES "public"."pupil"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "register_review" ADD CONSTRAINT "register_review_reviewed_by_app_user_id_fk" FOREIGN KEY ("reviewed_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "register_review" ADD CONSTRAINT "register_review_school_id_pupil_id_pupil_school_id_id_fk" FOREIGN KEY ("school_id","pupil_id") REFERENCES "public"."pupil"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "school" ADD CONSTRAINT "school_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "school_class" ADD CONSTRAINT "school_class_school_id_school_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."school"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_session" ADD CONSTRAINT "user_session_user_id_app_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_session" ADD CONSTRAINT "user_session_school_id_school_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."school"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "app_user_email_key" ON "app_user" USING btree ("email");--> statement-breakpoint
CREATE INDEX "audit_event_pupil_idx" ON "audit_event" USING btree ("school_id","pupil_id","occurred_at");--> statement-breakpoint
CREATE INDEX "audit_event_school_idx" ON "audit_event" USING btree ("school_id","occurred_at");--> statement-breakpoint
CREATE INDEX "class_teacher_user_idx" ON "class_teacher" USING btree ("school_id","user_id");--> statement-breakpoint
CREATE INDEX "concern_pupil_idx" ON "concern" USING btree ("school_id","pupil_id");--> statement-breakpoint
CREATE INDEX "concern_status_idx" ON "concern" USING btree ("school_id","status","concern_date");--> statement-breakpoint
CREATE INDEX "concern_raised_by_idx" ON "concern" USING btree ("school_id","raised_by");--> statement-breakpoint
CREATE INDEX "membership_user_idx" ON "membership" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "org_membership_user_idx" ON "organisation_membership" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "parent_carer_pupil_idx" ON "parent_carer" USING btree ("school_id","pupil_id");--> statement-breakpoint
CREATE UNIQUE INDEX "pupil_upn_key" ON "pupil" USING btree ("school_id","upn");--> statement-breakpoint
CREATE INDEX "pupil_name_idx" ON "pupil" USING btree ("school_id","surname","forename");--> statement-breakpoint
CREATE INDEX "pupil_class_idx" ON "pupil" USING btree ("school_id","class_id");--> statement-breakpoint
CREATE INDEX "pupil_stage_idx" ON "pupil" USING btree ("school_id","sen_stage") WHERE "pupil"."sen_stage" <> 'none';--> statement-breakpoint
CREATE INDEX "pupil_assignment_user_idx" ON "pupil_assignment" USING btree ("school_id","user_id");--> statement-breakpoint
CREATE INDEX "register_entry_pupil_idx" ON "register_entry" USING btree ("school_id","pupil_id","effective_date");--> statement-breakpoint
CREATE INDEX "register_review_pupil_idx" ON "register_review" USING btree ("school_id","pupil_id","reviewed_on");--> statement-breakpoint
CREATE UNIQUE INDEX "school_urn_key" ON "school" USING btree ("urn");--> statement-breakpoint
CREATE INDEX "school_organisation_idx" ON "school" USING btree ("organisation_id");--> statement-breakpoint
CREATE UNIQUE INDEX "school_class_name_key" ON "school_class" USING btree ("school_id","name");--> statement-breakpoint
CREATE INDEX "user_session_user_idx" ON "user_session" USING btree ("user_id");