CREATE TABLE "subject_access_request" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"requester" text NOT NULL,
	"requester_name" text NOT NULL,
	"received_on" date NOT NULL,
	"due_on" date NOT NULL,
	"notes" text,
	"status" text DEFAULT 'open' NOT NULL,
	"file_id" uuid,
	"flagged" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"produced_at" timestamp with time zone,
	"produced_by_name" text,
	"released_on" date,
	"released_by_name" text,
	"created_by" uuid,
	"created_by_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "subject_access_request_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "subject_access_request_status_check" CHECK ("subject_access_request"."status" in ('open', 'produced', 'released')),
	CONSTRAINT "subject_access_request_requester_check" CHECK ("subject_access_request"."requester" in ('parent', 'pupil', 'representative'))
);
--> statement-breakpoint
ALTER TABLE "subject_access_request" ADD CONSTRAINT "subject_access_request_created_by_app_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subject_access_request" ADD CONSTRAINT "subject_access_request_school_id_pupil_id_pupil_school_id_id_fk" FOREIGN KEY ("school_id","pupil_id") REFERENCES "public"."pupil"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "subject_access_request_due_idx" ON "subject_access_request" USING btree ("school_id","status","due_on");--> statement-breakpoint
CREATE INDEX "subject_access_request_pupil_idx" ON "subject_access_request" USING btree ("school_id","pupil_id");