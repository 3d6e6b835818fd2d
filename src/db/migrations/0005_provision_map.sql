CREATE TABLE "group_check" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"group_id" uuid NOT NULL,
	"checked_on" date NOT NULL,
	"decision" text NOT NULL,
	"notes" text,
	"checked_by" uuid,
	"checked_by_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "group_check_school_id_id_pk" PRIMARY KEY("school_id","id")
);
--> statement-breakpoint
CREATE TABLE "group_check_pupil" (
	"school_id" uuid NOT NULL,
	"check_id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"expected_progress" boolean NOT NULL,
	"note" text,
	CONSTRAINT "group_check_pupil_school_id_check_id_pupil_id_pk" PRIMARY KEY("school_id","check_id","pupil_id")
);
--> statement-breakpoint
CREATE TABLE "group_member" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"group_id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"joined_on" date NOT NULL,
	"left_on" date,
	"entry_measure" numeric(8, 2),
	"entry_measured_on" date,
	"exit_measure" numeric(8, 2),
	"exit_measured_on" date,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "group_member_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "group_member_dates_check" CHECK ("group_member"."left_on" is null or "group_member"."left_on" >= "group_member"."joined_on"),
	CONSTRAINT "group_member_exit_needs_entry_check" CHECK ("group_member"."exit_measure" is null or "group_member"."entry_measure" is not null)
);
--> statement-breakpoint
CREATE TABLE "intervention" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"name" text NOT NULL,
	"area" text NOT NULL,
	"description" text,
	"evidence_base" text,
	"usual_deliverer" text NOT NULL,
	"usual_group_size" smallint NOT NULL,
	"sessions_per_week" smallint NOT NULL,
	"minutes_per_session" smallint NOT NULL,
	"cost_model" text NOT NULL,
	"fixed_cost_pence" integer,
	"measure_kind" text NOT NULL,
	"measure_name" text,
	"source" text DEFAULT 'school' NOT NULL,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "intervention_school_id_id_pk" PRIMARY KEY("school_id","id")
);
--> statement-breakpoint
CREATE TABLE "provision_group" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"intervention_id" uuid NOT NULL,
	"name" text NOT NULL,
	"deliverer_id" uuid,
	"deliverer_name" text NOT NULL,
	"deliverer_kind" text NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date,
	"sessions_per_week" smallint NOT NULL,
	"minutes_per_session" smallint NOT NULL,
	"location" text,
	"agency" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "provision_group_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "provision_group_dates_check" CHECK ("provision_group"."end_date" is null or "provision_group"."end_date" >= "provision_group"."start_date")
);
--> statement-breakpoint
CREATE TABLE "provision_session" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"group_id" uuid NOT NULL,
	"held_on" date NOT NULL,
	"note" text,
	"recorded_by" uuid,
	"recorded_by_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "provision_session_school_id_id_pk" PRIMARY KEY("school_id","id")
);
--> statement-breakpoint
CREATE TABLE "session_attendance" (
	"school_id" uuid NOT NULL,
	"session_id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"present" boolean NOT NULL,
	CONSTRAINT "session_attendance_school_id_session_id_pupil_id_pk" PRIMARY KEY("school_id","session_id","pupil_id")
);
--> statement-breakpoint
CREATE TABLE "staff_rate" (
	"school_id" uuid NOT NULL,
	"deliverer" text NOT NULL,
	"hourly_pence" integer NOT NULL,
	CONSTRAINT "staff_rate_school_id_deliverer_pk" PRIMARY KEY("school_id","deliverer")
);
--> statement-breakpoint
ALTER TABLE "group_check" ADD CONSTRAINT "group_check_checked_by_app_user_id_fk" FOREIGN KEY ("checked_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_check" ADD CONSTRAINT "group_check_school_id_group_id_provision_group_school_id_id_fk" FOREIGN KEY ("school_id","group_id") REFERENCES "public"."provision_group"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_check_pupil" ADD CONSTRAINT "group_check_pupil_school_id_pupil_id_pupil_school_id_id_fk" FOREIGN KEY ("school_id","pupil_id") REFERENCES "public"."pupil"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_check_pupil" ADD CONSTRAINT "group_check_pupil_school_id_check_id_group_check_school_id_id_fk" FOREIGN KEY ("school_id","check_id") REFERENCES "public"."group_check"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_member" ADD CONSTRAINT "group_member_school_id_pupil_id_pupil_school_id_id_fk" FOREIGN KEY ("school_id","pupil_id") REFERENCES "public"."pupil"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_member" ADD CONSTRAINT "group_member_school_id_group_id_provision_group_school_id_id_fk" FOREIGN KEY ("school_id","group_id") REFERENCES "public"."provision_group"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provision_group" ADD CONSTRAINT "provision_group_deliverer_id_app_user_id_fk" FOREIGN KEY ("deliverer_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provision_group" ADD CONSTRAINT "provision_group_school_id_intervention_id_intervention_school_id_id_fk" FOREIGN KEY ("school_id","intervention_id") REFERENCES "public"."intervention"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provision_session" ADD CONSTRAINT "provision_session_recorded_by_app_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provision_session" ADD CONSTRAINT "provision_session_school_id_group_id_provision_group_school_id_id_fk" FOREIGN KEY ("school_id","group_id") REFERENCES "public"."provision_group"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_attendance" ADD CONSTRAINT "session_attendance_school_id_pupil_id_pupil_school_id_id_fk" FOREIGN KEY ("school_id","pupil_id") REFERENCES "public"."pupil"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_attendance" ADD CONSTRAINT "session_attendance_school_id_session_id_provision_session_school_id_id_fk" FOREIGN KEY ("school_id","session_id") REFERENCES "public"."provision_session"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "group_check_group_idx" ON "group_check" USING btree ("school_id","group_id","checked_on");--> statement-breakpoint
CREATE INDEX "group_member_group_idx" ON "group_member" USING btree ("school_id","group_id");--> statement-breakpoint
CREATE INDEX "group_member_pupil_idx" ON "group_member" USING btree ("school_id","pupil_id");--> statement-breakpoint
CREATE UNIQUE INDEX "group_member_current_key" ON "group_member" USING btree ("school_id","group_id","pupil_id") WHERE "group_member"."left_on" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "intervention_name_key" ON "intervention" USING btree ("school_id","name") WHERE "intervention"."archived_at" is null;--> statement-breakpoint
CREATE INDEX "intervention_id_idx" ON "intervention" USING btree ("id");--> statement-breakpoint
CREATE INDEX "provision_group_deliverer_idx" ON "provision_group" USING btree ("school_id","deliverer_id");--> statement-breakpoint
CREATE INDEX "provision_group_dates_idx" ON "provision_group" USING btree ("school_id","start_date","end_date");--> statement-breakpoint
CREATE INDEX "provision_group_id_idx" ON "provision_group" USING btree ("id");--> statement-breakpoint
CREATE INDEX "provision_session_group_idx" ON "provision_session" USING btree ("school_id","group_id","held_on");--> statement-breakpoint
CREATE INDEX "session_attendance_pupil_idx" ON "session_attendance" USING btree ("school_id","pupil_id");