CREATE TABLE "retention_review" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"basis" text NOT NULL,
	"kept_until" date NOT NULL,
	"listed_on" date NOT NULL,
	"status" text DEFAULT 'waiting' NOT NULL,
	"keep_reason" text,
	"look_again_on" date,
	"decided_by" uuid,
	"decided_by_name" text,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "retention_review_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "retention_review_status_check" CHECK ("retention_review"."status" in ('waiting', 'kept')),
	CONSTRAINT "retention_review_basis_check" CHECK ("retention_review"."basis" in ('sen', 'pupil'))
);
--> statement-breakpoint
ALTER TABLE "pupil" ADD COLUMN "erased_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "pupil" ADD COLUMN "erased_by" uuid;--> statement-breakpoint
ALTER TABLE "pupil" ADD COLUMN "erased_by_name" text;--> statement-breakpoint
ALTER TABLE "school_settings" ADD COLUMN "retention_years" smallint DEFAULT 25 NOT NULL;--> statement-breakpoint
ALTER TABLE "school_settings" ADD COLUMN "sen_retention_years" smallint DEFAULT 31 NOT NULL;--> statement-breakpoint
ALTER TABLE "retention_review" ADD CONSTRAINT "retention_review_school_id_pupil_id_pupil_school_id_id_fk" FOREIGN KEY ("school_id","pupil_id") REFERENCES "public"."pupil"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "retention_review_pupil_key" ON "retention_review" USING btree ("school_id","pupil_id");--> statement-breakpoint
CREATE INDEX "retention_review_status_idx" ON "retention_review" USING btree ("school_id","status");