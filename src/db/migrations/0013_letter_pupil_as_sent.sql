-- A letter keeps what it said about its pupil beside its text (the name and class in its heading and on
-- its slip) as it was sent; these were read from the pupil as they are now, so a letter reprinted after a
-- move named the new class. Letters already sent get what is known: the pupil's name now, and the class
-- they were in on the day it was sent where the pupil's class moves tell it (the class a move on or
-- before that day put them in; or, with no such move, the class a later move took them out of), else the
-- class they are in now.
ALTER TABLE "letter" ADD COLUMN "pupil_as_sent" jsonb;--> statement-breakpoint
UPDATE "letter" AS l
SET "pupil_as_sent" = jsonb_build_object(
  'forename', p."forename",
  'surname', p."surname",
  'className', (
    SELECT c."name" FROM "school_class" AS c
    WHERE c."school_id" = l."school_id"
      AND c."id" = CASE
        WHEN EXISTS (
          SELECT 1 FROM "pupil_class_move" AS m
          WHERE m."school_id" = l."school_id" AND m."pupil_id" = l."pupil_id" AND m."moved_on" <= l."sent_on"
        ) THEN (
          SELECT m."to_class_id" FROM "pupil_class_move" AS m
          WHERE m."school_id" = l."school_id" AND m."pupil_id" = l."pupil_id" AND m."moved_on" <= l."sent_on"
          ORDER BY m."moved_on" DESC, m."recorded_at" DESC
          LIMIT 1
        )
        WHEN EXISTS (
          SELECT 1 FROM "pupil_class_move" AS m
          WHERE m."school_id" = l."school_id" AND m."pupil_id" = l."pupil_id" AND m."moved_on" > l."sent_on"
        ) THEN (
          SELECT m."from_class_id" FROM "pupil_class_move" AS m
          WHERE m."school_id" = l."school_id" AND m."pupil_id" = l."pupil_id" AND m."moved_on" > l."sent_on"
          ORDER BY m."moved_on" ASC, m."recorded_at" ASC
          LIMIT 1
        )
        ELSE p."class_id"
      END
  )
)
FROM "pupil" AS p
WHERE p."school_id" = l."school_id" AND p."id" = l."pupil_id";--> statement-breakpoint
ALTER TABLE "letter" ALTER COLUMN "pupil_as_sent" SET NOT NULL;
