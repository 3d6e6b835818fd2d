CREATE TABLE "letter" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"template_id" uuid,
	"kind" text NOT NULL,
	"plan_id" uuid,
	"recipients" text NOT NULL,
	"body" text NOT NULL,
	"slip" text,
	"sent_on" date NOT NULL,
	"sent_via" text NOT NULL,
	"sent_by" uuid,
	"sent_by_name" text NOT NULL,
	"slip_expected" boolean DEFAULT false NOT NULL,
	"slip_returned_on" date,
	"slip_recorded_by" uuid,
	"slip_recorded_by_name" text,
	"slip_note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "letter_school_id_id_pk" PRIMARY KEY("school_id","id")
);
--> statement-breakpoint
CREATE TABLE "letter_template" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"body" text NOT NULL,
	"slip" text,
	"updated_by" uuid,
	"updated_by_name" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "letter_template_school_id_id_pk" PRIMARY KEY("school_id","id")
);
--> statement-breakpoint
CREATE TABLE "bank_entry" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"kind" text NOT NULL,
	"area" text NOT NULL,
	"text" text NOT NULL,
	"achievement_criteria" text,
	"source" text DEFAULT 'school' NOT NULL,
	"created_by" uuid,
	"created_by_name" text,
	"times_used" integer DEFAULT 0 NOT NULL,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bank_entry_school_id_id_pk" PRIMARY KEY("school_id","id")
);
--> statement-breakpoint
CREATE TABLE "plan_note" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"plan_id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"target_id" uuid,
	"written_on" date NOT NULL,
	"body" text NOT NULL,
	"author_id" uuid,
	"author_name" text NOT NULL,
	"author_roles" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "plan_note_school_id_id_pk" PRIMARY KEY("school_id","id")
);
--> statement-breakpoint
CREATE TABLE "plan_review" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"plan_id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"held_on" date NOT NULL,
	"attendees" text NOT NULL,
	"pupil_views" text,
	"parents_views" text,
	"progress" text NOT NULL,
	"decision" text NOT NULL,
	"decision_notes" text,
	"extended_to" date,
	"next_plan_id" uuid,
	"reviewed_by" uuid,
	"reviewed_by_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "plan_review_school_id_id_pk" PRIMARY KEY("school_id","id")
);
--> statement-breakpoint
CREATE TABLE "plan_target" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"plan_id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"position" smallint NOT NULL,
	"area" text,
	"target" text NOT NULL,
	"achievement_criteria" text,
	"resources_and_techniques" text,
	"class_strategies" text,
	"outcome" text,
	"outcome_evidence" text,
	"carried_from_id" uuid,
	"bank_entry_id" uuid,
	CONSTRAINT "plan_target_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "plan_target_outcome_check" CHECK ("plan_target"."outcome" is null or "plan_target"."outcome" in ('achieved', 'partly_achieved', 'not_achieved'))
);
--> statement-breakpoint
CREATE TABLE "pupil_action" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"plan_review_id" uuid,
	"notes" text,
	"status" text DEFAULT 'open' NOT NULL,
	"created_by" uuid,
	"created_by_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pupil_action_school_id_id_pk" PRIMARY KEY("school_id","id")
);
--> statement-breakpoint
CREATE TABLE "pupil_profile" (
	"school_id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"like_and_admire" text,
	"important_to_me" text,
	"how_to_support_me" text,
	"updated_by" uuid,
	"updated_by_name" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "pupil_profile_school_id_pupil_id_pk" PRIMARY KEY("school_id","pupil_id")
);
--> statement-breakpoint
CREATE TABLE "support_plan" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"cycle" smallint NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"need_areas" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"strengths" text,
	"areas_of_concern" text,
	"desired_outcomes" text,
	"quality_first" text,
	"interventions" text,
	"ta_support" text,
	"resources" text,
	"parent_pupil_contribution" text,
	"parents_support_at_home" text,
	"parents_views" text,
	"pupil_views" text,
	"start_date" date,
	"review_date" date,
	"owner_id" uuid,
	"owner_name" text,
	"agreed_on" date,
	"agreed_with" text,
	"shared_with_parents_on" date,
	"previous_plan_id" uuid,
	"created_by" uuid,
	"created_by_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "support_plan_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "support_plan_status_check" CHECK ("support_plan"."status" in ('draft', 'active', 'in_review', 'closed'))
);
--> statement-breakpoint
CREATE TABLE "school_settings" (
	"school_id" uuid PRIMARY KEY NOT NULL,
	"plan_name" text DEFAULT 'SEN Support Plan' NOT NULL,
	"review_interval" text DEFAULT 'termly' NOT NULL,
	"half_termly_target_checks" boolean DEFAULT false NOT NULL,
	"max_targets" smallint DEFAULT 4 NOT NULL,
	"top_up_threshold_pence" integer DEFAULT 600000 NOT NULL,
	"nearing_percent" smallint DEFAULT 80 NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "letter" ADD CONSTRAINT "letter_sent_by_app_user_id_fk" FOREIGN KEY ("sent_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "letter" ADD CONSTRAINT "letter_slip_recorded_by_app_user_id_fk" FOREIGN KEY ("slip_recorded_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "letter" ADD CONSTRAINT "letter_school_id_pupil_id_pupil_school_id_id_fk" FOREIGN KEY ("school_id","pupil_id") REFERENCES "public"."pupil"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "letter_template" ADD CONSTRAINT "letter_template_updated_by_app_user_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bank_entry" ADD CONSTRAINT "bank_entry_created_by_app_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_note" ADD CONSTRAINT "plan_note_author_id_app_user_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_note" ADD CONSTRAINT "plan_note_school_id_pupil_id_pupil_school_id_id_fk" FOREIGN KEY ("school_id","pupil_id") REFERENCES "public"."pupil"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_note" ADD CONSTRAINT "plan_note_school_id_plan_id_support_plan_school_id_id_fk" FOREIGN KEY ("school_id","plan_id") REFERENCES "public"."support_plan"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_review" ADD CONSTRAINT "plan_review_reviewed_by_app_user_id_fk" FOREIGN KEY ("reviewed_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_review" ADD CONSTRAINT "plan_review_school_id_pupil_id_pupil_school_id_id_fk" FOREIGN KEY ("school_id","pupil_id") REFERENCES "public"."pupil"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_review" ADD CONSTRAINT "plan_review_school_id_plan_id_support_plan_school_id_id_fk" FOREIGN KEY ("school_id","plan_id") REFERENCES "public"."support_plan"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_target" ADD CONSTRAINT "plan_target_school_id_pupil_id_pupil_school_id_id_fk" FOREIGN KEY ("school_id","pupil_id") REFERENCES "public"."pupil"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_target" ADD CONSTRAINT "plan_target_school_id_plan_id_support_plan_school_id_id_fk" FOREIGN KEY ("school_id","plan_id") REFERENCES "public"."support_plan"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pupil_action" ADD CONSTRAINT "pupil_action_created_by_app_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pupil_action" ADD CONSTRAINT "pupil_action_school_id_pupil_id_pupil_school_id_id_fk" FOREIGN KEY ("school_id","pupil_id") REFERENCES "public"."pupil"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pupil_profile" ADD CONSTRAINT "pupil_profile_updated_by_app_user_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pupil_profile" ADD CONSTRAINT "pupil_profile_school_id_pupil_id_pupil_school_id_id_fk" FOREIGN KEY ("school_id","pupil_id") REFERENCES "public"."pupil"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_plan" ADD CONSTRAINT "support_plan_owner_id_app_user_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_plan" ADD CONSTRAINT "support_plan_created_by_app_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_plan" ADD CONSTRAINT "support_plan_school_id_pupil_id_pupil_school_id_id_fk" FOREIGN KEY ("school_id","pupil_id") REFERENCES "public"."pupil"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "school_settings" ADD CONSTRAINT "school_settings_school_id_school_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."school"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "letter_pupil_idx" ON "letter" USING btree ("school_id","pupil_id","sent_on");--> statement-breakpoint
CREATE INDEX "letter_slip_idx" ON "letter" USING btree ("school_id","slip_expected","slip_returned_on");--> statement-breakpoint
CREATE INDEX "letter_id_idx" ON "letter" USING btree ("id");--> statement-breakpoint
CREATE INDEX "letter_template_kind_idx" ON "letter_template" USING btree ("school_id","kind");--> statement-breakpoint
CREATE INDEX "bank_entry_area_idx" ON "bank_entry" USING btree ("school_id","kind","area");--> statement-breakpoint
CREATE INDEX "plan_note_plan_idx" ON "plan_note" USING btree ("school_id","plan_id","written_on");--> statement-breakpoint
CREATE INDEX "plan_note_id_idx" ON "plan_note" USING btree ("id");--> statement-breakpoint
CREATE INDEX "plan_review_plan_idx" ON "plan_review" USING btree ("school_id","plan_id");--> statement-breakpoint
CREATE INDEX "plan_review_id_idx" ON "plan_review" USING btree ("id");--> statement-breakpoint
CREATE INDEX "plan_target_plan_idx" ON "plan_target" USING btree ("school_id","plan_id","position");--> statement-breakpoint
CREATE INDEX "plan_target_id_idx" ON "plan_target" USING btree ("id");--> statement-breakpoint
CREATE INDEX "pupil_action_pupil_idx" ON "pupil_action" USING btree ("school_id","pupil_id");--> statement-breakpoint
CREATE INDEX "pupil_action_open_idx" ON "pupil_action" USING btree ("school_id","status");--> statement-breakpoint
CREATE INDEX "support_plan_pupil_idx" ON "support_plan" USING btree ("school_id","pupil_id","cycle");--> statement-breakpoint
CREATE INDEX "support_plan_status_idx" ON "support_plan" USING btree ("school_id","status","review_date");--> statement-breakpoint
CREATE INDEX "support_plan_id_idx" ON "support_plan" USING btree ("id");--> statement-breakpoint
CREATE UNIQUE INDEX "support_plan_one_active_key" ON "support_plan" USING btree ("school_id","pupil_id") WHERE "support_plan"."status" in ('active', 'in_review');--> statement-breakpoint
CREATE UNIQUE INDEX "support_plan_cycle_key" ON "support_plan" USING btree ("school_id","pupil_id","cycle");