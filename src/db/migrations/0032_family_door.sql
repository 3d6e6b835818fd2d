CREATE TABLE "contact_change" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"parent_carer_id" uuid NOT NULL,
	"requested_by" uuid NOT NULL,
	"phone" text,
	"email" text,
	"note" text,
	"status" text DEFAULT 'waiting' NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"decline_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "contact_change_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "contact_change_status_check" CHECK ("contact_change"."status" in ('waiting', 'accepted', 'declined'))
);
--> statement-breakpoint
CREATE TABLE "family_view" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"about" text NOT NULL,
	"subject_id" uuid NOT NULL,
	"body" text NOT NULL,
	"given_by" uuid NOT NULL,
	"parent_carer_id" uuid,
	"given_by_name" text NOT NULL,
	"given_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "family_view_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "family_view_about_check" CHECK ("family_view"."about" in ('plan_review', 'ehc_request', 'ehc_draft', 'annual_review'))
);
--> statement-breakpoint
CREATE TABLE "letter_reply" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"letter_id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"parent_carer_id" uuid,
	"replied_by_name" text NOT NULL,
	"reply" text NOT NULL,
	"note" text,
	"replied_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "letter_reply_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "letter_reply_reply_check" CHECK ("letter_reply"."reply" in ('acknowledged', 'want_to_talk'))
);
--> statement-breakpoint
CREATE TABLE "mail_preference" (
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"wanted" boolean NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mail_preference_user_id_kind_pk" PRIMARY KEY("user_id","kind")
);
--> statement-breakpoint
CREATE TABLE "parent_invitation" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"parent_carer_id" uuid NOT NULL,
	"method" text NOT NULL,
	"email" text,
	"code_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"used_at" timestamp with time zone,
	"used_by" uuid,
	"ended_at" timestamp with time zone,
	"ended_by" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "parent_invitation_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "parent_invitation_method_check" CHECK ("parent_invitation"."method" in ('email', 'letter')),
	CONSTRAINT "parent_invitation_email_check" CHECK ("parent_invitation"."method" = 'letter' or "parent_invitation"."email" is not null)
);
--> statement-breakpoint
CREATE TABLE "pupil_voice" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"plan_id" uuid,
	"answers" jsonb NOT NULL,
	"written_with" text,
	"recorded_by" uuid,
	"recorded_by_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "pupil_voice_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "pupil_voice_kind_check" CHECK ("pupil_voice"."kind" in ('one_page_profile', 'review_views')),
	CONSTRAINT "pupil_voice_answers_check" CHECK (jsonb_typeof("pupil_voice"."answers") = 'object')
);
--> statement-breakpoint
ALTER TABLE "outbound_mail" ADD COLUMN "parent_carer_id" uuid;--> statement-breakpoint
ALTER TABLE "contact_change" ADD CONSTRAINT "contact_change_requested_by_app_user_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_change" ADD CONSTRAINT "contact_change_decided_by_app_user_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_change" ADD CONSTRAINT "contact_change_school_id_pupil_id_pupil_school_id_id_fk" FOREIGN KEY ("school_id","pupil_id") REFERENCES "public"."pupil"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_change" ADD CONSTRAINT "contact_change_school_id_parent_carer_id_parent_carer_school_id_id_fk" FOREIGN KEY ("school_id","parent_carer_id") REFERENCES "public"."parent_carer"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "family_view" ADD CONSTRAINT "family_view_given_by_app_user_id_fk" FOREIGN KEY ("given_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "family_view" ADD CONSTRAINT "family_view_school_id_pupil_id_pupil_school_id_id_fk" FOREIGN KEY ("school_id","pupil_id") REFERENCES "public"."pupil"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "family_view" ADD CONSTRAINT "family_view_school_id_parent_carer_id_parent_carer_school_id_id_fk" FOREIGN KEY ("school_id","parent_carer_id") REFERENCES "public"."parent_carer"("school_id","id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "letter_reply" ADD CONSTRAINT "letter_reply_user_id_app_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "letter_reply" ADD CONSTRAINT "letter_reply_school_id_pupil_id_pupil_school_id_id_fk" FOREIGN KEY ("school_id","pupil_id") REFERENCES "public"."pupil"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "letter_reply" ADD CONSTRAINT "letter_reply_school_id_letter_id_letter_school_id_id_fk" FOREIGN KEY ("school_id","letter_id") REFERENCES "public"."letter"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "letter_reply" ADD CONSTRAINT "letter_reply_school_id_parent_carer_id_parent_carer_school_id_id_fk" FOREIGN KEY ("school_id","parent_carer_id") REFERENCES "public"."parent_carer"("school_id","id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mail_preference" ADD CONSTRAINT "mail_preference_user_id_app_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."app_user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parent_invitation" ADD CONSTRAINT "parent_invitation_used_by_app_user_id_fk" FOREIGN KEY ("used_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parent_invitation" ADD CONSTRAINT "parent_invitation_ended_by_app_user_id_fk" FOREIGN KEY ("ended_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parent_invitation" ADD CONSTRAINT "parent_invitation_created_by_app_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parent_invitation" ADD CONSTRAINT "parent_invitation_school_id_pupil_id_pupil_school_id_id_fk" FOREIGN KEY ("school_id","pupil_id") REFERENCES "public"."pupil"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parent_invitation" ADD CONSTRAINT "parent_invitation_school_id_parent_carer_id_parent_carer_school_id_id_fk" FOREIGN KEY ("school_id","parent_carer_id") REFERENCES "public"."parent_carer"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pupil_voice" ADD CONSTRAINT "pupil_voice_recorded_by_app_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pupil_voice" ADD CONSTRAINT "pupil_voice_school_id_pupil_id_pupil_school_id_id_fk" FOREIGN KEY ("school_id","pupil_id") REFERENCES "public"."pupil"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "contact_change_school_idx" ON "contact_change" USING btree ("school_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "family_view_one_key" ON "family_view" USING btree ("school_id","about","subject_id","given_by");--> statement-breakpoint
CREATE INDEX "family_view_pupil_idx" ON "family_view" USING btree ("school_id","pupil_id");--> statement-breakpoint
CREATE UNIQUE INDEX "letter_reply_one_key" ON "letter_reply" USING btree ("school_id","letter_id","user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "parent_invitation_code_key" ON "parent_invitation" USING btree ("code_hash");--> statement-breakpoint
CREATE INDEX "parent_invitation_carer_idx" ON "parent_invitation" USING btree ("school_id","parent_carer_id");--> statement-breakpoint
CREATE INDEX "parent_invitation_pupil_idx" ON "parent_invitation" USING btree ("school_id","pupil_id");--> statement-breakpoint
CREATE INDEX "pupil_voice_pupil_idx" ON "pupil_voice" USING btree ("school_id","pupil_id","kind");--> statement-breakpoint
CREATE INDEX "outbound_mail_carer_idx" ON "outbound_mail" USING btree ("school_id","parent_carer_id") WHERE "outbound_mail"."parent_carer_id" is not null;