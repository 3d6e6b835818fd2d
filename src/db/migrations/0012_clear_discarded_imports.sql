-- A discarded upload keeps none of the pupils it held: what the list of recent imports and the audit
-- trail need (file name, who uploaded it and when, its counts, that it was discarded) stays. Uploads
-- discarded before this were left holding their rows until the weekly clear-out: clear them now.
UPDATE "pupil_import" SET "plan" = NULL, "mapping" = NULL
WHERE "status" = 'discarded' AND "kind" = 'mis_csv';
--> statement-breakpoint
UPDATE "pupil_import"
SET "plan" = jsonb_build_object('source', "plan" -> 'source', 'warning', NULL, 'pupils', '[]'::jsonb)
WHERE "status" = 'discarded' AND "kind" = 'ctf' AND "plan" IS NOT NULL;
