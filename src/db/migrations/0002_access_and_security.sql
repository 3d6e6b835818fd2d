CREATE TABLE "audit_event_pupil" (
	"school_id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"event_id" bigint NOT NULL,
	CONSTRAINT "audit_event_pupil_school_id_pupil_id_event_id_pk" PRIMARY KEY("school_id","pupil_id","event_id")
);
--> statement-breakpoint
CREATE TABLE "held_form" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"school_id" uuid,
	"path" text NOT NULL,
	"body" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "membership_role" (
	"school_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"role" text NOT NULL,
	CONSTRAINT "membership_role_school_id_user_id_role_pk" PRIMARY KEY("school_id","user_id","role")
);
--> statement-breakpoint
CREATE TABLE "sign_in_throttle" (
	"key" text PRIMARY KEY NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"window_started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"blocked_until" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "staff_invitation" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"email" text NOT NULL,
	"roles" jsonb NOT NULL,
	"invited_by" uuid,
	"invited_by_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"answered_at" timestamp with time zone,
	"answer" text,
	CONSTRAINT "staff_invitation_school_id_id_pk" PRIMARY KEY("school_id","id")
);
--> statement-breakpoint
ALTER TABLE "class_teacher" DROP CONSTRAINT "class_teacher_school_id_user_id_membership_school_id_user_id_fk";
--> statement-breakpoint
ALTER TABLE "pupil_assignment" DROP CONSTRAINT "pupil_assignment_school_id_user_id_membership_school_id_user_id_fk";
--> statement-breakpoint
ALTER TABLE "app_user" ADD COLUMN "must_change_password" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "app_user" ADD COLUMN "password_changed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "audit_event" ADD COLUMN "chain_seq" bigint;--> statement-breakpoint
ALTER TABLE "audit_event" ADD COLUMN "hash" text;--> statement-breakpoint
ALTER TABLE "concern" ADD COLUMN "source" text DEFAULT 'staff' NOT NULL;--> statement-breakpoint
ALTER TABLE "concern" ADD COLUMN "received_via" text;--> statement-breakpoint
ALTER TABLE "concern" ADD COLUMN "recorded_by" uuid;--> statement-breakpoint
ALTER TABLE "concern" ADD COLUMN "recorded_by_name" text;--> statement-breakpoint
ALTER TABLE "membership" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "parent_carer" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "user_session" ADD COLUMN "organisation_id" uuid;--> statement-breakpoint
ALTER TABLE "audit_event_pupil" ADD CONSTRAINT "audit_event_pupil_event_id_audit_event_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."audit_event"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "held_form" ADD CONSTRAINT "held_form_user_id_app_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "held_form" ADD CONSTRAINT "held_form_school_id_school_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."school"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "membership_role" ADD CONSTRAINT "membership_role_school_id_user_id_membership_school_id_user_id_fk" FOREIGN KEY ("school_id","user_id") REFERENCES "public"."membership"("school_id","user_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_invitation" ADD CONSTRAINT "staff_invitation_school_id_school_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."school"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_invitation" ADD CONSTRAINT "staff_invitation_invited_by_app_user_id_fk" FOREIGN KEY ("invited_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "held_form_user_idx" ON "held_form" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "membership_role_role_idx" ON "membership_role" USING btree ("school_id","role");--> statement-breakpoint
CREATE UNIQUE INDEX "staff_invitation_pending_key" ON "staff_invitation" USING btree ("school_id","email") WHERE "staff_invitation"."answered_at" is null;--> statement-breakpoint
CREATE INDEX "staff_invitation_email_idx" ON "staff_invitation" USING btree ("email");--> statement-breakpoint
ALTER TABLE "class_teacher" ADD CONSTRAINT "class_teacher_school_id_user_id_membership_school_id_user_id_fk" FOREIGN KEY ("school_id","user_id") REFERENCES "public"."membership"("school_id","user_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "concern" ADD CONSTRAINT "concern_recorded_by_app_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pupil_assignment" ADD CONSTRAINT "pupil_assignment_school_id_user_id_membership_school_id_user_id_fk" FOREIGN KEY ("school_id","user_id") REFERENCES "public"."membership"("school_id","user_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_session" ADD CONSTRAINT "user_session_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_event_user_idx" ON "audit_event" USING btree ("school_id","user_id","occurred_at");--> statement-breakpoint
CREATE INDEX "audit_event_chain_idx" ON "audit_event" USING btree ("school_id","chain_seq");--> statement-breakpoint
CREATE INDEX "concern_id_idx" ON "concern" USING btree ("id");--> statement-breakpoint
CREATE INDEX "parent_carer_id_idx" ON "parent_carer" USING btree ("id");--> statement-breakpoint
CREATE INDEX "pupil_id_idx" ON "pupil" USING btree ("id");--> statement-breakpoint
ALTER TABLE "app_user" DROP COLUMN "failed_sign_ins";--> statement-breakpoint
ALTER TABLE "app_user" DROP COLUMN "locked_until";--> statement-breakpoint
-- Each membership's one role becomes its first entry in membership_role.
INSERT INTO "membership_role" ("school_id", "user_id", "role") SELECT "school_id", "user_id", "role" FROM "membership";--> statement-breakpoint
ALTER TABLE "membership" DROP COLUMN "role";--> statement-breakpoint
ALTER TABLE "concern" ADD CONSTRAINT "concern_source_check" CHECK ("concern"."source" in ('staff', 'parent', 'pupil', 'professional'));--> statement-breakpoint
-- The audit trail is chained: each row's hash covers the previous row of the same school (or of the
-- rows with no school) and the row's own content, in an order kept by chain_seq. A per-school advisory
-- lock, held to the end of the inserting transaction, keeps the chain in one line.
CREATE FUNCTION audit_event_digest(prev text, seq bigint, e audit_event) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT encode(sha256(convert_to(concat_ws('|',
    coalesce(prev, ''), seq::text, coalesce(e.school_id::text, ''),
    ((extract(epoch from e.occurred_at) * 1000000)::bigint)::text,
    coalesce(e.user_id::text, ''), coalesce(e.role, ''), e.action, coalesce(e.pupil_id::text, ''),
    coalesce(e.request_id, ''), coalesce(e.detail::text, '')), 'UTF8')), 'hex')
$$;--> statement-breakpoint
CREATE FUNCTION audit_event_chain() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  last_seq bigint;
  last_hash text;
BEGIN
  PERFORM pg_advisory_xact_lock(720451100, hashtext(coalesce(NEW.school_id::text, 'none')));
  IF NEW.school_id IS NULL THEN
    SELECT chain_seq, hash INTO last_seq, last_hash FROM audit_event
      WHERE school_id IS NULL AND chain_seq IS NOT NULL ORDER BY chain_seq DESC LIMIT 1;
  ELSE
    SELECT chain_seq, hash INTO last_seq, last_hash FROM audit_event
      WHERE school_id = NEW.school_id AND chain_seq IS NOT NULL ORDER BY chain_seq DESC LIMIT 1;
  END IF;
  NEW.chain_seq := coalesce(last_seq, 0) + 1;
  NEW.hash := audit_event_digest(last_hash, NEW.chain_seq, NEW);
  RETURN NEW;
END;
$$;--> statement-breakpoint
-- Chain the rows already there, in the order they were written.
ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update_or_delete;--> statement-breakpoint
DO $$
DECLARE
  r audit_event;
  cur_school uuid;
  first boolean := true;
  seq bigint;
  prev text;
BEGIN
  FOR r IN SELECT * FROM audit_event ORDER BY school_id NULLS FIRST, id LOOP
    IF first OR r.school_id IS DISTINCT FROM cur_school THEN
      cur_school := r.school_id; seq := 0; prev := NULL; first := false;
    END IF;
    seq := seq + 1;
    prev := audit_event_digest(prev, seq, r);
    UPDATE audit_event SET chain_seq = seq, hash = prev WHERE id = r.id;
  END LOOP;
END;
$$;--> statement-breakpoint
ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update_or_delete;--> statement-breakpoint
CREATE TRIGGER audit_event_chain BEFORE INSERT ON audit_event FOR EACH ROW EXECUTE FUNCTION audit_event_chain();--> statement-breakpoint
-- The pupils a list showed are part of the trail too: append-only like it.
CREATE TRIGGER audit_event_pupil_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_event_pupil
FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change();--> statement-breakpoint
CREATE TRIGGER audit_event_pupil_no_truncate BEFORE TRUNCATE ON audit_event_pupil
FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_change();
