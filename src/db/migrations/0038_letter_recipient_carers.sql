ALTER TABLE "letter" ADD COLUMN "recipient_carer_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL;--> statement-breakpoint
-- Letters sent before this column: the pupil's parents and carers whose names the letter named when it
-- was sent (a letter to "Parent/Carer" names no one and is every parent's). A named letter whose names
-- match no record now is read by no parent online: it stays on paper.
UPDATE "letter" l SET "recipient_carer_ids" = coalesce((
  SELECT array_agg(pc."id" ORDER BY pc."id") FROM "parent_carer" pc
  WHERE pc."school_id" = l."school_id" AND pc."pupil_id" = l."pupil_id"
    AND length(trim(pc."name")) > 0 AND position(pc."name" in l."recipients") > 0
), '{}'::uuid[]) WHERE l."recipients" <> 'Parent/Carer';
