-- Every key carries the school, so PostgreSQL, which takes columns as independent unless told, thinks
-- "this school and this pupil" (or session) a 150 times rarer match than it is: it then expected one
-- attendance row per pupil and joined a pupil's whole attendance to each session of a spell instead of
-- looking each session up by its key. A pupil or a session belongs to one school: say so.
CREATE STATISTICS IF NOT EXISTS "session_attendance_school_dependencies" (dependencies)
  ON "school_id", "session_id", "pupil_id" FROM "session_attendance";--> statement-breakpoint
ANALYZE "session_attendance";
