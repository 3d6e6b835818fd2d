ALTER TABLE "referral_event" ADD COLUMN "refused_by_parent_carer_id" uuid;--> statement-breakpoint
-- Refusals given online before this column: the step's note begins "Consent refused online" and its
-- by_name is the parent's name on the child's record.
UPDATE "referral_event" e SET "refused_by_parent_carer_id" = (
  SELECT pc."id" FROM "parent_carer" pc
  WHERE pc."school_id" = e."school_id" AND pc."pupil_id" = e."pupil_id" AND pc."name" = e."by_name"
  ORDER BY pc."id" LIMIT 1
) WHERE e."note" LIKE 'Consent refused online%';
