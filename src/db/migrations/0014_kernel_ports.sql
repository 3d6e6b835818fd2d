CREATE TABLE "job" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"school_id" uuid,
	"organisation_id" uuid,
	"dedupe_key" text,
	"run_at" timestamp with time zone DEFAULT now() NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"max_attempts" integer DEFAULT 8 NOT NULL,
	"locked_by" text,
	"locked_until" timestamp with time zone,
	"last_error" text,
	"finished_at" timestamp with time zone,
	"failed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outbound_mail" (
	"id" uuid PRIMARY KEY NOT NULL,
	"school_id" uuid,
	"organisation_id" uuid,
	"to_address" text NOT NULL,
	"subject" text NOT NULL,
	"body" text NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outbound_mail_status_check" CHECK ("outbound_mail"."status" in ('queued', 'sent', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "stored_file" (
	"owner_id" uuid NOT NULL,
	"owner_kind" text NOT NULL,
	"id" uuid NOT NULL,
	"pupil_id" uuid,
	"name" text NOT NULL,
	"content_type" text NOT NULL,
	"extension" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"bytes" "bytea" NOT NULL,
	"uploaded_by" uuid,
	"uploaded_by_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stored_file_owner_id_id_pk" PRIMARY KEY("owner_id","id"),
	CONSTRAINT "stored_file_owner_kind_check" CHECK ("stored_file"."owner_kind" in ('school', 'organisation'))
);
--> statement-breakpoint
ALTER TABLE "stored_file" ADD CONSTRAINT "stored_file_uploaded_by_app_user_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "job_dedupe_key" ON "job" USING btree ("dedupe_key");--> statement-breakpoint
CREATE INDEX "job_due_idx" ON "job" USING btree ("run_at") WHERE "job"."finished_at" is null and "job"."failed_at" is null;--> statement-breakpoint
CREATE INDEX "job_school_idx" ON "job" USING btree ("school_id","created_at");--> statement-breakpoint
CREATE INDEX "outbound_mail_school_idx" ON "outbound_mail" USING btree ("school_id","created_at");--> statement-breakpoint
CREATE INDEX "outbound_mail_organisation_idx" ON "outbound_mail" USING btree ("organisation_id","created_at");--> statement-breakpoint
CREATE INDEX "stored_file_pupil_idx" ON "stored_file" USING btree ("owner_id","pupil_id");