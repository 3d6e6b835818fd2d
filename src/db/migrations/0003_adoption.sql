CREATE TABLE "pupil_class_move" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"from_class_id" uuid,
	"to_class_id" uuid,
	"moved_on" date NOT NULL,
	"source" text NOT NULL,
	"moved_by" uuid,
	"moved_by_name" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pupil_class_move_school_id_id_pk" PRIMARY KEY("school_id","id")
);
--> statement-breakpoint
CREATE TABLE "pupil_search_term" (
	"school_id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"term" text NOT NULL,
	CONSTRAINT "pupil_search_term_school_id_pupil_id_term_pk" PRIMARY KEY("school_id","pupil_id","term")
);
--> statement-breakpoint
CREATE TABLE "ctf_export" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"sequence" integer NOT NULL,
	"file_name" text NOT NULL,
	"destination" text,
	"pupil_ids" jsonb NOT NULL,
	"made_by" uuid,
	"made_by_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ctf_export_school_id_id_pk" PRIMARY KEY("school_id","id")
);
--> statement-breakpoint
CREATE TABLE "pupil_import" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"file_name" text NOT NULL,
	"kind" text NOT NULL,
	"preset" text,
	"encoding" text,
	"mapping" jsonb,
	"status" text DEFAULT 'previewed' NOT NULL,
	"counts" jsonb NOT NULL,
	"plan" jsonb,
	"uploaded_by" uuid,
	"uploaded_by_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"applied_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "pupil_import_school_id_id_pk" PRIMARY KEY("school_id","id")
);
--> statement-breakpoint
DROP INDEX "school_class_name_key";--> statement-breakpoint
ALTER TABLE "pupil" ADD COLUMN "mis_id" text;--> statement-breakpoint
ALTER TABLE "pupil" ADD COLUMN "left_on" date;--> statement-breakpoint
ALTER TABLE "pupil" ADD COLUMN "destination" text;--> statement-breakpoint
ALTER TABLE "pupil" ADD COLUMN "destination_urn" text;--> statement-breakpoint
ALTER TABLE "school" ADD COLUMN "lowest_nc_year" smallint DEFAULT -1 NOT NULL;--> statement-breakpoint
ALTER TABLE "school" ADD COLUMN "highest_nc_year" smallint DEFAULT 6 NOT NULL;--> statement-breakpoint
ALTER TABLE "school" ADD COLUMN "rolled_over_to" smallint;--> statement-breakpoint
ALTER TABLE "school" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "school_class" ADD COLUMN "nc_years" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "school_class" ADD COLUMN "archived_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "school_class" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "school_class" ADD COLUMN "created_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "pupil_class_move" ADD CONSTRAINT "pupil_class_move_school_id_pupil_id_pupil_school_id_id_fk" FOREIGN KEY ("school_id","pupil_id") REFERENCES "public"."pupil"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pupil_search_term" ADD CONSTRAINT "pupil_search_term_school_id_pupil_id_pupil_school_id_id_fk" FOREIGN KEY ("school_id","pupil_id") REFERENCES "public"."pupil"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ctf_export" ADD CONSTRAINT "ctf_export_school_id_school_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."school"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ctf_export" ADD CONSTRAINT "ctf_export_made_by_app_user_id_fk" FOREIGN KEY ("made_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pupil_import" ADD CONSTRAINT "pupil_import_school_id_school_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."school"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pupil_import" ADD CONSTRAINT "pupil_import_uploaded_by_app_user_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "pupil_class_move_pupil_idx" ON "pupil_class_move" USING btree ("school_id","pupil_id","moved_on");--> statement-breakpoint
CREATE INDEX "pupil_search_term_idx" ON "pupil_search_term" USING btree ("school_id","term" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "ctf_export_school_idx" ON "ctf_export" USING btree ("school_id","sequence");--> statement-breakpoint
CREATE INDEX "pupil_import_school_idx" ON "pupil_import" USING btree ("school_id","created_at");--> statement-breakpoint
CREATE INDEX "pupil_on_roll_idx" ON "pupil" USING btree ("school_id","surname","forename") WHERE "pupil"."left_on" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "school_class_name_key" ON "school_class" USING btree ("school_id","name") WHERE "school_class"."archived_at" is null;--> statement-breakpoint
-- Classes: the year groups they teach, from the one year group recorded until now.
UPDATE "school_class" SET "nc_years" = jsonb_build_array("nc_year") WHERE "nc_year" IS NOT NULL;--> statement-breakpoint
-- Finding people: names folded for search (no accents, apostrophes or case; other marks split words),
-- and the terms a pupil is found by, kept up to date by the database whenever a name changes.
CREATE FUNCTION opensend_fold(t text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT trim(regexp_replace(
    regexp_replace(
      replace(replace(replace(translate(lower(coalesce(t, '')), 'àáâãäåāăąçćčďđèéêëēėęěğìíîïīįıłľĺñńňòóôõöōőøŕřśšşșťţțùúûüūůűųýÿžźż', 'aaaaaaaaacccddeeeeeeeegiiiiiiilllnnnoooooooorrsssstttuuuuuuuuyyzzz'), 'ß', 'ss'), 'æ', 'ae'), 'œ', 'oe'),
      '[''’‘ʼ`´]', '', 'g'),
    '[^a-z0-9]+', ' ', 'g'))
$$;--> statement-breakpoint
CREATE FUNCTION opensend_search_terms(forename text, surname text, preferred text) RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
  SELECT array(SELECT DISTINCT w FROM unnest(
    regexp_split_to_array(opensend_fold(forename) || ' ' || opensend_fold(surname) || ' ' || opensend_fold(preferred), ' +')
    || array[replace(opensend_fold(surname), ' ', ''), replace(opensend_fold(forename), ' ', ''), replace(opensend_fold(preferred), ' ', '')]
  ) AS w WHERE w <> '')
$$;--> statement-breakpoint
CREATE FUNCTION pupil_search_terms_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    DELETE FROM pupil_search_term s USING changed c WHERE s.school_id = c.school_id AND s.pupil_id = c.id;
  END IF;
  INSERT INTO pupil_search_term (school_id, pupil_id, term)
  SELECT c.school_id, c.id, t FROM changed c, unnest(opensend_search_terms(c.forename, c.surname, c.preferred_name)) AS t;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER pupil_search_terms_on_insert AFTER INSERT ON pupil REFERENCING NEW TABLE AS changed
FOR EACH STATEMENT EXECUTE FUNCTION pupil_search_terms_refresh();--> statement-breakpoint
CREATE TRIGGER pupil_search_terms_on_update AFTER UPDATE ON pupil REFERENCING NEW TABLE AS changed
FOR EACH STATEMENT EXECUTE FUNCTION pupil_search_terms_refresh();--> statement-breakpoint
INSERT INTO pupil_search_term (school_id, pupil_id, term)
SELECT p.school_id, p.id, t FROM pupil p, unnest(opensend_search_terms(p.forename, p.surname, p.preferred_name)) AS t;
