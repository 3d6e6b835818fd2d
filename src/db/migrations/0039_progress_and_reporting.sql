CREATE TABLE "assessment_subject" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"name" text NOT NULL,
	"position" smallint NOT NULL,
	"scale" text NOT NULL,
	"bands" jsonb,
	"expected_band" text,
	"score_min" smallint,
	"score_max" smallint,
	"score_expected" smallint,
	"steps_per_year" smallint,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "assessment_subject_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "assessment_subject_scale_check" CHECK ("assessment_subject"."scale" in ('bands', 'score', 'steps'))
);
--> statement-breakpoint
CREATE TABLE "attainment_result" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"subject_id" uuid NOT NULL,
	"academic_year" smallint NOT NULL,
	"term" text NOT NULL,
	"scale" text NOT NULL,
	"value" integer NOT NULL,
	"nc_year" smallint,
	"source" text DEFAULT 'grid' NOT NULL,
	"recorded_by" uuid,
	"recorded_by_name" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "attainment_result_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "attainment_result_term_check" CHECK ("attainment_result"."term" in ('autumn', 'spring', 'summer')),
	CONSTRAINT "attainment_result_scale_check" CHECK ("attainment_result"."scale" in ('bands', 'score', 'steps')),
	CONSTRAINT "attainment_result_source_check" CHECK ("attainment_result"."source" in ('grid', 'import'))
);
--> statement-breakpoint
CREATE TABLE "complaint" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"kind" text NOT NULL,
	"received_on" date NOT NULL,
	"complainant_name" text NOT NULL,
	"complainant_relationship" text,
	"pupil_id" uuid,
	"summary" text NOT NULL,
	"about_user_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"stage" text DEFAULT 'senco' NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"outcome" text,
	"outcome_summary" text,
	"closed_on" date,
	"created_by" uuid,
	"created_by_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "complaint_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "complaint_kind_check" CHECK ("complaint"."kind" in ('concern', 'formal')),
	CONSTRAINT "complaint_stage_check" CHECK ("complaint"."stage" in ('senco', 'head_teacher', 'governors_panel')),
	CONSTRAINT "complaint_status_check" CHECK ("complaint"."status" in ('open', 'closed'))
);
--> statement-breakpoint
CREATE TABLE "complaint_stage" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"complaint_id" uuid NOT NULL,
	"stage" text NOT NULL,
	"started_on" date NOT NULL,
	"response_due_on" date NOT NULL,
	"handled_by" uuid,
	"handled_by_name" text,
	"response" text,
	"responded_on" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "complaint_stage_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "complaint_stage_stage_check" CHECK ("complaint_stage"."stage" in ('senco', 'head_teacher', 'governors_panel'))
);
--> statement-breakpoint
CREATE TABLE "expected_trajectory" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"subject_id" uuid NOT NULL,
	"academic_year" smallint NOT NULL,
	"scale" text NOT NULL,
	"end_value" integer NOT NULL,
	"reason" text,
	"set_by" uuid,
	"set_by_name" text NOT NULL,
	"set_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "expected_trajectory_school_id_id_pk" PRIMARY KEY("school_id","id")
);
--> statement-breakpoint
CREATE TABLE "outcome_rating" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"outcome_id" uuid NOT NULL,
	"rating" smallint NOT NULL,
	"rated_on" date NOT NULL,
	"plan_review_id" uuid,
	"annual_review_id" uuid,
	"note" text,
	"recorded_by" uuid,
	"recorded_by_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outcome_rating_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "outcome_rating_rating_check" CHECK ("outcome_rating"."rating" between 1 and 5)
);
--> statement-breakpoint
CREATE TABLE "progress_meeting" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"class_id" uuid NOT NULL,
	"academic_year" smallint NOT NULL,
	"half_term" smallint NOT NULL,
	"held_on" date,
	"attendees" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"notes" text,
	"status" text DEFAULT 'planned' NOT NULL,
	"created_by" uuid,
	"created_by_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "progress_meeting_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "progress_meeting_half_term_check" CHECK ("progress_meeting"."half_term" between 1 and 6),
	CONSTRAINT "progress_meeting_status_check" CHECK ("progress_meeting"."status" in ('planned', 'held'))
);
--> statement-breakpoint
CREATE TABLE "progress_meeting_pupil" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"meeting_id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"decision" text NOT NULL,
	"notes" text,
	"action_owner_id" uuid,
	"action_owner_name" text,
	"action_due_on" date,
	"action_done_at" timestamp with time zone,
	"action_done_by" uuid,
	"concern_id" uuid,
	"recorded_by" uuid,
	"recorded_by_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "progress_meeting_pupil_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "progress_meeting_pupil_decision_check" CHECK ("progress_meeting_pupil"."decision" in ('concern', 'provision_change', 'referral', 'trajectory_change', 'no_action', 'other'))
);
--> statement-breakpoint
CREATE TABLE "pupil_outcome" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"area" text NOT NULL,
	"description" text NOT NULL,
	"plan_id" uuid,
	"ehc_plan_id" uuid,
	"ehc_outcome_id" text,
	"started_on" date NOT NULL,
	"ended_on" date,
	"created_by" uuid,
	"created_by_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "pupil_outcome_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "pupil_outcome_area_check" CHECK ("pupil_outcome"."area" in ('independence', 'communication', 'regulation', 'attendance', 'wellbeing'))
);
--> statement-breakpoint
CREATE TABLE "school_report" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"kind" text NOT NULL,
	"academic_year" smallint NOT NULL,
	"texts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"published" jsonb,
	"published_at" timestamp with time zone,
	"published_by" uuid,
	"updated_by" uuid,
	"updated_by_name" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "school_report_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "school_report_kind_check" CHECK ("school_report"."kind" in ('sen_information', 'governors_annual'))
);
--> statement-breakpoint
CREATE TABLE "senco_appointment" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"appointed_on" date NOT NULL,
	"qualification" text,
	"started_on" date,
	"achieved_on" date,
	"provider" text,
	"ended_on" date,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "senco_appointment_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "senco_appointment_qualification_check" CHECK ("senco_appointment"."qualification" is null or "senco_appointment"."qualification" in ('national_award', 'npq_senco'))
);
--> statement-breakpoint
CREATE TABLE "staff_training" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"course" text NOT NULL,
	"completed_on" date NOT NULL,
	"hours" numeric(5, 1) NOT NULL,
	"need_area" text,
	"provider" text,
	"notes" text,
	"recorded_by" uuid,
	"recorded_by_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "staff_training_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "staff_training_hours_check" CHECK ("staff_training"."hours" > 0 and "staff_training"."hours" <= 500)
);
--> statement-breakpoint
CREATE TABLE "training_plan_item" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"academic_year" smallint NOT NULL,
	"title" text NOT NULL,
	"need_area" text,
	"audience" text,
	"term" text,
	"status" text DEFAULT 'planned' NOT NULL,
	"notes" text,
	"created_by" uuid,
	"created_by_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "training_plan_item_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "training_plan_item_status_check" CHECK ("training_plan_item"."status" in ('planned', 'done', 'dropped'))
);
--> statement-breakpoint
ALTER TABLE "attainment_result" ADD CONSTRAINT "attainment_result_recorded_by_app_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attainment_result" ADD CONSTRAINT "attainment_result_school_id_pupil_id_pupil_school_id_id_fk" FOREIGN KEY ("school_id","pupil_id") REFERENCES "public"."pupil"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attainment_result" ADD CONSTRAINT "attainment_result_school_id_subject_id_assessment_subject_school_id_id_fk" FOREIGN KEY ("school_id","subject_id") REFERENCES "public"."assessment_subject"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaint" ADD CONSTRAINT "complaint_created_by_app_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaint" ADD CONSTRAINT "complaint_school_id_pupil_id_pupil_school_id_id_fk" FOREIGN KEY ("school_id","pupil_id") REFERENCES "public"."pupil"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaint_stage" ADD CONSTRAINT "complaint_stage_handled_by_app_user_id_fk" FOREIGN KEY ("handled_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaint_stage" ADD CONSTRAINT "complaint_stage_school_id_complaint_id_complaint_school_id_id_fk" FOREIGN KEY ("school_id","complaint_id") REFERENCES "public"."complaint"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expected_trajectory" ADD CONSTRAINT "expected_trajectory_set_by_app_user_id_fk" FOREIGN KEY ("set_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expected_trajectory" ADD CONSTRAINT "expected_trajectory_school_id_pupil_id_pupil_school_id_id_fk" FOREIGN KEY ("school_id","pupil_id") REFERENCES "public"."pupil"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expected_trajectory" ADD CONSTRAINT "expected_trajectory_school_id_subject_id_assessment_subject_school_id_id_fk" FOREIGN KEY ("school_id","subject_id") REFERENCES "public"."assessment_subject"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outcome_rating" ADD CONSTRAINT "outcome_rating_recorded_by_app_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outcome_rating" ADD CONSTRAINT "outcome_rating_school_id_pupil_id_pupil_school_id_id_fk" FOREIGN KEY ("school_id","pupil_id") REFERENCES "public"."pupil"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outcome_rating" ADD CONSTRAINT "outcome_rating_school_id_outcome_id_pupil_outcome_school_id_id_fk" FOREIGN KEY ("school_id","outcome_id") REFERENCES "public"."pupil_outcome"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "progress_meeting" ADD CONSTRAINT "progress_meeting_created_by_app_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "progress_meeting" ADD CONSTRAINT "progress_meeting_school_id_class_id_school_class_school_id_id_fk" FOREIGN KEY ("school_id","class_id") REFERENCES "public"."school_class"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "progress_meeting_pupil" ADD CONSTRAINT "progress_meeting_pupil_action_owner_id_app_user_id_fk" FOREIGN KEY ("action_owner_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "progress_meeting_pupil" ADD CONSTRAINT "progress_meeting_pupil_action_done_by_app_user_id_fk" FOREIGN KEY ("action_done_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "progress_meeting_pupil" ADD CONSTRAINT "progress_meeting_pupil_recorded_by_app_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "progress_meeting_pupil" ADD CONSTRAINT "progress_meeting_pupil_school_id_pupil_id_pupil_school_id_id_fk" FOREIGN KEY ("school_id","pupil_id") REFERENCES "public"."pupil"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "progress_meeting_pupil" ADD CONSTRAINT "progress_meeting_pupil_school_id_meeting_id_progress_meeting_school_id_id_fk" FOREIGN KEY ("school_id","meeting_id") REFERENCES "public"."progress_meeting"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pupil_outcome" ADD CONSTRAINT "pupil_outcome_created_by_app_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pupil_outcome" ADD CONSTRAINT "pupil_outcome_school_id_pupil_id_pupil_school_id_id_fk" FOREIGN KEY ("school_id","pupil_id") REFERENCES "public"."pupil"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "school_report" ADD CONSTRAINT "school_report_published_by_app_user_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "school_report" ADD CONSTRAINT "school_report_updated_by_app_user_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "senco_appointment" ADD CONSTRAINT "senco_appointment_user_id_app_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "senco_appointment" ADD CONSTRAINT "senco_appointment_updated_by_app_user_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_training" ADD CONSTRAINT "staff_training_user_id_app_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_training" ADD CONSTRAINT "staff_training_recorded_by_app_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_plan_item" ADD CONSTRAINT "training_plan_item_created_by_app_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "assessment_subject_name_key" ON "assessment_subject" USING btree ("school_id",lower("name")) WHERE "assessment_subject"."archived_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "attainment_result_term_key" ON "attainment_result" USING btree ("school_id","pupil_id","subject_id","academic_year","term");--> statement-breakpoint
CREATE INDEX "attainment_result_term_idx" ON "attainment_result" USING btree ("school_id","academic_year","term","subject_id");--> statement-breakpoint
CREATE INDEX "complaint_received_idx" ON "complaint" USING btree ("school_id","received_on");--> statement-breakpoint
CREATE UNIQUE INDEX "complaint_stage_key" ON "complaint_stage" USING btree ("school_id","complaint_id","stage");--> statement-breakpoint
CREATE UNIQUE INDEX "expected_trajectory_key" ON "expected_trajectory" USING btree ("school_id","pupil_id","subject_id","academic_year");--> statement-breakpoint
CREATE INDEX "outcome_rating_outcome_idx" ON "outcome_rating" USING btree ("school_id","outcome_id","rated_on");--> statement-breakpoint
CREATE UNIQUE INDEX "progress_meeting_class_key" ON "progress_meeting" USING btree ("school_id","class_id","academic_year","half_term");--> statement-breakpoint
CREATE UNIQUE INDEX "progress_meeting_pupil_key" ON "progress_meeting_pupil" USING btree ("school_id","meeting_id","pupil_id");--> statement-breakpoint
CREATE INDEX "progress_meeting_pupil_pupil_idx" ON "progress_meeting_pupil" USING btree ("school_id","pupil_id");--> statement-breakpoint
CREATE INDEX "progress_meeting_action_owner_idx" ON "progress_meeting_pupil" USING btree ("school_id","action_owner_id");--> statement-breakpoint
CREATE INDEX "pupil_outcome_pupil_idx" ON "pupil_outcome" USING btree ("school_id","pupil_id");--> statement-breakpoint
CREATE UNIQUE INDEX "school_report_key" ON "school_report" USING btree ("school_id","kind","academic_year");--> statement-breakpoint
CREATE UNIQUE INDEX "senco_appointment_user_key" ON "senco_appointment" USING btree ("school_id","user_id","appointed_on");--> statement-breakpoint
CREATE INDEX "staff_training_user_idx" ON "staff_training" USING btree ("school_id","user_id","completed_on");--> statement-breakpoint
CREATE INDEX "staff_training_completed_idx" ON "staff_training" USING btree ("school_id","completed_on");--> statement-breakpoint
CREATE INDEX "training_plan_item_year_idx" ON "training_plan_item" USING btree ("school_id","academic_year");