CREATE TABLE "register_review_skip" (
	"school_id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"term_start" date NOT NULL,
	"skipped_by" uuid,
	"skipped_by_name" text NOT NULL,
	"skipped_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "register_review_skip_school_id_pupil_id_term_start_pk" PRIMARY KEY("school_id","pupil_id","term_start")
);
--> statement-breakpoint
ALTER TABLE "register_review_skip" ADD CONSTRAINT "register_review_skip_skipped_by_app_user_id_fk" FOREIGN KEY ("skipped_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "register_review_skip" ADD CONSTRAINT "register_review_skip_school_id_pupil_id_pupil_school_id_id_fk" FOREIGN KEY ("school_id","pupil_id") REFERENCES "public"."pupil"("school_id","id") ON DELETE no action ON UPDATE no action;