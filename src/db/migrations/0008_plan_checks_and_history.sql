CREATE TABLE "plan_target_check" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"plan_id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"due_on" date NOT NULL,
	"checked_on" date NOT NULL,
	"items" jsonb NOT NULL,
	"recorded_by" uuid,
	"recorded_by_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "plan_target_check_school_id_id_pk" PRIMARY KEY("school_id","id")
);
--> statement-breakpoint
ALTER TABLE "support_plan" ADD COLUMN "agreed_by_name" text;--> statement-breakpoint
ALTER TABLE "support_plan" ADD COLUMN "closed_by_name" text;--> statement-breakpoint
ALTER TABLE "support_plan" ADD COLUMN "pupil_at_close" jsonb;--> statement-breakpoint
ALTER TABLE "group_member" ADD COLUMN "added_by_name" text;--> statement-breakpoint
ALTER TABLE "group_member" ADD COLUMN "left_by_name" text;--> statement-breakpoint
ALTER TABLE "plan_target_check" ADD CONSTRAINT "plan_target_check_recorded_by_app_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_target_check" ADD CONSTRAINT "plan_target_check_school_id_pupil_id_pupil_school_id_id_fk" FOREIGN KEY ("school_id","pupil_id") REFERENCES "public"."pupil"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_target_check" ADD CONSTRAINT "plan_target_check_school_id_plan_id_support_plan_school_id_id_fk" FOREIGN KEY ("school_id","plan_id") REFERENCES "public"."support_plan"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "plan_target_check_plan_due_key" ON "plan_target_check" USING btree ("school_id","plan_id","due_on");--> statement-breakpoint
CREATE INDEX "plan_target_check_id_idx" ON "plan_target_check" USING btree ("id");