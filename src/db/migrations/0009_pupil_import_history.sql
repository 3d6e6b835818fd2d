CREATE TABLE "pupil_import_change" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"import_id" uuid,
	"kind" text NOT NULL,
	"fields" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"applied_by" uuid,
	"applied_by_name" text NOT NULL,
	"applied_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pupil_import_change_school_id_id_pk" PRIMARY KEY("school_id","id")
);
--> statement-breakpoint
ALTER TABLE "pupil_import_change" ADD CONSTRAINT "pupil_import_change_applied_by_app_user_id_fk" FOREIGN KEY ("applied_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pupil_import_change" ADD CONSTRAINT "pupil_import_change_school_id_pupil_id_pupil_school_id_id_fk" FOREIGN KEY ("school_id","pupil_id") REFERENCES "public"."pupil"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pupil_import_change" ADD CONSTRAINT "pupil_import_change_school_id_import_id_pupil_import_school_id_id_fk" FOREIGN KEY ("school_id","import_id") REFERENCES "public"."pupil_import"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "pupil_import_change_pupil_idx" ON "pupil_import_change" USING btree ("school_id","pupil_id","applied_at");
--> statement-breakpoint
-- Carry over the import history the pupil page used to read from the audit trail (whose rows stay as
-- they are): one row for each pupil an applied MIS import added or changed, with the changed fields'
-- labels, who applied it and when.
INSERT INTO "pupil_import_change" ("school_id", "id", "pupil_id", "import_id", "kind", "fields", "applied_by", "applied_by_name", "applied_at")
SELECT e."school_id", gen_random_uuid(), e."pupil_id", i."id",
  CASE e."action" WHEN 'pupil.created_from_import' THEN 'added' ELSE 'updated' END,
  coalesce((SELECT jsonb_agg(c->>'label') FROM jsonb_array_elements(
    CASE WHEN jsonb_typeof(e."detail"->'changes') = 'array' THEN e."detail"->'changes' ELSE '[]'::jsonb END) c
    WHERE c->>'label' IS NOT NULL), '[]'::jsonb),
  e."user_id", coalesce(u."name", ''), e."occurred_at"
FROM "audit_event" e
JOIN "pupil" p ON p."school_id" = e."school_id" AND p."id" = e."pupil_id"
LEFT JOIN "pupil_import" i ON i."school_id" = e."school_id" AND i."id"::text = e."detail"->>'importId'
LEFT JOIN "app_user" u ON u."id" = e."user_id"
WHERE e."action" IN ('pupil.created_from_import', 'pupil.updated_from_import');
