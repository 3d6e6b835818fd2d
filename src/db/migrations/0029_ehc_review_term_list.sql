CREATE TABLE "ehc_review_term_list" (
	"organisation_id" uuid NOT NULL,
	"school_id" uuid NOT NULL,
	"term_starts_on" date NOT NULL,
	"due_count" integer NOT NULL,
	"overdue_count" integer DEFAULT 0 NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ehc_review_term_list_organisation_id_school_id_term_starts_on_pk" PRIMARY KEY("organisation_id","school_id","term_starts_on")
);
--> statement-breakpoint
ALTER TABLE "ehc_review_term_list" ADD CONSTRAINT "ehc_review_term_list_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;